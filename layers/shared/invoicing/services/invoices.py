"""Invoices: create, read, change, convert, delete and finalize them; links to their files."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from invoicing.adapters.dynamodb.documents import StoredDocument
from invoicing.domain.documents import draft_document, invoice_from_proforma, revise_draft
from invoicing.domain.errors import NotFound, StateConflict
from invoicing.domain.model import DocumentContent, Language
from invoicing.services.artifacts import FORMATS, Format, document_key, filename
from invoicing.services.customers import get_customer, with_named_customer
from invoicing.services.dependencies import Dependencies
from invoicing.services.numbering import finalize_document

if TYPE_CHECKING:
    from collections.abc import Callable

    Publisher = Callable[[StoredDocument], StoredDocument]

DOCUMENT_ID_PREFIX = "inv_"


def new_document_id() -> str:
    return f"{DOCUMENT_ID_PREFIX}{uuid.uuid4().hex}"


def is_document_id(value: str) -> bool:
    body = value.removeprefix(DOCUMENT_ID_PREFIX)
    return (
        value.startswith(DOCUMENT_ID_PREFIX)
        and len(body) == 32
        and all(c in "0123456789abcdef" for c in body)
    )


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_invoice(
    deps: Dependencies,
    tenant_id: str,
    content: DocumentContent,
    *,
    finalize: bool,
    publish: Publisher | None = None,
) -> StoredDocument:
    """A draft costs one write; with `finalize`, the document is created already numbered."""
    now = utc_now()
    draft = draft_document(content, document_id=new_document_id(), now=now)
    if not finalize:
        return deps.documents.put_draft(tenant_id, draft)
    settings = deps.tenants.settings(tenant_id)
    stored = finalize_document(deps, tenant_id, draft, draft_version=None, settings=settings, now=now)
    return publish(stored) if publish else stored


def get_invoice(deps: Dependencies, tenant_id: str, document_id: str) -> StoredDocument:
    stored = deps.documents.get(tenant_id, document_id) if is_document_id(document_id) else None
    if stored is None:
        raise NotFound(f"no invoice {document_id[:64]!r}", field="id")
    return stored


def update_draft(
    deps: Dependencies, tenant_id: str, document_id: str, changes: dict[str, Any]
) -> StoredDocument:
    stored = get_invoice(deps, tenant_id, document_id)
    if "customer" in changes and "customer_id" not in changes:
        changes = changes | {"customer_id": None}  # a customer given in full replaces a named one
    revised = revise_draft(stored.document, with_named_customer(deps, tenant_id, changes))
    return deps.documents.replace_draft(tenant_id, revised, version=stored.version)


def convert_proforma(deps: Dependencies, tenant_id: str, proforma_id: str) -> StoredDocument:
    stored = get_invoice(deps, tenant_id, proforma_id)
    invoice = invoice_from_proforma(stored.document, document_id=new_document_id(), now=utc_now())
    return deps.documents.convert(tenant_id, stored, invoice)


def delete_draft(deps: Dependencies, tenant_id: str, document_id: str) -> None:
    if not is_document_id(document_id) or not deps.documents.delete_draft(tenant_id, document_id):
        raise NotFound(f"no invoice {document_id[:64]!r}", field="id")


def finalize_invoice(
    deps: Dependencies,
    tenant_id: str,
    document_id: str,
    *,
    publish: Publisher,
) -> StoredDocument:
    """Number and freeze a draft, then render it. On a finalized document whose files a failure
    left unwritten, finish that job instead; on a complete one, refuse."""
    stored = get_invoice(deps, tenant_id, document_id)
    document = stored.document
    if not document.is_draft:
        if document.language in stored.rendered_locales:
            raise StateConflict(
                f"the document is already finalized as {document.number}", code="already_finalized"
            )
        return publish(stored)
    if document.customer_id is not None:
        # The invoice keeps the customer as it is at finalization, whatever becomes of it later.
        customer = get_customer(deps, tenant_id, document.customer_id, field="customer_id").customer
        document = document.model_copy(update={"customer": customer})
    settings = deps.tenants.settings(tenant_id)
    finalized = finalize_document(
        deps, tenant_id, document, draft_version=stored.version, settings=settings, now=utc_now()
    )
    return publish(finalized)


def document_link(
    deps: Dependencies, tenant_id: str, stored: StoredDocument, locale: Language, fmt: Format
) -> str:
    document = stored.document
    return deps.store.link(
        document_key(tenant_id, document, locale, fmt),
        filename=filename(document, locale, fmt),
        disposition=FORMATS[fmt][1],
    )
