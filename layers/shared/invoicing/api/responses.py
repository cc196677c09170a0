"""A stored document as the API returns it, with links made fresh on every read."""

from __future__ import annotations

from typing import Any, get_args

from aws_lambda_powertools.event_handler import Response, content_types
from pydantic import BaseModel

from invoicing.adapters.dynamodb.documents import StoredDocument
from invoicing.api.schemas import InvoiceResponse, Links
from invoicing.domain.model import EXTERNAL_TYPES
from invoicing.services.artifacts import E_INVOICE_FORMATS, Format, is_e_invoice
from invoicing.services.dependencies import Dependencies
from invoicing.services.identifiers import resource_path
from invoicing.services.invoices import document_link


def invoice_response(
    deps: Dependencies, tenant_id: str, stored: StoredDocument, base_url: str
) -> InvoiceResponse:
    document = stored.document
    links: dict[str, str | None] = {"pdf": None, "html": None, "cii": None, "ubl": None}
    if document.type in EXTERNAL_TYPES:
        links["pdf"] = document_link(deps, tenant_id, stored, document.language, "pdf")
    elif not document.is_draft:
        for fmt in [
            fmt for fmt in get_args(Format) if fmt not in E_INVOICE_FORMATS or is_e_invoice(document)
        ]:
            if document.language in stored.rendered_locales:
                links[fmt] = document_link(deps, tenant_id, stored, document.language, fmt)
            else:
                # A failure left the files unwritten: the download route renders them on first use.
                links[fmt] = f"{base_url}{resource_path(document.id)}/download?format={fmt}"
    return InvoiceResponse.model_validate(document.model_dump() | {"links": Links.model_validate(links)})


def see_other(url: str) -> Response[Any]:
    """A 303 to a presigned file link, which no cache may keep past its 15 minutes."""
    return Response(status_code=303, headers={"Location": url, "Cache-Control": "no-store"}, body="")


def created(body: BaseModel | dict[str, Any], location: str, **headers: str) -> Response[dict[str, Any]]:
    """A 201 whose Location names the resource the request made."""
    return Response(
        status_code=201,
        content_type=content_types.APPLICATION_JSON,
        body=body.model_dump(mode="json") if isinstance(body, BaseModel) else body,
        headers={"Location": location} | headers,
    )
