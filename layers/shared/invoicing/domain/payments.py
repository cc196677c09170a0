"""Payments against a finalized invoice: what they leave due, the status that follows, the refusals."""

from __future__ import annotations

from decimal import Decimal

from invoicing.domain.errors import InvalidDocument, StateConflict
from invoicing.domain.model import Document, Payment, Status
from invoicing.domain.money import minor_unit, round_money

MAX_PAYMENTS = 100
PAYABLE_TYPES = frozenset({"invoice", "deposit"})


def status_after(total: Decimal, paid: Decimal) -> Status:
    if paid <= 0:
        return "open"
    return "paid" if paid >= total else "partially_paid"


def with_payments(document: Document, payments: list[Payment]) -> Document:
    """The document as its payments leave it: amount paid, amount due and status follow them."""
    if document.is_draft:
        return document
    paid = round_money(sum((payment.amount for payment in payments), Decimal(0)), document.currency)
    totals = document.totals.model_copy(
        update={"amount_paid": paid, "amount_due": document.totals.total_incl_tax - paid}
    )
    status = status_after(document.totals.total_incl_tax, paid)
    return document.model_copy(update={"payments": payments, "totals": totals, "status": status})


def check_payment(document: Document, amount: Decimal) -> None:
    if document.is_draft:
        raise StateConflict("a draft takes no payment: finalize it first", code="not_finalized")
    if document.type not in PAYABLE_TYPES:
        raise StateConflict(f"a {document.type} document takes no payment", code="not_payable", field="type")
    if len(document.payments) >= MAX_PAYMENTS:
        raise StateConflict(f"an invoice takes at most {MAX_PAYMENTS} payments", code="too_many_payments")
    unit = minor_unit(document.currency)
    if amount <= 0 or amount != amount.quantize(unit):
        raise InvalidDocument(f"a positive amount in whole {unit} {document.currency}", field="amount")
    due = document.totals.amount_due
    if amount > due:
        raise InvalidDocument(
            f"the payment exceeds the amount due ({due} {document.currency}): overpayments are refused",
            field="amount",
        )
