"""GET /v1/invoices/{id}: the document as stored, with where it was e-reported and fresh presigned
links."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from invoicing.api.answer_schemas import InvoiceResponse
from invoicing.api.common_schemas import OK
from invoicing.api.resolver import api_base_url, tenant_of
from invoicing.api.responses import invoice_response
from invoicing.bootstrap import from_environment
from invoicing.services.documents import get_invoice
from invoicing.services.report_status import reported

router = Router()


@router.get("/v1/invoices/<invoice_id>", summary="Read an invoice", responses=OK, tags=["invoices"])
def read_invoice(invoice_id: str) -> InvoiceResponse:
    deps = from_environment()
    tenant_id = tenant_of(router)
    stored = reported(deps, tenant_id, get_invoice(deps, tenant_id, invoice_id))
    return invoice_response(deps, tenant_id, stored, api_base_url(router))
