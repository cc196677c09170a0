"""Crediting an invoice: a numbered credit note and the invoice's amount due, changed together."""

from __future__ import annotations

from decimal import Decimal

from invoicing.domain.credit_notes import (
    check_credit,
    check_creditable,
    corrected,
    credit_note_content,
    credit_note_ref,
)
from invoicing.domain.documents import draft_document
from invoicing.domain.errors import StateConflict
from invoicing.domain.model import Document
from invoicing.domain.payments import settled
from invoicing.services.changes import Change, SettlementChanged
from invoicing.services.documents import get_invoice
from invoicing.services.identifiers import new_document_id, utc_now
from invoicing.services.numbering import finalize_document
from invoicing.services.ports import Dependencies, Stored
from invoicing.services.publishing import publish


def credit_invoice(
    deps: Dependencies,
    tenant_id: str,
    invoice_id: str,
    *,
    reason: str,
    selection: list[tuple[int, Decimal | None]] | None,
) -> Stored[Document]:
    """The credit note, numbered in its own series and published; the invoice's amount due falls by
    its total in the same commit, which a concurrent payment or credit note makes retry."""
    invoice = get_invoice(deps, tenant_id, invoice_id).document
    check_creditable(invoice)
    now = utc_now()
    draft = draft_document(credit_note_content(invoice, selection), document_id=new_document_id(), now=now)
    draft = draft.model_copy(update={"corrects": corrected(invoice), "reason": reason})
    check_credit(invoice, draft.totals.total_incl_tax)

    def credited_invoice(credit_note: Document) -> list[Change]:
        current = get_invoice(deps, tenant_id, invoice_id).document
        check_creditable(current)  # a final invoice may have deducted this deposit meanwhile
        check_credit(current, credit_note.totals.total_incl_tax)
        after = settled(current, current.payments, [*current.credit_notes, credit_note_ref(credit_note)])
        return [SettlementChanged(before=current, after=after)]

    settings = deps.tenants.settings(tenant_id)
    if settings.seller is None:
        raise StateConflict(
            "set the seller's legal identity before issuing a credit note", code="seller_identity_missing"
        )
    stored = finalize_document(
        deps, tenant_id, draft, draft_version=None, settings=settings, now=now, related=credited_invoice
    )
    return publish(deps, tenant_id, stored)
