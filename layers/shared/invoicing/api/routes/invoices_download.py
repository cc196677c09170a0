"""GET /v1/invoices/{id}/download: a 303 to a presigned file; a draft gets a watermarked preview."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from invoicing.api.resolver import tenant_of
from invoicing.api.schemas import ERROR_RESPONSES
from invoicing.domain.model import Language
from invoicing.services import invoices
from invoicing.services.artifacts import DownloadFormat, stored_format
from invoicing.services.dependencies import from_environment
from invoicing.services.publishing import download_link

router = Router()


@router.get(
    "/v1/invoices/<invoice_id>/download",
    summary="Download an invoice",
    responses={
        303: {"description": "See the presigned S3 link in Location, valid 15 minutes"},
        **ERROR_RESPONSES,
    },
    tags=["invoices"],
)
def download_invoice(
    invoice_id: str,
    format: Annotated[
        DownloadFormat,
        Query(description="pdf (an e-invoice's is Factur-X; facturx says the same), html, cii or ubl"),
    ] = "pdf",
    locale: Annotated[
        Language | None, Query(description="fr or en; the document's language by default")
    ] = None,
) -> Response[Any]:
    deps = from_environment()
    tenant_id = tenant_of(router)
    stored = invoices.get_invoice(deps, tenant_id, invoice_id)
    url = download_link(deps, tenant_id, stored, locale or stored.document.language, stored_format(format))
    return Response(status_code=303, headers={"Location": url, "Cache-Control": "no-store"}, body="")
