"""Credit notes (avoirs): the only way a finalized invoice is corrected, in full or by lines.

A credit note takes the invoice's customer, currency and prices; it never credits more than is
still due on the invoice, so the invoice's amount due never goes below zero.
"""

from __future__ import annotations

from decimal import Decimal

from invoicing.domain.errors import InvalidDocument, StateConflict
from invoicing.domain.model import Document, DocumentContent
from invoicing.domain.parts import CorrectedInvoice, CreditNoteRef, Line


def check_creditable(invoice: Document) -> None:
    if invoice.is_draft:
        raise StateConflict("a draft is changed or deleted, not credited", code="not_finalized")
    if not invoice.kind.creditable:
        # An imported invoice is corrected by importing its credit note (external_credit), not by ours.
        raise StateConflict(f"a {invoice.type} document is not credited", code="not_creditable", field="type")
    if invoice.deducted_by is not None:
        raise StateConflict(
            f"the final invoice {invoice.deducted_by} deducts this deposit: credit that invoice instead",
            code="deposit_deducted",
        )


def check_credit(invoice: Document, amount: Decimal) -> None:
    due = invoice.totals.amount_due
    if amount > due:
        raise InvalidDocument(
            f"the credit note ({amount} {invoice.currency}) exceeds what is still due on the invoice "
            f"({due} {invoice.currency}): remove payments that were refunded first",
            field="lines",
        )


def credit_note_content(
    invoice: Document, selection: list[tuple[int, Decimal | None]] | None
) -> DocumentContent:
    """The credit note's content: every line of the invoice, or the chosen ones and quantities."""
    if selection is None:
        lines = [
            Line(**line.model_dump(exclude={"total_excl_tax"}, exclude_none=True)) for line in invoice.lines
        ]
        discount = invoice.discount
    else:
        lines = []
        for position, (index, quantity) in enumerate(selection):
            if not 0 <= index < len(invoice.lines) or invoice.lines[index].kind != "item":
                raise InvalidDocument(
                    "no item line of the invoice has this index", field=f"lines[{position}].index"
                )
            original = invoice.lines[index]
            if quantity is not None and not 0 < quantity <= original.quantity:
                raise InvalidDocument(
                    f"between 0 and the invoiced quantity ({original.quantity})",
                    field=f"lines[{position}].quantity",
                )
            fields = original.model_dump(exclude={"total_excl_tax"}, exclude_none=True)
            lines.append(Line(**fields | ({"quantity": quantity} if quantity is not None else {})))
        if len({index for index, _ in selection}) != len(selection):
            raise InvalidDocument("each invoice line is credited once per credit note", field="lines")
        discount = invoice.discount
        if discount is not None and discount.type == "amount":
            raise InvalidDocument(
                "the invoice has a discount of a fixed amount: credit it in full", field="lines"
            )
    return DocumentContent(
        type="credit_note",
        customer=invoice.customer,
        operation_nature=invoice.operation_nature,
        currency=invoice.currency,
        exchange_rate=invoice.exchange_rate,
        language=invoice.language,
        payment_terms="0",
        discount=discount,
        lines=lines,
        vat_exemption=invoice.vat_exemption,
    )


def corrected(invoice: Document) -> CorrectedInvoice:
    """The finalized invoice as the credit note that corrects it names it."""
    if invoice.number is None or invoice.issue_date is None:
        raise StateConflict("a draft is changed or deleted, not credited", code="not_finalized")
    return CorrectedInvoice(id=invoice.id, number=invoice.number, issue_date=invoice.issue_date)


def credit_note_ref(credit_note: Document, amount: Decimal | None = None) -> CreditNoteRef:
    """The finalized credit note as the invoice it corrects lists it, for `amount` (its total by
    default: a shop's refund may credit less than a line's worth)."""
    if credit_note.number is None or credit_note.issue_date is None:
        raise StateConflict("a credit note is listed on its invoice once finalized", code="not_finalized")
    return CreditNoteRef(
        id=credit_note.id,
        number=credit_note.number,
        amount=credit_note.totals.total_incl_tax if amount is None else amount,
        issue_date=credit_note.issue_date,
    )
