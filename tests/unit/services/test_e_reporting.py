"""E-reporting through its use cases, on fakes: documents added to their days once whatever is
repeated, in any order and side by side; periods closed on their due date and transmitted to the
platform once; a late document making a corrective transmission; the platform's answer heard."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from devserver.validation import frr_failures
from invoicing.domain.e_reporting import transactions_contribution
from invoicing.domain.errors import NotFound, StateConflict
from invoicing.domain.model import Document
from invoicing.services import (
    e_reporting,
    invoices,
    payments,
    platform_flows,
    report_status,
    reporting_periods,
)
from invoicing.services.documents import get_invoice
from invoicing.services.ports import DocumentChange, PlatformTask
from tests.support.fakes import FakeDependencies
from tests.support.reporting import CONSUMER, consumer_documents, expected_rows, stored_rows
from tests.support.samples import invoice_body
from tests.unit.services.test_platform import connect

LINES = [
    {"title": "Abonnement", "unit_price": "50", "vat_rate": "20"},
    {"title": "Formation", "unit_price": "20", "vat_rate": "5.5"},
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents=consumer_documents(), seed=st.integers(), replays=st.integers(min_value=0, max_value=5))
def test_any_interleaving_of_documents_and_repeats_sums_to_the_documents_totals(
    documents: list[Document], seed: int, replays: int
):
    deps = FakeDependencies()
    deliveries = [c for c in (transactions_contribution(document) for document in documents) if c is not None]
    rng = random.Random(seed)
    deliveries += rng.choices(deliveries, k=replays)  # a stream hands a change over again
    rng.shuffle(deliveries)
    deps.reports.contentions = rng.randint(0, 3)  # writers that found the day's rows held
    with ThreadPoolExecutor(max_workers=4) as pool:
        added = list(pool.map(lambda c: e_reporting.add_contribution(deps, "tenant", c), deliveries))
    assert sum(added) == len(documents)
    assert stored_rows(deps.reports, "tenant") == expected_rows(documents)
    assert sum(state.revision for state in deps.reports.states.values()) == len(documents)


def consumer_invoice(deps: FakeDependencies, tenant: str, **fields: object) -> Document:
    body = invoice_body(customer=CONSUMER, operation_nature="services", lines=LINES) | fields
    draft = invoices.create_invoice(deps, tenant, body)
    document = invoices.finalize_invoice(deps, tenant, draft.document.id).document
    draft_image = {"id": document.id, "status": "draft", "e_rule": None, "amount_paid": Decimal(0)}
    # What the table's stream reports of the finalization.
    change = DocumentChange(tenant, draft_image, draft_image | {"status": "open", "e_rule": "B2C"})
    assert e_reporting.report_change(deps, change) == 1
    assert e_reporting.report_change(deps, change) == 0, "the stream's repeat adds nothing"
    return document


def period_of(document: Document) -> str:
    contribution = transactions_contribution(document)
    assert contribution is not None
    return contribution.period.id


def test_a_consumer_invoice_shows_in_its_days_rows_and_its_payment_in_its_month(
    deps: FakeDependencies, tenant: str
):
    invoice = consumer_invoice(deps, tenant)
    day = invoice.issue_date
    view = reporting_periods.get_period(deps, tenant, period_of(invoice))
    assert view.status == "open"
    assert view.content is not None
    assert [
        (row.day, row.category, row.vat_rate, row.base, row.vat, row.documents)
        for row in view.content.transactions
    ] == [
        (day, "TPS1", Decimal("5.5"), Decimal("20.00"), Decimal("1.10"), 1),
        (day, "TPS1", Decimal(20), Decimal("50.00"), Decimal("10.00"), 1),
    ]

    assert day is not None
    payments.record_payment(
        deps, tenant, invoice.id, amount=Decimal("81.10"), paid_on=day, method="card", reference=None
    )
    before = {"id": invoice.id, "status": "open", "e_rule": "B2C", "amount_paid": Decimal(0)}
    paid = before | {"status": "paid", "amount_paid": Decimal("81.10")}
    assert e_reporting.report_change(deps, DocumentChange(tenant, before, paid)) == 1
    month = reporting_periods.get_period(deps, tenant, f"payments-{day.replace(day=1).isoformat()}")
    assert month.content is not None
    assert [(row.vat_rate, row.amount) for row in month.content.payments] == [
        (Decimal("5.5"), Decimal("21.10")),
        (Decimal(20), Decimal("60.00")),
    ]


def close_and_transmit(deps: FakeDependencies, state_day) -> list[PlatformTask]:
    deps.platform_tasks.sent.clear()
    e_reporting.close_due(deps, state_day)
    tasks = list(deps.platform_tasks.sent)
    for task in tasks:
        platform_flows.run_task(deps, task)
    return tasks


def test_a_period_closes_on_its_due_date_is_transmitted_once_and_a_late_document_corrects_it(
    deps: FakeDependencies, tenant: str
):
    connect(deps, tenant)
    deps.platforms.ack = "Pending"
    invoice = consumer_invoice(deps, tenant)
    period_id = period_of(invoice)
    state = deps.reports.period(tenant, period_id)
    assert state is not None
    assert close_and_transmit(deps, state.period.due_date) == [
        PlatformTask("transmit", tenant, period_id=period_id, revision=1)
    ]
    assert close_and_transmit(deps, state.period.due_date) == [], "closed once, sent once"
    (sent,) = deps.platforms.submitted
    assert (sent.syntax, sent.tracking_id) == ("FRR", f"{period_id}.r1")
    assert frr_failures(sent.body) == []
    assert etree.fromstring(sent.body).findtext("ReportDocument/TypeCode") == "IN"
    assert reporting_periods.get_period(deps, tenant, period_id).status == "transmitted"
    # The file is kept, unchangeable, before it is sent.
    kept = deps.files.files[e_reporting.report_key(tenant, state.period, f"{period_id}.r1")]
    assert kept.body == sent.body
    assert kept.retain_until is not None

    # The platform accepts it: the poll or its callback tells us.
    flow = deps.platforms.find(f"{period_id}.r1")
    assert flow is not None
    deps.platforms.flows[flow.flow_id] = flow._replace(ack_status="Ok", updated_at=datetime.now(UTC))
    platform_flows.run_task(deps, PlatformTask("hear_flow", tenant, flow_id=flow.flow_id))
    assert reporting_periods.get_period(deps, tenant, period_id).status == "accepted"
    reported = report_status.reported(deps, tenant, get_invoice(deps, tenant, invoice.id))
    assert reported.document.e_invoicing is not None
    assert (reported.document.e_invoicing.status, reported.document.e_invoicing.period_id) == (
        "reported",
        period_id,
    )

    # A credit note in the period after it went: a corrective transmission of the whole period.
    deps.platform_tasks.sent.clear()
    consumer_invoice(deps, tenant, type="credit_note", lines=[LINES[0]])
    (task,) = deps.platform_tasks.sent
    assert task == PlatformTask("transmit", tenant, period_id=period_id, revision=2)
    platform_flows.run_task(deps, task)
    corrective = deps.platforms.submitted[-1]
    assert corrective.tracking_id == f"{period_id}.r2"
    root = etree.fromstring(corrective.body)
    assert root.findtext("ReportDocument/TypeCode") == "RE"
    bases = {
        block.findtext("TaxSubtotal/TaxPercent"): block.findtext("TaxExclusiveAmount")
        for block in root.iter("Transactions")
    }
    assert bases == {"20": "0.00", "5.5": "20.00"}
    history = reporting_periods.get_period(deps, tenant, period_id).state.transmissions
    assert [(sent.type_code, sent.revision, sent.status) for sent in history] == [
        ("IN", 1, "accepted"),
        ("RE", 2, "transmitted"),
    ]


def test_a_period_is_transmitted_on_request_only_once_it_has_ended_and_a_platform_is_there(
    deps: FakeDependencies, tenant: str
):
    invoice = consumer_invoice(deps, tenant)
    with pytest.raises(StateConflict) as still_open:
        reporting_periods.request_transmission(deps, tenant, period_of(invoice))
    assert still_open.value.code == "period_open"
    with pytest.raises(StateConflict) as no_platform:
        reporting_periods.request_transmission(deps, tenant, "transactions-2026-11-21")
    assert no_platform.value.code == "platform_not_connected"
    with pytest.raises(NotFound):
        reporting_periods.get_period(deps, tenant, "transactions-2026-11-22")


def test_an_open_periods_report_is_downloadable_as_it_stands(deps: FakeDependencies, tenant: str):
    invoice = consumer_invoice(deps, tenant)
    link = reporting_periods.report_link(deps, tenant, period_of(invoice))
    assert "previews/" in link
    (draft,) = [stored for key, stored in deps.files.files.items() if key.startswith("previews/")]
    assert frr_failures(draft.body) == []
    assert draft.retain_until is None, "a draft report is not kept"


def test_periods_are_listed_from_the_calendar_with_what_is_stored(deps: FakeDependencies, tenant: str):
    invoice = consumer_invoice(deps, tenant)
    assert invoice.issue_date is not None
    first = invoice.issue_date.replace(day=1)
    views = reporting_periods.list_periods(deps, tenant, first, first.replace(day=28))
    assert {view.state.period.id for view in views} >= {period_of(invoice), f"payments-{first.isoformat()}"}
    assert len(views) == 4
    with pytest.raises(Exception, match="before"):
        reporting_periods.list_periods(deps, tenant, first.replace(day=28), first)
