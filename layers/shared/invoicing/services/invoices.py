"""Documents of the books by their id: created, changed, deleted, converted from a proforma,
finalized, and checked before finalizing."""

from __future__ import annotations

from typing import Any

from invoicing.domain.documents import draft_document, invoice_from_proforma, series_of
from invoicing.domain.errors import DomainError, StateConflict
from invoicing.domain.finalize_check import Check, Problem, check_document
from invoicing.domain.model import Document, DocumentContent
from invoicing.services import imports
from invoicing.services.changes import DocumentCreated, ProformaConverted
from invoicing.services.customers import with_named_customer
from invoicing.services.deposits import with_deposits
from invoicing.services.documents import commit, get_invoice
from invoicing.services.drafts import (
    create_draft,
    delete_draft,
    finalize_draft,
    update_draft,
    with_customer_as_now,
)
from invoicing.services.identifiers import new_document_id, utc_now
from invoicing.services.ports import ConditionFailed, Dependencies, Stored


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
    delete_draft(deps, tenant_id, get_invoice(deps, tenant_id, invoice_id))


def finalize_invoice(deps: Dependencies, tenant_id: str, invoice_id: str) -> Stored[Document]:
    return finalize_draft(deps, tenant_id, get_invoice(deps, tenant_id, invoice_id))


def convert_proforma(deps: Dependencies, tenant_id: str, proforma_id: str) -> Stored[Document]:
    """The invoice draft and the proforma's link to it, together; a proforma converts only once."""
    stored = get_invoice(deps, tenant_id, proforma_id)
    invoice = invoice_from_proforma(stored.document, document_id=new_document_id(), now=utc_now())
    uow = deps.unit_of_work(tenant_id)
    uow.record(DocumentCreated(invoice), ProformaConverted(proforma_id, stored.version, invoice.id))
    try:
        commit(uow)
    except ConditionFailed:
        raise StateConflict(
            "the proforma was converted or changed by another request: read it again", code="conflict"
        ) from None
    return Stored(invoice, version=1)


def finalize_check(deps: Dependencies, tenant_id: str, invoice_id: str) -> Check:
    """What finalizing the draft now would refuse, and what it would only warn of."""
    document = get_invoice(deps, tenant_id, invoice_id).document
    if not document.is_draft:
        raise StateConflict(
            f"the document is already finalized as {document.number}", code="already_finalized"
        )
    series_of(document)
    problems: list[Problem] = []
    try:
        document = with_deposits(deps, tenant_id, with_customer_as_now(deps, tenant_id, document))
    except DomainError as error:
        problems.append(Problem(error.code, error.field, error.message))
    check = check_document(document, deps.tenants.settings(tenant_id).seller)
    return Check([*problems, *check.blocking], check.warnings)
