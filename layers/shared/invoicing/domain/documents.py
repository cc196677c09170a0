"""A document's life in the domain: priced as a draft, then frozen with its number at finalization."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, overload

from invoicing.domain.e_invoicing import EInvoicing, StatusEntry, processing_rule
from invoicing.domain.errors import InvalidDocument, StateConflict
from invoicing.domain.finalize_check import Problem, check_document
from invoicing.domain.kinds import Series
from invoicing.domain.model import AnyDocument, D, Document, DocumentContent, Quote, QuoteContent
from invoicing.domain.money import round_money
from invoicing.domain.parts import Seller
from invoicing.domain.terms import (
    PaymentTerms,
    due_date,
    exceeds_b2b_cap,
    latest_b2b_due_date,
    terms_exceed_b2b_cap,
)
from invoicing.domain.totals import compute_totals, price_lines, with_euro_amounts

DEFAULT_QUOTE_VALIDITY_DAYS = 30


@overload
def draft_document(content: QuoteContent, *, document_id: str, now: datetime) -> Quote: ...
@overload
def draft_document(content: DocumentContent, *, document_id: str, now: datetime) -> Document: ...
def draft_document(
    content: DocumentContent | QuoteContent, *, document_id: str, now: datetime
) -> AnyDocument:
    """Price the lines and compute totals; the client's own figures are never taken."""
    lines = price_lines(content.lines, content.currency)
    totals = with_euro_amounts(
        compute_totals(lines, content.discount, content.currency), content.exchange_rate
    )
    aggregate = Quote if isinstance(content, QuoteContent) else Document
    document = aggregate(
        **content.model_dump(exclude={"lines"}, exclude_none=True),
        id=document_id,
        lines=lines,
        totals=totals,
        created_at=now,
    )
    if document.issue_date is not None:
        check_due_date(document, document.issue_date, default_terms=None)
    return document


def _content_of(document: AnyDocument) -> type[DocumentContent | QuoteContent]:
    return QuoteContent if isinstance(document, Quote) else DocumentContent


def content_fields(document: AnyDocument) -> dict[str, Any]:
    """What a client wrote on the document, as JSON: the computed parts left out."""
    return document.model_dump(
        mode="json",
        include=set(_content_of(document).model_fields),
        exclude={"lines": {"__all__": {"total_excl_tax"}}},
        exclude_none=True,
    )


def revise_draft(document: D, changes: dict[str, Any]) -> D:
    """The draft with the client's changes (a field sent as null is cleared), priced anew; a quote
    stays a quote, and a document never becomes one."""
    if not document.is_draft:
        raise StateConflict(
            f"the document is finalized as {document.number}: correct it with a credit note",
            code="already_finalized",
        )
    if isinstance(document, Quote):
        return draft_document(
            QuoteContent.model_validate(content_fields(document) | changes),
            document_id=document.id,
            now=document.created_at,
        )
    if document.converted_to is not None:
        raise StateConflict(f"the proforma became invoice {document.converted_to}", code="converted")
    revised = draft_document(
        DocumentContent.model_validate(content_fields(document) | changes),
        document_id=document.id,
        now=document.created_at,
    )
    return revised.model_copy(update={"quote": document.quote})


def invoice_from_proforma(proforma: Document, *, document_id: str, now: datetime) -> Document:
    """The draft invoice a proforma turns into: its content, now a real invoice, pointing back to it."""
    if not proforma.kind.convertible or not proforma.is_draft:
        raise StateConflict("only a proforma turns into an invoice", code="not_proforma", field="type")
    if proforma.converted_to is not None:
        raise StateConflict(f"the proforma already became invoice {proforma.converted_to}", code="converted")
    content = DocumentContent.model_validate(content_fields(proforma) | {"type": "invoice"})
    invoice = draft_document(content, document_id=document_id, now=now)
    return invoice.model_copy(update={"converted_from": proforma.id})


def with_default_nature(document: D, seller: Seller | None) -> D:
    """The document with the nature of operation the seller usually states, when it states none."""
    if document.operation_nature is not None or seller is None or seller.operation_nature is None:
        return document
    return document.model_copy(update={"operation_nature": seller.operation_nature})


