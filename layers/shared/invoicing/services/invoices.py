"""Documents of the books by their id: created, changed, deleted, converted from a proforma and
finalized."""

from __future__ import annotations

from typing import Any

from invoicing.domain.documents import draft_document, invoice_from_proforma
from invoicing.domain.model import Document, DocumentContent
from invoicing.services import imports
from invoicing.services.changes import DocumentCreated, ProformaConverted
from invoicing.services.customers import with_named_customer
from invoicing.services.documents import commit_unless_changed, get_invoice
from invoicing.services.drafts import (
    create_draft,
    delete_draft,
    finalize_draft,
    update_draft,
)
from invoicing.services.identifiers import new_document_id, utc_now
from invoicing.services.ports import Dependencies, Stored


def create_invoice(
    deps: Dependencies,
    tenant_id: str,
    fields: dict[str, Any],
    *,
    finalize: bool = False,
    file_base64: str | None = None,
    file_url: str | None = None,
) -> Stored[Document]:
    """A draft from the client's fields (a customer named by customer_id copied in), or with
    `finalize` a numbered one; an import, recorded final with its original file."""
    content = DocumentContent.model_validate(with_named_customer(deps, tenant_id, fields))
    if content.kind.original_file:
        original, field = imports.original_from(deps, content_base64=file_base64, url=file_url)
        return imports.import_external(deps, tenant_id, content, original=original, field=field)
    draft = draft_document(content, document_id=new_document_id("invoices"), now=utc_now())
    return create_draft(deps, tenant_id, draft, finalize=finalize)


def update_invoice(
    deps: Dependencies, tenant_id: str, invoice_id: str, changes: dict[str, Any]
) -> Stored[Document]:
    return update_draft(deps, tenant_id, get_invoice(deps, tenant_id, invoice_id), changes)


def delete_invoice(deps: Dependencies, tenant_id: str, invoice_id: str) -> None:
    delete_draft(deps, tenant_id, invoice_id, Document)


def finalize_invoice(deps: Dependencies, tenant_id: str, invoice_id: str) -> Stored[Document]:
    return finalize_draft(deps, tenant_id, get_invoice(deps, tenant_id, invoice_id))


def convert_proforma(deps: Dependencies, tenant_id: str, proforma_id: str) -> Stored[Document]:
    """The invoice draft and the proforma's link to it, together; a proforma converts only once."""
    stored = get_invoice(deps, tenant_id, proforma_id)
    invoice = invoice_from_proforma(stored.document, document_id=new_document_id(), now=utc_now())
    uow = deps.unit_of_work(tenant_id)
    uow.record(DocumentCreated(invoice), ProformaConverted(proforma_id, stored.version, invoice.id))
    commit_unless_changed(uow, changed="the proforma was converted or changed")
    return Stored(invoice, version=1)
