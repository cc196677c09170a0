"""What is settled on a finalized invoice: payments and credit notes, the amount due and status they
leave, and the refusals that keep the amount due from ever going below zero."""

from __future__ import annotations

from decimal import Decimal

from invoicing.domain.errors import InvalidDocument, StateConflict
from invoicing.domain.model import Document, DocumentStatus
from invoicing.domain.money import minor_unit, round_money
from invoicing.domain.parts import CreditNoteRef, Payment

MAX_PAYMENTS = 100


def status_after(due: Decimal, paid: Decimal) -> DocumentStatus:
    if due <= 0:
        return "paid" if paid > 0 else "credited"
    return "partially_paid" if paid > 0 else "open"


def settled(document: Document, payments: list[Payment], credit_notes: list[CreditNoteRef]) -> Document:
    """The document as its payments and credit notes leave it: amounts and status follow them."""
    if document.is_draft or not document.kind.settled or document.status == "applied":
        return document
    paid = round_money(sum((payment.amount for payment in payments), Decimal(0)), document.currency)
    credited = round_money(sum((note.amount for note in credit_notes), Decimal(0)), document.currency)
    totals = document.totals
    due = totals.payable - paid - credited
    totals = totals.model_copy(update={"amount_paid": paid, "amount_credited": credited, "amount_due": due})
    return document.model_copy(
        update={
            "payments": payments,
            "credit_notes": credit_notes,
            "totals": totals,
            "status": status_after(due, paid),
        }
    )


def check_payment(document: Document, amount: Decimal) -> None:
    if document.is_draft:
        raise StateConflict("a draft takes no payment: finalize it first", code="not_finalized")
    if not document.kind.payable:
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
