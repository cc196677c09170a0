"""E-reporting's table on DynamoDB's semantics (moto): day rows added to with ADD, each contribution
taken in once, periods read in their days and rates, closed once, their transmissions replaced by id."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoicing.adapters.dynamodb.e_reporting import ReportTable
from invoicing.bootstrap import AwsDependencies, from_environment
from invoicing.domain.e_reporting import Transmission, transactions_contribution
from invoicing.domain.model import Document
from invoicing.domain.reporting_calendar import period_of
from tests.support.documents import finalized, line
from tests.support.lambdas import moto_resources, use_moto_environment
from tests.support.reporting import consumer_documents, expected_rows, stored_rows

ABROAD = {
    "name": "Libreria Rossi Srl",
    "vat_number": "IT04119190371",
    "address": {"line1": "Via Crispi 226", "postal_code": "90139", "city": "Palermo", "country": "IT"},
}
_tenants = itertools.count()


@pytest.fixture(scope="module")
def deps() -> Iterator[AwsDependencies]:
    use_moto_environment()
    with moto_resources():
        yield from_environment()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(documents=consumer_documents(max_size=12), seed=st.integers())
def test_rows_sum_to_the_documents_totals_and_a_repeat_adds_nothing(
    deps: AwsDependencies, documents: list[Document], seed: int
):
    table = deps.reports
    assert isinstance(table, ReportTable)
    tenant = f"ten_{next(_tenants)}"
    contributions = [
        c for c in (transactions_contribution(document) for document in documents) if c is not None
    ]
    deliveries = contributions + random.Random(seed).choices(contributions, k=3)
    random.Random(seed).shuffle(deliveries)
    assert sum(table.add(tenant, contribution) for contribution in deliveries) == len(documents)
    assert stored_rows(table, tenant) == expected_rows(documents)
    assert stored_rows(table, "another tenant") == {}


def test_a_period_holds_its_records_is_closed_once_and_keeps_each_transmission(deps: AwsDependencies):
    table = deps.reports
    abroad = finalized(customer=ABROAD, lines=[line("Conseil", "1000", "0", vat_code="reverse_charge")])
    contribution = transactions_contribution(abroad)
    assert contribution is not None
    period = contribution.period
    assert table.add("ten_records", contribution)
    assert not table.add("ten_records", contribution)
    (invoice,) = table.content("ten_records", period).invoices
    assert invoice == contribution.record
    assert table.due(period.due_date) == [("ten_records", period.id)]

    first, later = datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 2, tzinfo=UTC)
    table.close("ten_records", period, first)
    table.close("ten_records", period, later)
    sent = Transmission(id=f"{period.id}.r1", type_code="IN", revision=1, at=first, status="transmitted")
    table.record_transmission("ten_records", period, sent)
    table.record_transmission(
        "ten_records", period, sent.model_copy(update={"status": "accepted", "flow_id": "f-1"})
    )
    state = table.period("ten_records", period.id)
    assert state is not None
    assert (state.revision, state.closed_at, state.status) == (1, first, "accepted")
    assert [transmission.flow_id for transmission in state.transmissions] == ["f-1"]
    assert not state.needs_transmission
    assert table.periods("ten_records", period.start, period.end) == [state]
    assert table.periods("ten_records", date(2027, 1, 1), date(2027, 1, 31)) == []
    assert table.period("ten_records", period_of("normal_monthly", "payments", period.start).id) is None
