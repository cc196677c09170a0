"""POST /v1/invoices/{id}/payments and DELETE .../payments/{payment_id}: what is paid, what is due."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from invoicing.api.answer_schemas import InvoiceResponse
from invoicing.api.common_schemas import OK
from invoicing.api.request_schemas import PaymentCreate
from invoicing.api.resolver import api_base_url, created, tenant_of
from invoicing.api.responses import invoice_response
from invoicing.bootstrap import from_environment
from invoicing.services import payments

router = Router()


@router.post(
    "/v1/invoices/<invoice_id>/payments",
    summary="Record a payment",
    description="The invoice's amount due and status (open, partially_paid, paid) follow; overpayments "
    "and payments on drafts are refused.",
    responses={
        201: {"description": "Recorded", "content": {"application/json": {"model": InvoiceResponse}}},
    },
    tags=["payments"],
)
def record_payment(invoice_id: str, body: PaymentCreate) -> Response[dict[str, Any]]:
    deps = from_environment()
    tenant_id = tenant_of(router)
    stored = payments.record_payment(
        deps,
        tenant_id,
        invoice_id,
        amount=body.amount,
        paid_on=body.date,
        method=body.method,
        reference=body.reference,
    )
    response = invoice_response(deps, tenant_id, stored, api_base_url(router))
    return created(response, f"/v1/invoices/{invoice_id}")


@router.delete(
    "/v1/invoices/<invoice_id>/payments/<payment_id>",
    summary="Remove a payment recorded by mistake",
    responses=OK,
    tags=["payments"],
)
def remove_payment(invoice_id: str, payment_id: str) -> InvoiceResponse:
    deps = from_environment()
    tenant_id = tenant_of(router)
    stored = payments.remove_payment(deps, tenant_id, invoice_id, payment_id)
    return invoice_response(deps, tenant_id, stored, api_base_url(router))
