"""The deposit invoices a final invoice deducts: read as they stand, and marked deducted with it."""

from __future__ import annotations

from invoicing.domain.deposits import deduct_deposits
from invoicing.domain.errors import InvalidDocument, StateConflict
from invoicing.domain.model import Document
from invoicing.services.changes import Change, DepositDeducted
from invoicing.services.documents import find_invoice
from invoicing.services.ports import Dependencies


def _deposits(deps: Dependencies, tenant_id: str, document: Document) -> list[Document]:
    found = []
    for position, deposit_id in enumerate(document.deposit_ids):
        stored = find_invoice(deps, tenant_id, deposit_id)
        if stored is None:
            raise InvalidDocument(f"no deposit invoice {deposit_id[:64]!r}", field=f"deposit_ids[{position}]")
        found.append(stored.document)
    return found


def with_deposits(deps: Dependencies, tenant_id: str, document: Document) -> Document:
    """The invoice with the deposits it names deducted from its amount due, as they stand now."""
    if not document.deposit_ids:
        return document
    return deduct_deposits(document, _deposits(deps, tenant_id, document))


def deposit_deductions(deps: Dependencies, tenant_id: str, final: Document) -> list[Change]:
    """For a final invoice being committed, each of its deposits marked deducted by it, as read now:
    a deposit is deducted once, and never credited meanwhile."""
    deposits = _deposits(deps, tenant_id, final)
    if deduct_deposits(final, deposits).deposits != final.deposits:
        raise StateConflict(
            "a deposit invoice was credited while this invoice was finalized: retry", code="conflict"
        )
    return [DepositDeducted(deposit, final_id=final.id) for deposit in deposits]
