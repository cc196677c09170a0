"""The approved platform through the use cases, on fakes: connected with sealed credentials, each
e-invoice to a French business deposited exactly once whatever is repeated or down, the statuses
the platform and the buyer give heard once, the collected status sent once, callbacks checked."""

from __future__ import annotations

import json
import time
from datetime import date
from decimal import Decimal

import pytest

from devserver.validation import cdar_failures
from invoicing.domain.e_invoicing import StatusEntry
from invoicing.domain.errors import InvalidDocument, NotFound, Unauthenticated
from invoicing.einvoice.cdar import reference_of, status_message
from invoicing.services import invoices, outbox, payments, platform_connection, platform_flows
from invoicing.services.documents import get_invoice
from invoicing.services.ports import DocumentChange, PlatformTask, PlatformUnavailable
from tests.support.fakes import FakeDependencies
from tests.support.samples import invoice_body

URL = "https://pa.example/flow"


def connect(deps: FakeDependencies, tenant: str, **fields: str) -> str:
    settings = {"url": URL, "token_url": f"{URL}/token", "client_id": "client", "client_secret": "secret"}
    connection = platform_connection.connect(
        deps, tenant, syntax="Factur-X", base_url="https://api.example/api", **(settings | fields)
    )
    return connection.connection_id


def finalized(deps: FakeDependencies, tenant: str, **fields: object) -> str:
    draft = invoices.create_invoice(deps, tenant, invoice_body(**fields))
    return invoices.finalize_invoice(deps, tenant, draft.document.id).document.id


def reform(deps: FakeDependencies, tenant: str, document_id: str):
    e_invoicing = get_invoice(deps, tenant, document_id).document.e_invoicing
    assert e_invoicing is not None
    return e_invoicing


def run(deps: FakeDependencies, *tasks: PlatformTask) -> None:
    for task in tasks:
        platform_flows.run_task(deps, task)


def test_a_connection_keeps_its_secrets_sealed_and_subscribes_its_callback(
    deps: FakeDependencies, tenant: str
):
    connection_id = connect(deps, tenant)
    stored = deps.platform_connections.get(tenant)
    assert stored is not None
    assert "secret" not in stored.sealed_secret
    assert deps.secrets.open(stored.sealed_secret, tenant_id=tenant, endpoint_id=connection_id) == "secret"
    assert list(deps.platforms.webhooks.values()) == [
        f"https://api.example/api/v1/e-invoicing/callbacks/{connection_id}"
    ]
    again = connect(deps, tenant)  # replacing it unsubscribes the old webhook
    assert list(deps.platforms.webhooks.values()) == [
        f"https://api.example/api/v1/e-invoicing/callbacks/{again}"
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"client_secret": "wrong"}, "client_secret"), ({"url": "http://169.254.169.254"}, "url")],
)
def test_a_connection_the_platform_refuses_is_a_422_on_the_field_to_fix(deps, tenant, fields, field):
    with pytest.raises(InvalidDocument) as refused:
        connect(deps, tenant, **fields)
    assert refused.value.field == field
    assert deps.platform_connections.get(tenant) is None


def test_finalizing_an_e_invoice_to_a_french_business_calls_for_its_deposit_and_a_consumers_does_not(
    deps: FakeDependencies, tenant: str
):
    b2b = get_invoice(deps, tenant, finalized(deps, tenant)).document
    b2c = get_invoice(deps, tenant, finalized(deps, tenant, customer={"name": "Jeanne Martin"})).document
    summary = {"type": "invoice", "status": "open"}
    tasks = [
        outbox.tasks_of_change(DocumentChange(tenant, summary | {"status": "draft"}, summary | extra))
        for extra in ({"id": b2b.id, "e_history": {}}, {"id": b2c.id})
    ]
    assert tasks == [[PlatformTask("deposit", tenant, b2b.id)], []]
    assert b2c.e_invoicing is not None
    assert b2c.e_invoicing.processing_rule == "B2C"


def test_a_deposit_goes_once_in_the_tenants_syntax_even_repeated_or_after_the_platform_was_down(
    deps: FakeDependencies, tenant: str
):
    connect(deps, tenant)
    invoice_id = finalized(deps, tenant)
    deposit = PlatformTask("deposit", tenant, invoice_id)
    deps.platforms.down = True
    with pytest.raises(PlatformUnavailable):
        run(deps, deposit)
    assert reform(deps, tenant, invoice_id).status == "pending"
    deps.platforms.down = False
    run(deps, deposit, deposit)
    (submitted,) = deps.platforms.submitted
    assert (submitted.tracking_id, submitted.syntax, submitted.processing_rule) == (
        invoice_id,
        "Factur-X",
        "B2B",
    )
    assert submitted.body == deps.files.get(next(key for key in deps.files.files if key.endswith(".pdf")))
    lifecycle = reform(deps, tenant, invoice_id)
    assert lifecycle.status == "deposited"
    assert lifecycle.flow_id == "flow-1"  # flow-0 was the webhook


def test_a_deposit_found_on_the_platform_by_its_tracking_id_is_not_sent_again(
    deps: FakeDependencies, tenant: str
):
    connect(deps, tenant)
    invoice_id = finalized(deps, tenant)
    earlier = deps.platforms.add_flow("CustomerInvoice", "Out", tracking_id=invoice_id)  # sent, then we died
    run(deps, PlatformTask("deposit", tenant, invoice_id))
    assert deps.platforms.submitted == []
    assert reform(deps, tenant, invoice_id).flow_id == earlier.flow_id


