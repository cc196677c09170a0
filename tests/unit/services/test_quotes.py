"""A quote's life through the use cases: decided once, invoiced by deposits and then in full, each
document linked to it, the final invoice deducting the deposits, and a deletion freeing it again."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from invoicing.domain.errors import StateConflict
from invoicing.services import credit_notes, invoices, payments, quotes
from invoicing.services.changes import DepositDeducted, QuoteDecided, QuoteInvoiced
from tests.support.fakes import FakeDependencies
from tests.support.samples import quote_body


def accepted_quote(deps: FakeDependencies, tenant: str) -> str:
    quote = quotes.create_quote(deps, tenant, quote_body(), finalize=True).document
    assert quote.number is not None
    assert quote.number.startswith("D")
    quotes.decide_quote(deps, tenant, quote.id, "accepted")
    return quote.id


def test_the_customer_decides_once(deps: FakeDependencies, tenant: str):
    quote_id = quotes.create_quote(deps, tenant, quote_body(), finalize=True).document.id
    deps.store.fail_next(QuoteDecided)  # a decision came from another request first
    with pytest.raises(StateConflict) as raced:
        quotes.decide_quote(deps, tenant, quote_id, "declined")
    assert raced.value.code == "conflict"
    decided = quotes.decide_quote(deps, tenant, quote_id, "accepted")
    assert (decided.document.status, decided.version) == ("accepted", 2)
    with pytest.raises(StateConflict) as again:
        quotes.decide_quote(deps, tenant, quote_id, "declined")
    assert again.value.code == "quote_accepted"


def test_deposits_then_the_final_invoice_which_deducts_them(deps: FakeDependencies, tenant: str):
    quote_id = accepted_quote(deps, tenant)
    deposit = quotes.invoice_quote(deps, tenant, quote_id, deposit_percent=Decimal(30)).document
    assert deposit.quote is not None
    assert (deposit.type, deposit.quote.id, deposit.totals.total_incl_tax) == (
        "deposit",
        quote_id,
        Decimal("1116.00"),
    )
    invoices.finalize_invoice(deps, tenant, deposit.id)
    final = quotes.invoice_quote(deps, tenant, quote_id, deposit_percent=None).document
    assert final.deposit_ids == [deposit.id]
    quote = deps.store.document(tenant, quote_id)
    assert (quote.status, [link.type for link in quote.invoices]) == ("invoiced", ["deposit", "invoice"])

    finalized = invoices.finalize_invoice(deps, tenant, final.id).document
    assert (finalized.totals.total_incl_tax, finalized.totals.amount_due) == (
        Decimal("3720.00"),
        Decimal("2604.00"),
    )
    assert deps.store.document(tenant, deposit.id).deducted_by == final.id
    with pytest.raises(StateConflict) as credited:
        credit_notes.credit_invoice(deps, tenant, deposit.id, reason="x", selection=None)
    assert credited.value.code == "deposit_deducted"


def test_a_deposit_is_deducted_by_one_invoice_only(deps: FakeDependencies, tenant: str):
    quote_id = accepted_quote(deps, tenant)
    deposit = quotes.invoice_quote(deps, tenant, quote_id, deposit_percent=Decimal(30)).document
    invoices.finalize_invoice(deps, tenant, deposit.id)
    final = quotes.invoice_quote(deps, tenant, quote_id, deposit_percent=None).document
    other = invoices.create_invoice(deps, tenant, quote_body(deposit_ids=[deposit.id])).document
    deps.store.fail_next(DepositDeducted)  # a concurrent finalization touched the deposit: read it again
    invoices.finalize_invoice(deps, tenant, final.id)
    assert deps.store.document(tenant, deposit.id).deducted_by == final.id
    with pytest.raises(StateConflict) as refused:
        invoices.finalize_invoice(deps, tenant, other.id)
    assert refused.value.code == "deposit_deducted"
    assert deps.store.document(tenant, other.id).is_draft
    assert deps.store.counter(tenant, "invoice").state.seq == 2, "the refused invoice took no number"


def test_a_quote_changed_while_invoiced_is_a_conflict_and_no_draft_is_left(
    deps: FakeDependencies, tenant: str
):
    quote_id = accepted_quote(deps, tenant)
    deps.store.fail_next(QuoteInvoiced)
    with pytest.raises(StateConflict) as refused:
        quotes.invoice_quote(deps, tenant, quote_id, deposit_percent=None)
    assert refused.value.code == "conflict"
    assert [stored.document.type for stored in deps.store.documents.values()] == ["quote"]


def test_deleting_the_final_invoices_draft_frees_the_quote(deps: FakeDependencies, tenant: str):
    quote_id = accepted_quote(deps, tenant)
    final = quotes.invoice_quote(deps, tenant, quote_id, deposit_percent=None).document
    with pytest.raises(StateConflict) as twice:
        quotes.invoice_quote(deps, tenant, quote_id, deposit_percent=None)
    assert twice.value.code == "quote_invoiced"
    invoices.delete_invoice(deps, tenant, final.id)
    quote = deps.store.document(tenant, quote_id)
    assert (quote.status, quote.invoices) == ("accepted", [])
    again = quotes.invoice_quote(deps, tenant, quote_id, deposit_percent=None).document
    assert again.quote is not None
    assert again.quote.id == quote_id


def test_a_paid_deposit_counts_in_the_final_invoices_amount_due(deps: FakeDependencies, tenant: str):
    quote_id = accepted_quote(deps, tenant)
    deposit = quotes.invoice_quote(deps, tenant, quote_id, deposit_percent=Decimal(50)).document
    invoices.finalize_invoice(deps, tenant, deposit.id)
    payments.record_payment(
        deps,
        tenant,
        deposit.id,
        amount=Decimal("1860.00"),
        paid_on=date.today(),
        method="transfer",
        reference=None,
    )
    final = quotes.invoice_quote(deps, tenant, quote_id, deposit_percent=None).document
    assert final.totals.amount_due == Decimal("1860.00")
