"""PATCH and DELETE /v1/invoices/{id}: drafts change or go; a finalized document does neither.
POST /v1/invoices/{id}/convert: a proforma turns into a draft invoice."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from invoicing.api.answer_schemas import InvoiceResponse
from invoicing.api.common_schemas import OK
from invoicing.api.request_schemas import InvoiceUpdate
from invoicing.api.resolver import api_base_url, created, tenant_of
from invoicing.api.responses import invoice_response
from invoicing.bootstrap import from_environment
from invoicing.services import invoices

router = Router()


@router.patch(
    "/v1/invoices/<invoice_id>",
    summary="Change a draft",
    description="Send only the fields to change; `lines` replaces all lines; null clears a field.",
    responses=OK,
    tags=["invoices"],
)
def update_draft(invoice_id: str, body: InvoiceUpdate) -> InvoiceResponse:
    deps = from_environment()
    tenant_id = tenant_of(router)
    changes = body.model_dump(mode="json", exclude_unset=True)
    stored = invoices.update_invoice(deps, tenant_id, invoice_id, changes)
    return invoice_response(deps, tenant_id, stored, api_base_url(router))


@router.post(
    "/v1/invoices/<invoice_id>/convert",
    summary="Turn a proforma into an invoice",
    description="A draft invoice with the proforma's content, linked both ways; a proforma converts once.",
    responses={
        201: {"description": "Converted", "content": {"application/json": {"model": InvoiceResponse}}},
    },
    tags=["invoices"],
)
def convert_proforma(invoice_id: str) -> Response[dict[str, Any]]:
    deps = from_environment()
    tenant_id = tenant_of(router)
    stored = invoices.convert_proforma(deps, tenant_id, invoice_id)
    response = invoice_response(deps, tenant_id, stored, api_base_url(router))
    return created(response, f"/v1/invoices/{stored.document.id}")


@router.delete(
    "/v1/invoices/<invoice_id>",
    summary="Delete a draft",
    responses={204: {"description": "Deleted"}},
    tags=["invoices"],
)
def delete_draft(invoice_id: str) -> Response[Any]:
    invoices.delete_invoice(from_environment(), tenant_of(router), invoice_id)
    return Response(status_code=204, body="")