def test_without_a_connected_platform_an_e_invoice_stays_pending(deps: FakeDependencies, tenant: str):
    invoice_id = finalized(deps, tenant)
    run(deps, PlatformTask("deposit", tenant, invoice_id))
    assert reform(deps, tenant, invoice_id).status == "pending"


def test_a_rejection_by_the_platform_is_heard_with_its_rules_once(deps: FakeDependencies, tenant: str):
    connect(deps, tenant)
    invoice_id = finalized(deps, tenant)
    deps.platforms.ack = "Error"
    flow = deps.platforms.add_flow("CustomerInvoice", "Out", tracking_id=invoice_id)
    for _ in range(2):  # a callback and the poll tell of the same flow
        run(deps, PlatformTask("hear_flow", tenant, flow_id=flow.flow_id))
    (rejected,) = [entry for entry in reform(deps, tenant, invoice_id).history if entry.status == "rejected"]
    assert rejected.reason == "BR-FR-12: the buyer's electronic address is missing"
    assert reform(deps, tenant, invoice_id).status == "rejected"


def test_a_buyers_refusal_is_heard_on_the_invoice_it_names(deps: FakeDependencies, tenant: str):
    connect(deps, tenant)
    invoice_id = finalized(deps, tenant)
    invoice = get_invoice(deps, tenant, invoice_id).document
    refusal = StatusEntry(id="x", status="refused", at=invoice.created_at, reason="Quantités erronées")
    cdar = status_message(
        reference_of(invoice),
        refusal,
        message_id="m",
        now=invoice.created_at,
        by_buyer=True,
        reason_code="CMD_ERR",
    )
    flow = deps.platforms.add_flow("CustomerInvoiceLC", "In", original=cdar)
    run(deps, PlatformTask("hear_flow", tenant, flow_id=flow.flow_id))
    lifecycle = reform(deps, tenant, invoice_id)
    assert (lifecycle.status, lifecycle.history[-1].reason) == ("refused", "Quantités erronées")
    other = deps.platforms.add_flow(
        "CustomerInvoiceLC", "In", original=cdar.replace(invoice.number.encode(), b"X-1")
    )
    run(deps, PlatformTask("hear_flow", tenant, flow_id=other.flow_id))  # names no invoice of ours
    assert len(reform(deps, tenant, invoice_id).history) == len(lifecycle.history)


def test_a_collected_status_is_sent_once_as_a_valid_status_message(deps: FakeDependencies, tenant: str):
    connect(deps, tenant)
    invoice_id = finalized(deps, tenant, operation_nature="services")
    payments.record_payment(
        deps, tenant, invoice_id, amount=Decimal("50.00"), paid_on=date.today(), method="card", reference=None
    )
    (collected,) = [
        entry for entry in reform(deps, tenant, invoice_id).history if entry.status == "collected"
    ]
    task = PlatformTask("send_status", tenant, invoice_id, entry_id=collected.id)
    run(deps, task, task)
    (sent,) = deps.platforms.submitted
    assert sent.syntax == "CDAR"
    assert cdar_failures(sent.body) == []
    assert b"<ram:ValueAmount>31.35</ram:ValueAmount><ram:ValuePercent>20</ram:ValuePercent>" in sent.body


def _signed(key: str, body: bytes, at: int) -> dict[str, str]:
    timestamp = str(at)
    return {
        "Afnor-Signature": platform_connection.signature(key, body, timestamp),
        "Afnor-Signature-Timestamp": timestamp,
    }


def test_a_signed_callback_queues_its_flow_and_nothing_else_does(deps: FakeDependencies, tenant: str):
    connection_id = connect(deps, tenant)
    key = "c2lnbmluZy1rZXktb2YtdGhlLXBsYXRmb3JtLTMyYnl0ZXM="
    body = json.dumps({"flowId": "flow-9", "updatedAt": "2026-12-01T10:00:00Z"}).encode()
    platform_connection.receive_callback(deps, connection_id, body, _signed(key, body, int(time.time())))
    assert deps.platform_tasks.sent == [
        PlatformTask("hear_flow", tenant, flow_id="flow-9", seen_at="2026-12-01T10:00:00Z")
    ]
    refusals = [
        (connection_id, body.replace(b"9", b"8"), _signed(key, body, int(time.time())), Unauthenticated),
        (connection_id, body, _signed(key, body, int(time.time()) - 3600), Unauthenticated),  # a replay
        (connection_id, body, {}, Unauthenticated),
        ("pc_other", body, _signed(key, body, int(time.time())), NotFound),
    ]
    for named, sent, headers, error in refusals:
        with pytest.raises(error):
            platform_connection.receive_callback(deps, named, sent, headers)
    assert len(deps.platform_tasks.sent) == 1


def test_the_poll_queues_what_changed_since_it_last_looked(deps: FakeDependencies, tenant: str):
    connect(deps, tenant)
    first = deps.platforms.add_flow("CustomerInvoice", "Out", tracking_id="inv_1")
    assert platform_flows.poll(deps, now=first.updated_at) >= 1
    assert platform_flows.poll(deps, now=first.updated_at) == 0  # nothing changed since
    later = deps.platforms.add_flow("CustomerInvoice", "Out", tracking_id="inv_2")
    assert platform_flows.poll(deps, now=later.updated_at) == 1
    assert deps.platform_tasks.sent[-1].flow_id == later.flow_id
    deps.platforms.down = True
    assert platform_flows.poll(deps, now=later.updated_at) == 0  # logged; the next poll catches up
