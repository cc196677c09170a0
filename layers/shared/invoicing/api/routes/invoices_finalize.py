"""POST /v1/invoices/{id}/finalize: the next number of the series, the document frozen and rendered."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from invoicing.api.answer_schemas import InvoiceResponse
from invoicing.api.common_schemas import OK
from invoicing.api.resolver import api_base_url, tenant_of
from invoicing.api.responses import invoice_response
from invoicing.bootstrap import from_environment
from invoicing.services import invoices

router = Router()


@router.post(
    "/v1/invoices/<invoice_id>/finalize",
    summary="Finalize an invoice",
    description="Assigns the next number gaplessly and renders the PDF and HTML. Repeating it after a "
    "failure finishes the job; on a complete finalized invoice it is a 409.",
    responses=OK,
    tags=["invoices"],
)
def finalize_invoice(invoice_id: str) -> InvoiceResponse:
    deps = from_environment()
    tenant_id = tenant_of(router)
    stored = invoices.finalize_invoice(deps, tenant_id, invoice_id)
    return invoice_response(deps, tenant_id, stored, api_base_url(router))
