"""Gapless numbering under races, against the in-memory store: writers queue on the series' lease,
and whatever a concurrent writer makes fail (the lease, the counter, an item held mid-commit) never
leaves a gap or gives a number twice."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from invoicing.domain.errors import Busy, StateConflict
from invoicing.services import invoices, numbering
from invoicing.services.changes import DocumentFinalized, NumberReserved, SeriesAdvanced
from invoicing.services.ports import Contention
from tests.support.fakes import FakeDependencies
from tests.support.samples import invoice_body

WRITERS = 16


def drafts(deps: FakeDependencies, tenant: str, count: int, **fields: object) -> list[str]:
    return [invoices.create_invoice(deps, tenant, invoice_body(**fields)).document.id for _ in range(count)]


def sequence(number: str | None) -> int:
    assert number is not None
    return int(number.rsplit("-", 1)[1])


def test_sixteen_writers_take_consecutive_numbers_none_twice(deps: FakeDependencies, tenant: str):
    ids = drafts(deps, tenant, 64)
    with ThreadPoolExecutor(WRITERS) as pool:
        finalized = list(pool.map(lambda draft: invoices.finalize_invoice(deps, tenant, draft), ids))
    numbers = sorted(sequence(stored.document.number) for stored in finalized)
    assert numbers == list(range(1, 65))
    assert deps.store.counter(tenant, "invoice").state.seq == 64
    assert deps.store.counter(tenant, "invoice").lease_owner is None, "the last writer gave the lease back"


def test_a_lease_lost_meanwhile_queues_the_writer_again(deps: FakeDependencies, tenant: str):
    first, second = drafts(deps, tenant, 2)
    invoices.finalize_invoice(deps, tenant, first)
    deps.store.fail_next(SeriesAdvanced)  # the lease expired and another writer moved the counter
    stored = invoices.finalize_invoice(deps, tenant, second)
    assert sequence(stored.document.number) == 2


def test_an_item_held_mid_commit_is_tried_again_under_the_same_lease(deps: FakeDependencies, tenant: str):
    (draft,) = drafts(deps, tenant, 1)
    deps.store.fail_next(DocumentFinalized, outcome=Contention, times=2)
    stored = invoices.finalize_invoice(deps, tenant, draft)
    assert sequence(stored.document.number) == 1


def test_a_pattern_repeating_an_earlier_number_is_refused(deps: FakeDependencies, tenant: str):
    (draft,) = drafts(deps, tenant, 1)
    deps.store.fail_next(NumberReserved)
    with pytest.raises(StateConflict) as refused:
        invoices.finalize_invoice(deps, tenant, draft)
    assert refused.value.code == "number_taken"
    assert deps.store.document(tenant, draft).is_draft
    assert deps.store.counter(tenant, "invoice").lease_owner is None, "a refusal gives the lease back"


def test_a_draft_finalized_by_another_request_meanwhile_is_already_finalized(
    deps: FakeDependencies, tenant: str
):
    (draft,) = drafts(deps, tenant, 1)
    deps.store.fail_next(DocumentFinalized)
    with pytest.raises(StateConflict) as refused:
        invoices.finalize_invoice(deps, tenant, draft)
    assert refused.value.code == "already_finalized"
    assert deps.store.counter(tenant, "invoice").state.seq == 0, "no number was taken"


def test_an_issue_date_before_the_series_last_is_refused(deps: FakeDependencies, tenant: str):
    later, earlier = drafts(deps, tenant, 1, issue_date="2026-11-20") + drafts(
        deps, tenant, 1, issue_date="2026-11-10"
    )
    invoices.finalize_invoice(deps, tenant, later)
    with pytest.raises(StateConflict) as refused:
        invoices.finalize_invoice(deps, tenant, earlier)
    assert (refused.value.code, refused.value.field) == ("issue_date_before_last", "issue_date")
    assert deps.store.counter(tenant, "invoice").state.last_issue_date == date(2026, 11, 20)


def test_a_writer_kept_waiting_past_its_budget_is_told_to_retry(
    deps: FakeDependencies, tenant: str, monkeypatch: pytest.MonkeyPatch
):
    (draft,) = drafts(deps, tenant, 1)
    monkeypatch.setattr(numbering, "RETRY_BUDGET_SECONDS", 0.05)
    deps.numbering.take_lease(tenant, "invoice", "a-writer-that-died", now=9e9, seconds=1)
    with pytest.raises(Busy):
        invoices.finalize_invoice(deps, tenant, draft)
    assert deps.store.document(tenant, draft).is_draft
