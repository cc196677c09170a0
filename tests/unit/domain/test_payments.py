"""Payments: the amount due is always the total minus payments, never below zero; the status follows."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invoicing.domain.documents import draft_document, freeze
from invoicing.domain.errors import InvalidDocument, StateConflict
from invoicing.domain.model import DocumentContent
from invoicing.domain.parts import Payment, Seller
from invoicing.domain.payments import check_payment, settled

NOW = datetime(2026, 11, 21, tzinfo=UTC)
SELLER = Seller.model_validate(
    {
        "name": "Atelier SAS",
        "siren": "552100554",
        "address": {"line1": "1", "postal_code": "69002", "city": "Lyon"},
    }
)


def invoice(price: str = "100", currency: str = "EUR"):
    content = DocumentContent.model_validate(
        {
            "customer": {"name": "ACME"},
            "currency": currency,
            "lines": [{"title": "Conseil", "unit_price": price, "vat_rate": "20"}],
        }
    )
    draft = draft_document(content, document_id="inv_1", now=NOW)
    return draft, freeze(
        draft, seller=SELLER, number="F1", issue_date=date(2026, 11, 21), default_terms="30", now=NOW
    )


def payment(amount: str, n: int = 0) -> Payment:
    return Payment(
        id=f"pay_{n}", amount=Decimal(amount), date=date(2026, 11, 21), method="transfer", recorded_at=NOW
    )


def test_status_follows_what_is_paid():
    _, final = invoice()  # 120.00 due
    assert settled(final, [], []).status == "open"
    partly = settled(final, [payment("20")], [])
    assert (partly.status, partly.totals.amount_paid, partly.totals.amount_due) == (
        "partially_paid",
        Decimal(20),
        Decimal("100.00"),
    )
    assert settled(final, [payment("20"), payment("100", 1)], []).status == "paid"


@pytest.mark.parametrize(
    ("amount", "field"), [("0", "amount"), ("-5", "amount"), ("120.01", "amount"), ("10.001", "amount")]
)
def test_impossible_amounts_are_refused(amount, field):
    _, final = invoice()
    with pytest.raises(InvalidDocument) as refused:
        check_payment(final, Decimal(amount))
    assert refused.value.field == field


def test_drafts_take_no_payment():
    draft, _ = invoice()
    with pytest.raises(StateConflict):
        check_payment(draft, Decimal(1))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=-2_000, max_value=20_000), max_size=30))
def test_property_accepted_payments_never_take_the_amount_due_below_zero(cents):
    _, document = invoice("987.65")
    accepted = []
    for n, value in enumerate(cents):
        amount = Decimal(value).scaleb(-2)
        try:
            check_payment(document, amount)
        except InvalidDocument:
            assert amount <= 0 or amount > document.totals.amount_due
            continue
        accepted.append(payment(str(amount), n))
        document = settled(document, accepted, [])
        assert document.totals.amount_due == document.totals.total_incl_tax - sum(p.amount for p in accepted)
        assert document.totals.amount_due >= 0
    assert document.status == (
        "paid" if document.totals.amount_due == 0 else "partially_paid" if accepted else "open"
    )