def series_of(document: AnyDocument) -> Series:
    series = document.kind.series
    if series is None:
        raise StateConflict(
            f"a {document.type} document takes no number from our series and is not finalized here",
            code="not_finalizable",
            field="type",
        )
    return series


def resolve_due_date(
    document: AnyDocument, issue_date: date, default_terms: PaymentTerms | None
) -> date | None:
    if document.due_date is not None:
        return document.due_date
    terms = document.payment_terms or default_terms
    return due_date(issue_date, terms) if terms is not None else None


def check_due_date(
    document: AnyDocument, issue_date: date, default_terms: PaymentTerms | None
) -> date | None:
    due = resolve_due_date(document, issue_date, default_terms)
    if due is not None and due < issue_date:
        raise InvalidDocument("due_date must not be before issue_date", field="due_date")
    if document.customer.is_business:
        terms = None if document.due_date else document.payment_terms or default_terms
        too_long = (
            terms_exceed_b2b_cap(terms) if terms else due is not None and exceeds_b2b_cap(issue_date, due)
        )
        if too_long:
            raise InvalidDocument(
                "between businesses, payment terms are capped at 60 days or 45 days end of month "
                f"(latest due date {latest_b2b_due_date(issue_date).isoformat()})",
                field="payment_terms" if terms else "due_date",
            )
    return due


class FinalizeBlocked(InvalidDocument):
    """Finalization refused: the problems are those GET .../finalize-check lists as blocking."""

    code = "finalize_blocked"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems), field=problems[0].field)
        self.problems = problems

    def details(self) -> list[tuple[str | None, str, str | None]]:
        return [(problem.field, problem.message, problem.code) for problem in self.problems]


def check_finalizable(document: AnyDocument, seller: Seller | None) -> Seller:
    if not document.is_draft:
        raise StateConflict(
            f"the document is already finalized as {document.number}", code="already_finalized"
        )
    series_of(document)
    check = check_document(document, seller)
    if seller is None:
        raise StateConflict(check.blocking[0].message, code="seller_identity_missing")
    if not check.finalizable:
        raise FinalizeBlocked(check.blocking)
    return seller


def freeze(
    document: D,
    *,
    seller: Seller,
    number: str,
    issue_date: date,
    default_terms: PaymentTerms | None,
    quote_validity_days: int = DEFAULT_QUOTE_VALIDITY_DAYS,
    now: datetime,
) -> D:
    """The finalized document: numbered, dated, with the seller's identity as it is today. A quote
    has no due date but a last day of validity."""
    due = check_due_date(document, issue_date, default_terms)
    valid_until = None
    reform: dict[str, EInvoicing] = {}
    if isinstance(document, Quote):
        due = None
        valid_until = document.valid_until or issue_date + timedelta(days=quote_validity_days)
        if valid_until < issue_date:
            raise InvalidDocument("valid_until must not be before issue_date", field="valid_until")
    else:
        reform = {"e_invoicing": e_invoicing_at_issue(document, now)}
    applied = isinstance(document, Document) and is_applied(document)
    nothing_due = round_money(Decimal(0), document.currency)
    settlement: dict[str, Any] = (
        {"status": "applied", "totals": document.totals.model_copy(update={"amount_due": nothing_due})}
        if applied
        else {"status": "open"}
    )
    return document.model_copy(
        update={
            "number": number,
            "issue_date": issue_date,
            "due_date": due,
            "valid_until": valid_until,
            "payment_terms": None if document.due_date else document.payment_terms or default_terms,
            "seller": seller,
            "finalized_at": now,
        }
        | settlement
        | reform
    )


def is_applied(document: Document) -> bool:
    """A credit note of ours is imputed, whole, on the invoice it corrects as it is issued (the
    invoice's amount due falls by it): nothing is due on it either way."""
    return document.kind.credit and document.corrects is not None


def e_invoicing_at_issue(document: Document, now: datetime) -> EInvoicing:
    """The flow the document takes once issued: an e-invoice to a French business waits to be deposited
    on the seller's platform; the others are e-reported, or neither."""
    rule = processing_rule(document.customer, e_invoice=document.kind.e_invoice)
    if rule != "B2B":
        return EInvoicing(processing_rule=rule)
    return EInvoicing(
        processing_rule=rule, status="pending", history=[StatusEntry(id="issued", status="pending", at=now)]
    )
