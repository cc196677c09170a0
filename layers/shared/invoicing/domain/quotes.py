"""Quotes (devis): numbered in their own series, accepted or declined by the customer, then invoiced
in full or by deposits of a percentage, each document linked to the quote and the quote to it.

A quote is invoiced in full once; deposits add up to at most 100 % of it, and the final invoice
made from the quote deducts them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Final, Literal

from babel.numbers import format_decimal

from invoicing.domain.documents import content_fields, draft_document
from invoicing.domain.errors import BrokenInvariant, InvalidDocument, StateConflict
from invoicing.domain.model import Document, DocumentContent, Quote, QuoteStatus
from invoicing.domain.money import percent_of, round_money
from invoicing.domain.parts import DocumentRef, Line, QuoteInvoice

Decision = Literal["accepted", "declined"]

_DEPOSIT_TITLE: Final = {
    "fr": ("Acompte de {percent} % sur le devis {number}", " (TVA {rate} %)", "fr_FR"),
    "en": ("Deposit of {percent}% on quote {number}", " (VAT {rate}%)", "en_GB"),
}


def is_expired(quote: Quote, today: date) -> bool:
    """An open quote past its last day can no longer be accepted."""
    return quote.status == "open" and quote.valid_until is not None and quote.valid_until < today


def check_decision(quote: Quote, decision: Decision, today: date) -> None:
    if quote.is_draft:
        raise StateConflict("a draft quote is finalized before the customer decides", code="not_finalized")
    if quote.status != "open":
        raise StateConflict(f"the quote is already {quote.status}", code=f"quote_{quote.status}")
    if decision == "accepted" and is_expired(quote, today):
        if quote.valid_until is None:
            raise BrokenInvariant("quote.valid_until is missing")
        raise StateConflict(
            f"the quote expired on {quote.valid_until.isoformat()}: issue a new one", code="quote_expired"
        )


def _check_invoiceable(quote: Quote) -> None:
    if quote.status == "invoiced":
        full = next((link.id for link in quote.invoices if link.type == "invoice"), None)
        raise StateConflict(f"the quote is already invoiced in full by {full}", code="quote_invoiced")
    if quote.status != "accepted":
        raise StateConflict(
            f"the quote is {quote.status}: only an accepted quote is invoiced (accept it first)",
            code="quote_not_accepted",
        )


def status_once_invoiced(quote: Quote, link: QuoteInvoice) -> QuoteStatus:
    """Invoiced in full, a quote is `invoiced`; a deposit leaves it as it was (accepted)."""
    return "invoiced" if link.type == "invoice" else quote.status


def status_once_withdrawn(draft: Document) -> QuoteStatus | None:
    """Deleting the draft of its final invoice makes the quote accepted again, free to be invoiced;
    deleting a deposit's only gives its percentage back."""
    return None if draft.kind.deposit else "accepted"


def _reference(quote: Quote) -> DocumentRef:
    if quote.number is None:
        raise BrokenInvariant("quote.number is missing")
    return DocumentRef(id=quote.id, number=quote.number)


def invoice_from_quote(quote: Quote, *, document_id: str, now: datetime) -> tuple[Document, QuoteInvoice]:
    """The draft final invoice of the whole quote, deducting the deposits already made from it."""
    _check_invoiceable(quote)
    fields = content_fields(quote) | {"type": "invoice", "valid_until": None, "issue_date": None}
    fields["deposit_ids"] = [link.id for link in quote.invoices if link.type == "deposit"]
    invoice = draft_document(DocumentContent.model_validate(fields), document_id=document_id, now=now)
    return invoice.model_copy(update={"quote": _reference(quote)}), QuoteInvoice(
        id=document_id, type="invoice", created_at=now
    )


def deposit_from_quote(
    quote: Quote, percent: Decimal, *, document_id: str, now: datetime
) -> tuple[Document, QuoteInvoice]:
    """A draft deposit invoice for `percent` of the quote, one line per VAT rate of the quote."""
    _check_invoiceable(quote)
    taken = sum((link.deposit_percent or Decimal(0) for link in quote.invoices), Decimal(0))
    if taken + percent > 100:
        raise InvalidDocument(
            f"deposits would reach {taken + percent} % of the quote; {100 - taken} % is left",
            field="deposit_percent",
        )
    title, rate_suffix, locale = _DEPOSIT_TITLE[quote.language]
    if quote.number is None:
        raise BrokenInvariant("quote.number is missing")
    heading = title.format(percent=format_decimal(percent, locale=locale), number=quote.number)
    lines = [
        Line(
            title=heading
            + (
                rate_suffix.format(rate=format_decimal(vat.rate, locale=locale))
                if len(quote.totals.vat) > 1
                else ""
            ),
            # Rounded on the cumulated percentage, so deposits reaching 100 % add up to the quote's bases.
            unit_price=round_money(percent_of(vat.base, taken + percent), quote.currency)
            - round_money(percent_of(vat.base, taken), quote.currency),
            vat_rate=vat.rate,
        )
        for vat in quote.totals.vat
        if vat.base > 0
    ]
    if not lines:
        raise StateConflict(
            "the quote's total is zero: there is nothing to pay a deposit on", code="quote_empty"
        )
    fields = {
        name: value
        for name, value in content_fields(quote).items()
        if name
        in {
            "customer",
            "customer_id",
            "operation_nature",
            "currency",
            "language",
            "payment_terms",
            "vat_exemption",
            "metadata",
        }
    }
    content = DocumentContent.model_validate(
        fields
        | {"type": "deposit", "lines": [line.model_dump(mode="json", exclude_none=True) for line in lines]}
    )
    deposit = draft_document(content, document_id=document_id, now=now)
    link = QuoteInvoice(id=document_id, type="deposit", deposit_percent=percent, created_at=now)
    return deposit.model_copy(update={"quote": _reference(quote)}), link
