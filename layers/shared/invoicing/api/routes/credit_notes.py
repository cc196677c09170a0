"""POST /v1/invoices/{id}/credit-notes: correct a finalized invoice, in full or by lines."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from invoicing.api.answer_schemas import InvoiceResponse
from invoicing.api.request_schemas import CreditNoteCreate
from invoicing.api.resolver import api_base_url, created, tenant_of
from invoicing.api.responses import invoice_response
from invoicing.bootstrap import from_environment
from invoicing.services.credit_notes import credit_invoice

router = Router()


@router.post(
    "/v1/invoices/<invoice_id>/credit-notes",
    summary="Issue a credit note",
    description="A numbered credit note (avoir) in its own series, naming the invoice it corrects; the "
    "invoice's amount due falls by its total. It never credits more than is still due.",
    responses={
        201: {"description": "Issued", "content": {"application/json": {"model": InvoiceResponse}}},
    },
    tags=["credit notes"],
)
def issue_credit_note(invoice_id: str, body: CreditNoteCreate) -> Response[dict[str, Any]]:
    deps = from_environment()
    tenant_id = tenant_of(router)
    selection = [(line.index, line.quantity) for line in body.lines] if body.lines is not None else None
    stored = credit_invoice(deps, tenant_id, invoice_id, reason=body.reason, selection=selection)
    response = invoice_response(deps, tenant_id, stored, api_base_url(router))
    return created(response, f"/v1/invoices/{stored.document.id}")
