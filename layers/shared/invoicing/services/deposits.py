"""The deposit invoices a final invoice deducts: read as they stand, and marked deducted with it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from invoicing.domain.deposits import deduct_deposits
from invoicing.domain.errors import InvalidDocument, StateConflict
from invoicing.domain.model import Document
from invoicing.services.dependencies import Dependencies
from invoicing.services.identifiers import is_document_id

if TYPE_CHECKING:
    from collections.abc import Callable


def _deposits(deps: Dependencies, tenant_id: str, document: Document) -> list[Document]:
    found = []
    for position, deposit_id in enumerate(document.deposit_ids):
        stored = deps.documents.get(tenant_id, deposit_id) if is_document_id(deposit_id) else None
        if stored is None:
            raise InvalidDocument(f"no deposit invoice {deposit_id[:64]!r}", field=f"deposit_ids[{position}]")
        found.append(stored.document)
    return found


def with_deposits(deps: Dependencies, tenant_id: str, document: Document) -> Document:
    """The invoice with the deposits it names deducted from its amount due, as they stand now."""
    if not document.deposit_ids:
        return document
    return deduct_deposits(document, _deposits(deps, tenant_id, document))


def deposit_deductions(deps: Dependencies, tenant_id: str) -> Callable[[Document], list[dict[str, Any]]]:
    """For a final invoice being committed, the updates that mark each of its deposits deducted by
    it; their conditions make a deposit deducted once and never credited meanwhile."""

    def updates(final: Document) -> list[dict[str, Any]]:
        deposits = _deposits(deps, tenant_id, final)
        if deduct_deposits(final, deposits).deposits != final.deposits:
            raise StateConflict(
                "a deposit invoice was credited while this invoice was finalized: retry", code="conflict"
            )
        return [
            deps.documents.deduction_update(tenant_id, deposit, final_id=final.id) for deposit in deposits
        ]

    return updates
