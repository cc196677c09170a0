"""Payments and credit notes settling one invoice: none is lost to a concurrent one, none takes the
amount due below zero, and a credit note lowers the invoice's amount due in its own commit."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest

from invoicing.domain.errors import Busy, InvalidDocument, NotFound, StateConflict
from invoicing.services import credit_notes, invoices, payments
from invoicing.services.changes import SettlementChanged
from invoicing.services.documents import get_invoice
from invoicing.services.ports import Contention
from tests.support.fakes import FakeDependencies
from tests.support.samples import invoice_body

TODAY = date.today()


def finalized(deps: FakeDependencies, tenant: str) -> str:
    draft = invoices.create_invoice(deps, tenant, invoice_body())
    return invoices.finalize_invoice(deps, tenant, draft.document.id).document.id  # 95.49 due


def pay(deps: FakeDependencies, tenant: str, invoice_id: str, amount: str, **fields: object) -> Decimal:
    stored = payments.record_payment(
        deps,
        tenant,
        invoice_id,
        amount=Decimal(amount),
        paid_on=TODAY,
        method="transfer",
        reference=None,
        **fields,  # type: ignore[arg-type]
    )
    return stored.document.totals.amount_due


def test_concurrent_payments_all_land_and_none_overshoots(deps: FakeDependencies, tenant: str):
    invoice_id = finalized(deps, tenant)

    def attempt(_: int) -> str:
        try:
            pay(deps, tenant, invoice_id, "5.00")
        except InvalidDocument:
            return "refused"
        return "recorded"

    with ThreadPoolExecutor(16) as pool:
        outcomes = list(pool.map(attempt, range(32)))
    invoice = deps.store.document(tenant, invoice_id)
    assert outcomes.count("recorded") == 19 == len(invoice.payments)
    assert (invoice.totals.amount_paid, invoice.totals.amount_due) == (Decimal("95.00"), Decimal("0.49"))
    assert invoice.status == "partially_paid"


def test_a_payment_that_lost_a_race_is_checked_again_against_the_invoice_as_it_is(
    deps: FakeDependencies, tenant: str
):
    invoice_id = finalized(deps, tenant)
    deps.store.fail_next(SettlementChanged)
    deps.store.fail_next(SettlementChanged, outcome=Contention)
    assert pay(deps, tenant, invoice_id, "95.49") == 0
    assert deps.store.document(tenant, invoice_id).status == "paid"


def test_a_named_payment_recorded_again_changes_nothing(deps: FakeDependencies, tenant: str):
    invoice_id = finalized(deps, tenant)
    pay(deps, tenant, invoice_id, "10.00", payment_id="pay_shop_1")
    assert pay(deps, tenant, invoice_id, "10.00", payment_id="pay_shop_1") == Decimal("85.49")
    assert len(deps.store.document(tenant, invoice_id).payments) == 1


def test_removing_a_payment_gives_its_amount_back(deps: FakeDependencies, tenant: str):
    invoice_id = finalized(deps, tenant)
    pay(deps, tenant, invoice_id, "95.49")
    payment_id = deps.store.document(tenant, invoice_id).payments[0].id
    stored = payments.remove_payment(deps, tenant, invoice_id, payment_id)
    assert (stored.document.status, stored.document.totals.amount_due) == ("open", Decimal("95.49"))
    with pytest.raises(NotFound):
        payments.remove_payment(deps, tenant, invoice_id, payment_id)


def test_an_invoice_kept_busy_past_the_budget_tells_the_payer_to_retry(
    deps: FakeDependencies, tenant: str, monkeypatch: pytest.MonkeyPatch
):
    invoice_id = finalized(deps, tenant)
    monkeypatch.setattr(payments, "RETRY_BUDGET_SECONDS", 0.02)
    deps.store.fail_next(SettlementChanged, times=1000)
    with pytest.raises(Busy):
        pay(deps, tenant, invoice_id, "1.00")
    assert deps.store.document(tenant, invoice_id).payments == []


def test_a_credit_note_lowers_what_is_due_in_its_own_commit(deps: FakeDependencies, tenant: str):
    invoice_id = finalized(deps, tenant)
    pay(deps, tenant, invoice_id, "50.00")
    note = credit_notes.credit_invoice(
        deps, tenant, invoice_id, reason="Livre retourné", selection=[(1, None)]
    )
    invoice = deps.store.document(tenant, invoice_id)
    assert note.document.corrects is not None
    assert note.document.corrects.id == invoice_id
    assert note.document.number is not None
    assert note.document.number.startswith("AV")
    assert [ref.id for ref in invoice.credit_notes] == [note.document.id]
    assert (
        invoice.totals.amount_due == Decimal("95.49") - Decimal("50.00") - note.document.totals.total_incl_tax
    )


def test_a_credit_note_racing_a_payment_is_checked_against_what_is_left(deps: FakeDependencies, tenant: str):
    invoice_id = finalized(deps, tenant)
    deps.store.fail_next(SettlementChanged)  # a payment landed between the read and the commit
    note = credit_notes.credit_invoice(deps, tenant, invoice_id, reason="Geste", selection=None)
    assert deps.store.document(tenant, invoice_id).totals.amount_due == 0
    assert note.document.totals.total_incl_tax == Decimal("95.49")
    with pytest.raises(InvalidDocument):
        credit_notes.credit_invoice(deps, tenant, invoice_id, reason="Encore", selection=[(0, None)])


def test_a_draft_is_neither_paid_nor_credited(deps: FakeDependencies, tenant: str):
    draft = invoices.create_invoice(deps, tenant, invoice_body()).document.id
    with pytest.raises(StateConflict):
        pay(deps, tenant, draft, "1.00")
    with pytest.raises(StateConflict):
        credit_notes.credit_invoice(deps, tenant, draft, reason="x", selection=None)


def test_paying_an_e_invoice_of_services_records_it_collected_once_with_the_amount_per_rate(
    deps: FakeDependencies, tenant: str
):
    draft = invoices.create_invoice(deps, tenant, invoice_body(operation_nature="services"))
    invoice_id = invoices.finalize_invoice(deps, tenant, draft.document.id).document.id
    for _ in range(2):  # the same payment told twice (a shop's retry) is collected once
        pay(deps, tenant, invoice_id, "50.00", payment_id="pay_shop_1")
    reform = get_invoice(deps, tenant, invoice_id).document.e_invoicing
    assert reform is not None
    assert reform.status == "collected"
    (collected,) = [entry for entry in reform.history if entry.status == "collected"]
    assert collected.id == "collected:pay_shop_1"
    assert {a.vat_rate: a.amount for a in collected.amounts} == {
        Decimal("20"): Decimal("31.35"),  # 50 x 59.88 / 95.49: the 20 % share of the total
        Decimal("5.5"): Decimal("18.65"),
    }


def test_paying_goods_records_no_collected_status(deps: FakeDependencies, tenant: str):
    draft = invoices.create_invoice(deps, tenant, invoice_body(operation_nature="goods"))
    invoice_id = invoices.finalize_invoice(deps, tenant, draft.document.id).document.id
    pay(deps, tenant, invoice_id, "50.00")
    reform = get_invoice(deps, tenant, invoice_id).document.e_invoicing
    assert reform is not None
    assert [entry.status for entry in reform.history] == ["pending"]
