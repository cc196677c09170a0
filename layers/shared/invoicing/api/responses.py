"""A stored document as the API returns it, with links made fresh on every read."""

from __future__ import annotations

from typing import Any, get_args

from aws_lambda_powertools.event_handler import Response, content_types

from invoicing.api.answer_schemas import FileLink, InvoiceResponse, Links, QuoteResponse
from invoicing.domain.model import AnyDocument, Document, Quote
from invoicing.domain.quotes import is_expired
from invoicing.services.files import E_INVOICE_FORMATS, Format, is_e_invoice
from invoicing.services.identifiers import resource_path, tenant_today
from invoicing.services.ports import Dependencies, Stored
from invoicing.services.publishing import document_link


def links(deps: Dependencies, tenant_id: str, stored: Stored[AnyDocument], base_url: str) -> Links:
    document = stored.document
    found: dict[str, str | None] = {"pdf": None, "html": None, "cii": None, "ubl": None}
    if document.kind.original_file:
        found["pdf"] = document_link(deps, tenant_id, stored, document.language, "pdf")
    elif not document.is_draft:
        for fmt in [
            fmt for fmt in get_args(Format) if fmt not in E_INVOICE_FORMATS or is_e_invoice(document)
        ]:
            if document.language in stored.rendered_locales:
                found[fmt] = document_link(deps, tenant_id, stored, document.language, fmt)
            else:
                # A failure left the files unwritten: the download route renders them on first use.
                found[fmt] = f"{base_url}{resource_path(document.id)}/download?format={fmt}"
    return Links.model_validate(found)


def invoice_response(
    deps: Dependencies, tenant_id: str, stored: Stored[Document], base_url: str
) -> InvoiceResponse:
    return InvoiceResponse.model_validate(
        stored.document.model_dump() | {"links": links(deps, tenant_id, stored, base_url)}
    )


def quote_response(deps: Dependencies, tenant_id: str, stored: Stored[Quote], base_url: str) -> QuoteResponse:
    quote = stored.document
    # Only an open quote can expire: the others cost no read of the tenant's time zone.
    expired = quote.status == "open" and is_expired(quote, tenant_today(deps, tenant_id))
    return QuoteResponse.model_validate(
        quote.model_dump() | {"links": links(deps, tenant_id, stored, base_url), "expired": expired}
    )


def see_other(url: str) -> Response[Any]:
    """A 303 to a presigned file link, which no cache may keep past its 15 minutes; the body names
    it too, for a client that does not follow redirects."""
    return Response(
        status_code=303,
        content_type=content_types.APPLICATION_JSON,
        headers={"Location": url, "Cache-Control": "no-store"},
        body=FileLink(url=url).model_dump(mode="json"),
    )
