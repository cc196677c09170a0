"""Crediting an invoice: a numbered credit note and the invoice's amount due, changed together."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from invoicing.adapters.dynamodb.documents import StoredDocument
from invoicing.domain.credit_notes import check_credit, check_creditable, corrected, credit_note_content
from invoicing.domain.documents import draft_document
from invoicing.domain.errors import StateConflict
from invoicing.domain.model import CreditNoteRef, Document
from invoicing.domain.payments import settled
from invoicing.services.dependencies import Dependencies
from invoicing.services.identifiers import new_document_id, utc_now
from invoicing.services.invoices import get_invoice
from invoicing.services.numbering import finalize_document


def credit_invoice(
    deps: Dependencies,
    tenant_id: str,
    invoice_id: str,
    *,
    reason: str,
    selection: list[tuple[int, Decimal | None]] | None,
    publish: Callable[[StoredDocument], StoredDocument],
) -> StoredDocument:
    """The credit note, numbered in its own series and rendered; the invoice's amount due falls by its
    total in the same transaction, which a concurrent payment or credit note makes retry."""
    invoice = get_invoice(deps, tenant_id, invoice_id).document
    check_creditable(invoice)
    now = utc_now()
    draft = draft_document(credit_note_content(invoice, selection), document_id=new_document_id(), now=now)
    draft = draft.model_copy(update={"corrects": corrected(invoice), "reason": reason})
    check_credit(invoice, draft.totals.total_incl_tax)

    def invoice_update(credit_note: Document) -> list[dict[str, Any]]:
        current = get_invoice(deps, tenant_id, invoice_id).document
        check_credit(current, credit_note.totals.total_incl_tax)
        assert credit_note.number is not None
        assert credit_note.issue_date is not None
        reference = CreditNoteRef(
            id=credit_note.id,
            number=credit_note.number,
            amount=credit_note.totals.total_incl_tax,
            issue_date=credit_note.issue_date,
        )
        after = settled(current, current.payments, [*current.credit_notes, reference])
        return [
            deps.documents.settlement_update(
                tenant_id,
                after,
                before=current.totals,
                entries=[("credit_notes", reference.id, reference.model_dump_json())],
            )
        ]

    settings = deps.tenants.settings(tenant_id)
    if settings.seller is None:
        raise StateConflict(
            "set the seller's legal identity before issuing a credit note", code="seller_identity_missing"
        )
    stored = finalize_document(
        deps, tenant_id, draft, draft_version=None, settings=settings, now=now, related=invoice_update
    )
    return publish(stored)
