"""Deposits: a final invoice deducts them, and its amount due is always its total minus payments,
credit notes and deposits, never below zero."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invoicing.domain.credit_notes import check_credit
from invoicing.domain.deposits import deduct_deposits
from invoicing.domain.documents import draft_document, freeze
from invoicing.domain.errors import InvalidDocument, StateConflict
from invoicing.domain.model import Document, DocumentContent
from invoicing.domain.parts import CreditNoteRef, Payment, Seller
from invoicing.domain.payments import check_payment, settled

NOW = datetime(2026, 11, 21, tzinfo=UTC)
SELLER = Seller.model_validate(
    {"name": "Atelier SAS", "siren": "552100554", "address": {"line1": "1", "postal_code": "1", "city": "L"}}
)


def finalized(kind: str, cents: int, number: str, *, currency: str = "EUR", **fields) -> Document:
    """A finalized document whose total incl. 20 % VAT is `cents` / 100 (cents a multiple of 12)."""
    content = DocumentContent.model_validate(
        {
            "type": kind,
            "customer": {"name": "ACME"},
            "currency": currency,
            "lines": [
                {
                    "title": "Conseil",
                    "unit_price": str(Decimal(cents // 12 * 10).scaleb(-2)),
                    "vat_rate": "20",
                }
            ],
        }
        | fields
    )
    draft = draft_document(content, document_id=f"inv_{number}", now=NOW)
    return freeze(
        draft, seller=SELLER, number=number, issue_date=date(2026, 11, 21), default_terms="30", now=NOW
    )


def final_invoice(cents: int, deposits: list[Document]) -> Document:
    content = DocumentContent.model_validate(
        {
            "customer": {"name": "ACME"},
            "lines": [
                {"title": "Solde", "unit_price": str(Decimal(cents // 12 * 10).scaleb(-2)), "vat_rate": "20"}
            ],
            "deposit_ids": [deposit.id for deposit in deposits],
        }
    )
    return deduct_deposits(draft_document(content, document_id="inv_final", now=NOW), deposits)


def test_the_final_invoice_keeps_its_totals_and_deducts_the_deposits_from_what_is_due():
    deposits = [finalized("deposit", 36_000, "F1"), finalized("deposit", 12_000, "F2")]
    invoice = final_invoice(120_000, deposits)
    assert invoice.totals.total_incl_tax == Decimal("1200.00")
    assert (invoice.totals.amount_deposits, invoice.totals.amount_due) == (
        Decimal("480.00"),
        Decimal("720.00"),
    )
    assert [(ref.number, ref.amount, ref.amount_excl_tax) for ref in invoice.deposits] == [
        ("F1", Decimal("360.00"), Decimal("300.00")),
        ("F2", Decimal("120.00"), Decimal("100.00")),
    ]


def test_a_deposit_partly_credited_is_deducted_for_what_is_left():
    deposit = finalized("deposit", 36_000, "F1")
    note = CreditNoteRef(id="inv_c", number="AV1", amount=Decimal("120.00"), issue_date=date(2026, 11, 21))
    deposit = settled(deposit, [], [note])
    invoice = final_invoice(120_000, [deposit])
    assert (invoice.deposits[0].amount, invoice.deposits[0].amount_excl_tax) == (
        Decimal("240.00"),
        Decimal("200.00"),
    )
    cancelled = settled(
        deposit,
        [],
        [note, note.model_copy(update={"id": "inv_d", "number": "AV2", "amount": Decimal("240.00")})],
    )
    with pytest.raises(StateConflict) as refused:
        final_invoice(120_000, [cancelled])
    assert refused.value.code == "deposit_credited"


@pytest.mark.parametrize(
    ("deposit", "code"),
    [
        (finalized("invoice", 1_200, "F9"), "invalid_document"),
        (finalized("deposit", 1_200, "F9", currency="USD"), "invalid_document"),
        (finalized("deposit", 1_200, "F9", customer={"name": "Other SA"}), "invalid_document"),
        (
            finalized("deposit", 1_200, "F9").model_copy(update={"deducted_by": "inv_other"}),
            "deposit_deducted",
        ),
        (finalized("deposit", 1_200, "F9").model_copy(update={"status": "draft"}), "not_finalized"),
    ],
)
def test_only_a_finalized_deposit_of_the_currency_deducted_nowhere_else_is_deducted(deposit, code):
    with pytest.raises((InvalidDocument, StateConflict)) as refused:
        final_invoice(120_000, [deposit])
    assert (refused.value.code, refused.value.field) == (code, "deposit_ids[0]")


def test_deposits_beyond_the_total_are_refused():
    with pytest.raises(InvalidDocument) as refused:
        final_invoice(12_000, [finalized("deposit", 12_012, "F1")])
    assert refused.value.field == "deposit_ids"


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(min_value=1, max_value=50_000),
    deposits=st.lists(st.integers(min_value=1, max_value=20_000), max_size=4),
    operations=st.lists(
        st.tuples(st.sampled_from(["payment", "credit"]), st.integers(min_value=-500, max_value=60_000)),
        max_size=25,
    ),
)
def test_property_amount_due_is_total_minus_payments_credits_and_deposits_never_below_zero(
    total, deposits, operations
):
    deposit_documents = [finalized("deposit", cents * 12, f"F{n}") for n, cents in enumerate(deposits)]
    try:
        draft = final_invoice(total * 12, deposit_documents)
    except InvalidDocument:
        assert sum(deposits) > total
        return
    invoice = freeze(
        draft, seller=SELLER, number="F99", issue_date=date(2026, 11, 21), default_terms="30", now=NOW
    )
    payments: list[Payment] = []
    notes: list[CreditNoteRef] = []
    for n, (kind, value) in enumerate(operations):
        amount = Decimal(value).scaleb(-2)
        try:
            if kind == "payment":
                check_payment(invoice, amount)
                payments.append(
                    Payment(
                        id=f"p{n}", amount=amount, date=date(2026, 11, 21), method="card", recorded_at=NOW
                    )
                )
            else:
                if amount <= 0:
                    continue
                check_credit(invoice, amount)
                notes.append(
                    CreditNoteRef(id=f"c{n}", number=f"AV{n}", amount=amount, issue_date=date(2026, 11, 21))
                )
        except InvalidDocument:
            assert amount <= 0 or amount > invoice.totals.amount_due
            continue
        invoice = settled(invoice, payments, notes)
        totals = invoice.totals
        assert totals.amount_due == (
            totals.total_incl_tax
            - sum(p.amount for p in payments)
            - sum(c.amount for c in notes)
            - sum(d.amount for d in invoice.deposits)
        )
        assert totals.amount_due >= 0
