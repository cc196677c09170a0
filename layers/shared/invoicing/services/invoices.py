"""Invoices: create, read, change, convert, delete and finalize them; links to their files."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from invoicing.adapters.dynamodb.documents import StoredDocument
from invoicing.domain.documents import draft_document, invoice_from_proforma, revise_draft, series_of
from invoicing.domain.errors import DomainError, NotFound, StateConflict
from invoicing.domain.finalize_check import Check, Problem, check_document
from invoicing.domain.model import EXTERNAL_TYPES, Document, DocumentContent, Language
from invoicing.services.artifacts import (
    E_INVOICE_FORMATS,
    FORMATS,
    Format,
    document_key,
    filename,
    is_e_invoice,
    original_key,
)
from invoicing.services.customers import get_customer, with_named_customer
from invoicing.services.dependencies import Dependencies
from invoicing.services.deposits import deposit_deductions, with_deposits
from invoicing.services.identifiers import (
    INVOICE_PREFIX,
    QUOTE_PREFIX,
    IdPrefix,
    is_document_id,
    new_document_id,
    utc_now,
)
from invoicing.services.numbering import finalize_document

if TYPE_CHECKING:
    from collections.abc import Callable

    Publisher = Callable[[StoredDocument], StoredDocument]


def publisher(deps: Dependencies, tenant_id: str) -> Publisher:
    """Render a finalized document in its language and store its files; the renderer is imported on
    first use, so a function that only sometimes renders (create: drafts) skips it at cold start."""

    def publish(stored: StoredDocument) -> StoredDocument:
        from invoicing.services.publishing import publish as render_and_store  # noqa: PLC0415

        return render_and_store(deps, tenant_id, stored, stored.document.language)

    return publish


RESOURCE_OF_PREFIX: dict[IdPrefix, str] = {INVOICE_PREFIX: "invoice", QUOTE_PREFIX: "quote"}


def create_invoice(
    deps: Dependencies,
    tenant_id: str,
    content: DocumentContent,
    *,
    finalize: bool,
    publish: Publisher | None = None,
    prefix: IdPrefix = INVOICE_PREFIX,
) -> StoredDocument:
    """A draft costs one write (and a read per deposit it deducts); with `finalize`, the document is
    created already numbered."""
    now = utc_now()
    draft = with_deposits(
        deps, tenant_id, draft_document(content, document_id=new_document_id(prefix), now=now)
    )
    if not finalize:
        return deps.documents.put_draft(tenant_id, draft)
    stored = _number_and_freeze(deps, tenant_id, draft, draft_version=None)
    return publish(stored) if publish else stored


def get_document(
    deps: Dependencies, tenant_id: str, document_id: str, prefix: IdPrefix = INVOICE_PREFIX
) -> StoredDocument:
    """A document of the resource that `prefix` names; another tenant's, or another resource's, is
    not found."""
    stored = deps.documents.get(tenant_id, document_id) if is_document_id(document_id, prefix) else None
    if stored is None:
        raise NotFound(f"no {RESOURCE_OF_PREFIX[prefix]} {document_id[:64]!r}", field="id")
    return stored


def get_invoice(deps: Dependencies, tenant_id: str, document_id: str) -> StoredDocument:
    return get_document(deps, tenant_id, document_id, INVOICE_PREFIX)


def update_draft(
    deps: Dependencies,
    tenant_id: str,
    document_id: str,
    changes: dict[str, Any],
    prefix: IdPrefix = INVOICE_PREFIX,
) -> StoredDocument:
    stored = get_document(deps, tenant_id, document_id, prefix)
    if "customer" in changes and "customer_id" not in changes:
        changes = changes | {"customer_id": None}  # a customer given in full replaces a named one
    revised = revise_draft(stored.document, with_named_customer(deps, tenant_id, changes))
    revised = with_deposits(deps, tenant_id, revised)
    return deps.documents.replace_draft(tenant_id, revised, version=stored.version)


def convert_proforma(deps: Dependencies, tenant_id: str, proforma_id: str) -> StoredDocument:
    stored = get_invoice(deps, tenant_id, proforma_id)
    invoice = invoice_from_proforma(stored.document, document_id=new_document_id(), now=utc_now())
    return deps.documents.convert(tenant_id, stored, invoice)


def delete_draft(
    deps: Dependencies, tenant_id: str, document_id: str, prefix: IdPrefix = INVOICE_PREFIX
) -> None:
    """Delete a draft; one made from a quote leaves the quote free to be invoiced again."""
    if not is_document_id(document_id, prefix) or not deps.documents.delete_draft(tenant_id, document_id):
        raise NotFound(f"no {RESOURCE_OF_PREFIX[prefix]} {document_id[:64]!r}", field="id")


def finalize_draft(
    deps: Dependencies,
    tenant_id: str,
    document_id: str,
    *,
    publish: Publisher,
    prefix: IdPrefix = INVOICE_PREFIX,
) -> StoredDocument:
    """Number and freeze a draft, then render it. On a finalized document whose files a failure
    left unwritten, finish that job instead; on a complete one, refuse."""
    stored = get_document(deps, tenant_id, document_id, prefix)
    document = stored.document
    if not document.is_draft:
        if document.language in stored.rendered_locales or document.type in EXTERNAL_TYPES:
            raise StateConflict(
                f"the document is already finalized as {document.number}", code="already_finalized"
            )
        return publish(stored)
    if document.customer_id is not None:
        # The invoice keeps the customer as it is at finalization, whatever becomes of it later.
        customer = get_customer(deps, tenant_id, document.customer_id, field="customer_id").customer
        document = document.model_copy(update={"customer": customer})
    return publish(_number_and_freeze(deps, tenant_id, document, draft_version=stored.version))


def _number_and_freeze(
    deps: Dependencies, tenant_id: str, document: Document, *, draft_version: int | None
) -> StoredDocument:
    """Finalize with the deposits deducted as they stand now, each marked deducted in the same commit."""
    document = with_deposits(deps, tenant_id, document)
    return finalize_document(
        deps,
        tenant_id,
        document,
        draft_version=draft_version,
        settings=deps.tenants.settings(tenant_id),
        now=utc_now(),
        related=deposit_deductions(deps, tenant_id) if document.deposit_ids else None,
    )


def document_link(
    deps: Dependencies, tenant_id: str, stored: StoredDocument, locale: Language, fmt: Format
) -> str:
    """A finalized document's file; an imported one has only its original PDF."""
    document = stored.document
    if document.type in EXTERNAL_TYPES:
        if fmt != "pdf":
            raise StateConflict("an imported document has only its original PDF", code="original_only")
        return deps.store.link(
            original_key(tenant_id, document),
            filename=filename(document, document.language, "pdf"),
            disposition="attachment",
        )
    if fmt in E_INVOICE_FORMATS and not is_e_invoice(document):
        raise StateConflict(
            f"a {document.type} is not an e-invoice: it has no {fmt.upper()} XML", code="not_e_invoice"
        )
    return deps.store.link(
        document_key(tenant_id, document, locale, fmt),
        filename=filename(document, locale, fmt),
        disposition=FORMATS[fmt][1],
    )


def finalize_check(deps: Dependencies, tenant_id: str, document_id: str) -> Check:
    """What finalizing the draft now would refuse, and what it would only warn of."""
    stored = get_invoice(deps, tenant_id, document_id)
    document = stored.document
    if not document.is_draft:
        raise StateConflict(
            f"the document is already finalized as {document.number}", code="already_finalized"
        )
    series_of(document)
    problems: list[Problem] = []
    try:
        if document.customer_id is not None:
            customer = get_customer(deps, tenant_id, document.customer_id, field="customer_id").customer
            document = document.model_copy(update={"customer": customer})
        document = with_deposits(deps, tenant_id, document)
    except DomainError as error:
        problems.append(Problem(error.code, error.field, error.message))
    check = check_document(document, deps.tenants.settings(tenant_id).seller)
    return Check([*problems, *check.blocking], check.warnings)
