"""A draft's life, for documents of the books and quotes alike: created, changed, deleted, and
finalized (numbered, frozen, published). Each aggregate's use cases read the draft by its id and
hand it here."""

from __future__ import annotations

from functools import partial
from typing import Any

from invoicing.domain.documents import revise_draft
from invoicing.domain.errors import StateConflict
from invoicing.domain.model import AnyDocument, D, Document
from invoicing.domain.quotes import status_once_withdrawn
from invoicing.services.changes import DocumentCreated, DraftDeleted, DraftReplaced, QuoteInvoiceWithdrawn
from invoicing.services.customers import with_customer_as_now, with_named_customer
from invoicing.services.deposits import deposit_deductions, with_deposits
from invoicing.services.documents import (
    aggregate_resource,
    commit,
    commit_unless_changed,
    is_id_of,
    not_found,
)
from invoicing.services.identifiers import utc_now
from invoicing.services.numbering import Related, finalize_document
from invoicing.services.ports import ConditionFailed, Dependencies, Stored
from invoicing.services.publishing import is_published, publish


def create_draft(deps: Dependencies, tenant_id: str, draft: D, *, finalize: bool) -> Stored[D]:
    """A draft costs one write (and a read per deposit it deducts); with `finalize`, the document is
    created already numbered, then published."""
    if isinstance(draft, Document):
        draft = with_deposits(deps, tenant_id, draft)
    if finalize:
        return publish(deps, tenant_id, _number_and_freeze(deps, tenant_id, draft, draft_version=None))
    uow = deps.unit_of_work(tenant_id)
    uow.record(DocumentCreated(draft))
    commit(uow)
    return Stored(draft, version=1)


def update_draft(deps: Dependencies, tenant_id: str, stored: Stored[D], changes: dict[str, Any]) -> Stored[D]:
    """The draft with the client's changes, written only if nobody changed or finalized it meanwhile."""
    if "customer" in changes and "customer_id" not in changes:
        changes = changes | {"customer_id": None}  # a customer given in full replaces a named one
    revised = revise_draft(stored.document, with_named_customer(deps, tenant_id, changes))
    if isinstance(revised, Document):
        revised = with_deposits(deps, tenant_id, revised)
    uow = deps.unit_of_work(tenant_id)
    uow.record(DraftReplaced(revised, version=stored.version))
    commit_unless_changed(uow, changed="the draft was finalized or changed")
    return Stored(revised, stored.version + 1)


def delete_draft(deps: Dependencies, tenant_id: str, document_id: str, aggregate: type[D]) -> None:
    """Delete a draft: one conditional write for a draft linked to nothing; a draft made from a quote
    frees the quote to be invoiced again (a final invoice's) or gives its percentage back (a
    deposit's); a converted proforma and a finalized document are kept."""
    if not is_id_of(document_id, aggregate):
        raise not_found(document_id, aggregate)
    uow = deps.unit_of_work(tenant_id)
    uow.record(DraftDeleted(document_id, aggregate_resource(aggregate)))
    try:
        commit(uow)
    except ConditionFailed as refused:
        current = refused.current
        if current is None or not isinstance(current.document, aggregate):
            raise not_found(document_id, aggregate) from None
        _delete_linked(deps, tenant_id, current)


def _delete_linked(deps: Dependencies, tenant_id: str, stored: Stored[AnyDocument]) -> None:
    document = stored.document
    if not document.is_draft:
        raise StateConflict(
            "a finalized document is never deleted: correct it with a credit note", code="already_finalized"
        )
    if not isinstance(document, Document) or document.converted_to is not None:
        raise StateConflict("a proforma that became an invoice is kept", code="converted")
    uow = deps.unit_of_work(tenant_id)
    uow.record(DraftDeleted(document.id, document.kind.resource, stored.version))
    if document.quote is not None:
        status = status_once_withdrawn(document)
        uow.record(QuoteInvoiceWithdrawn(document.quote.id, document.id, status=status))
    commit_unless_changed(uow, changed="the draft was finalized or changed")


def finalize_draft(deps: Dependencies, tenant_id: str, stored: Stored[D]) -> Stored[D]:
    """Number, freeze and publish a draft. On a finalized document whose files a failure left
    unwritten, finish that job instead; on a complete one, refuse."""
    document = stored.document
    if not document.is_draft:
        if is_published(stored):
            raise StateConflict(
                f"the document is already finalized as {document.number}", code="already_finalized"
            )
        return publish(deps, tenant_id, stored)
    frozen = _number_and_freeze(
        deps, tenant_id, with_customer_as_now(deps, tenant_id, document), draft_version=stored.version
    )
    return publish(deps, tenant_id, frozen)


def _number_and_freeze(
    deps: Dependencies, tenant_id: str, document: D, *, draft_version: int | None
) -> Stored[D]:
    """Finalize with the deposits deducted as they stand now, each marked deducted in the same commit."""
    related: Related[D] | None = None
    if isinstance(document, Document):
        document = with_deposits(deps, tenant_id, document)
        if document.deposit_ids:
            related = partial(deposit_deductions, deps, tenant_id)
    return finalize_document(
        deps,
        tenant_id,
        document,
        draft_version=draft_version,
        settings=deps.tenants.settings(tenant_id),
        now=utc_now(),
        related=related,
    )
