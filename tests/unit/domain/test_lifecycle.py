"""What a payment says of an e-invoice: collected (212) only for services taxed on receipts, with
what was paid at each VAT rate adding up to the payment to the cent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invoicing.domain.e_invoicing import StatusEntry
from invoicing.domain.lifecycle import collected_amounts, collected_entry, with_collection, with_entries
from invoicing.domain.parts import Payment
from tests.support.documents import NOW, SELLER, finalized, line

TWO_RATES = [line("Conseil", "100", "20"), line("Formation", "50", "5.5")]  # 120.00 + 52.75


def payment(amount: str, payment_id: str = "pay_1") -> Payment:
    return Payment(
        id=payment_id,
        amount=Decimal(amount),
        date=NOW.date(),
        method="transfer",
        recorded_at=NOW + timedelta(hours=1),
    )


def test_a_payment_of_services_is_collected_per_vat_rate_in_proportion_to_each_rates_total():
    document = finalized(lines=TWO_RATES)
    entry = collected_entry(document, payment("100.00"))
    assert entry is not None
    assert entry.status == "collected"
    assert entry.id == "collected:pay_1"
    assert [(a.vat_rate, a.amount) for a in entry.amounts] == [
        (Decimal("20"), Decimal("69.46")),
        (Decimal("5.5"), Decimal("30.54")),
    ]


def test_paying_in_full_collects_each_rates_total():
    document = finalized(lines=TWO_RATES)
    entry = collected_entry(document, payment("172.75"))
    assert entry is not None
    assert [a.amount for a in entry.amounts] == [Decimal("120.00"), Decimal("52.75")]


@given(st.integers(min_value=1, max_value=17275))
def test_the_amounts_collected_always_add_up_to_the_payment(cents: int):
    document = finalized(lines=TWO_RATES)
    amounts = collected_amounts(document.totals.vat, Decimal(cents) / 100, "EUR")
    assert sum(a.amount for a in amounts) == Decimal(cents) / 100


@pytest.mark.parametrize(
    ("fields", "seller"),
    [
        ({"operation_nature": "goods"}, SELLER),  # VAT on goods is due on delivery, not on payment
        ({"operation_nature": "mixed"}, SELLER),
        ({}, SELLER.model_copy(update={"vat_on_debits": True})),  # the seller opted for debits
        ({"customer": {"name": "Jeanne Martin"}}, SELLER),  # a consumer: e-reported, not e-invoiced
    ],
)
def test_nothing_is_collected_where_vat_is_not_due_on_receipt_or_there_is_no_e_invoice(fields, seller):
    document = finalized(seller=seller, **fields)
    assert collected_entry(document, payment("10.00")) is None
    assert with_collection(document, payment("10.00")) == document


def test_the_status_is_the_latest_entrys_and_an_entry_counts_once():
    document = with_collection(finalized(), payment("10.00"))
    reform = document.e_invoicing
    assert reform is not None
    assert [entry.status for entry in reform.history] == ["pending", "collected"]
    assert reform.status == "collected"
    later = StatusEntry(id="flow-1:210", status="refused", at=NOW + timedelta(days=1), reason="Prix")
    again = with_entries(reform, [later, reform.history[1], later])
    assert [entry.id for entry in again.history] == ["issued", "collected:pay_1", "flow-1:210"]
    assert again.status == "refused"
    earlier = StatusEntry(id="flow-0:200", status="deposited", at=datetime(2026, 11, 21, 0, 1, tzinfo=UTC))
    assert [entry.id for entry in with_entries(again, [earlier]).history][:2] == ["issued", "flow-0:200"]
