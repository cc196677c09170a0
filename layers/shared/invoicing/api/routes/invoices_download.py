"""GET /v1/invoices/{id}/download: a 303 to a presigned file; a draft gets a watermarked preview."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from invoicing.api.answer_schemas import DOWNLOAD_RESPONSES
from invoicing.api.request_schemas import DownloadFormatQuery, LocaleQuery
from invoicing.api.resolver import tenant_of
from invoicing.api.responses import see_other
from invoicing.bootstrap import from_environment
from invoicing.services.documents import get_invoice
from invoicing.services.publishing import download_link

router = Router()


@router.get(
    "/v1/invoices/<invoice_id>/download",
    summary="Download an invoice",
    responses={**DOWNLOAD_RESPONSES},
    tags=["invoices"],
)
def download_invoice(
    invoice_id: str,
    format: DownloadFormatQuery = "pdf",
    locale: LocaleQuery = None,
) -> Response[Any]:
    deps = from_environment()
    tenant_id = tenant_of(router)
    stored = get_invoice(deps, tenant_id, invoice_id)
    return see_other(download_link(deps, tenant_id, stored, locale, format))
