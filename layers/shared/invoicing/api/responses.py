"""A stored document as the API returns it, with links made fresh on every read."""

from __future__ import annotations

from typing import get_args

from invoicing.adapters.dynamodb.documents import StoredDocument
from invoicing.api.schemas import InvoiceResponse, Links
from invoicing.services.artifacts import Format
from invoicing.services.dependencies import Dependencies
from invoicing.services.invoices import document_link


def invoice_response(
    deps: Dependencies, tenant_id: str, stored: StoredDocument, base_url: str
) -> InvoiceResponse:
    document = stored.document
    links: dict[str, str | None] = {"pdf": None, "html": None}
    if not document.is_draft:
        for fmt in get_args(Format):
            if document.language in stored.rendered_locales:
                links[fmt] = document_link(deps, tenant_id, stored, document.language, fmt)
            else:
                # A failure left the files unwritten: the download route renders them on first use.
                links[fmt] = f"{base_url}/v1/invoices/{document.id}/download?format={fmt}"
    return InvoiceResponse.model_validate(document.model_dump() | {"links": Links.model_validate(links)})
