"""Reading a tenant's documents as the aggregate their id names, and committing a unit of work's
changes to them. Another tenant's document, or one of the other aggregate, is not found."""

from __future__ import annotations

from invoicing.domain.errors import DocumentTooLarge, NotFound, StateConflict
from invoicing.domain.kinds import Resource
from invoicing.domain.model import D, Document, Quote
from invoicing.domain.payments import settled
from invoicing.services.identifiers import SINGULAR, is_document_id
from invoicing.services.ports import ConditionFailed, Dependencies, Stored, TooLarge, UnitOfWork


def aggregate_resource(aggregate: type[D]) -> Resource:
    return "quotes" if aggregate is Quote else "invoices"


def not_found(document_id: str, aggregate: type[D]) -> NotFound:
    return NotFound(f"no {SINGULAR[aggregate_resource(aggregate)]} {document_id[:64]!r}", field="id")


def _find(deps: Dependencies, tenant_id: str, document_id: str, aggregate: type[D]) -> Stored[D] | None:
    stored = (
        deps.documents.get(tenant_id, document_id)
        if is_document_id(document_id, aggregate_resource(aggregate))
        else None
    )
    if stored is None or not isinstance(stored.document, aggregate):
        return None
    document = stored.document
    if isinstance(document, Document):  # what is due follows what was paid and credited since
        document = settled(document, document.payments, document.credit_notes)
    return Stored(document, stored.version, stored.rendered_locales)


def _get(deps: Dependencies, tenant_id: str, document_id: str, aggregate: type[D]) -> Stored[D]:
    stored = _find(deps, tenant_id, document_id, aggregate)
    if stored is None:
        raise not_found(document_id, aggregate)
    return stored


def find_invoice(deps: Dependencies, tenant_id: str, document_id: str) -> Stored[Document] | None:
    return _find(deps, tenant_id, document_id, Document)


def get_invoice(deps: Dependencies, tenant_id: str, document_id: str) -> Stored[Document]:
    """A document of the books: an invoice, a deposit invoice, a credit note, a proforma, an import."""
    return _get(deps, tenant_id, document_id, Document)


def get_quote(deps: Dependencies, tenant_id: str, quote_id: str) -> Stored[Quote]:
    return _get(deps, tenant_id, quote_id, Quote)


def is_id_of(document_id: str, aggregate: type[D]) -> bool:
    """Whether `document_id` is the id of a document of that aggregate, before any read."""
    return is_document_id(document_id, aggregate_resource(aggregate))


def commit(uow: UnitOfWork) -> None:
    """Commit the changes recorded; a document too large to be stored is the client's to shorten."""
    try:
        uow.commit()
    except TooLarge as error:
        raise DocumentTooLarge(
            f"the document takes {error.size // 1000} KB once compressed; at most "
            f"{error.limit // 1000} KB can be stored: shorten descriptions or split it",
            field="lines",
        ) from None


def commit_unless_changed(uow: UnitOfWork, *, changed: str) -> None:
    """Commit the changes; if what they read was `changed` by another request meanwhile, nothing is
    written and the client reads it again (409)."""
    try:
        commit(uow)
    except ConditionFailed:
        raise StateConflict(f"{changed} by another request: read it again", code="conflict") from None
