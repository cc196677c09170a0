"""A quote's life once written: finalized and downloaded, accepted or declined, then invoiced."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from invoicing.api.answer_schemas import DOWNLOAD_RESPONSES, InvoiceResponse, QuoteResponse
from invoicing.api.common_schemas import OK
from invoicing.api.request_schemas import QuoteInvoiceCreate
from invoicing.api.resolver import api_base_url, created, tenant_of
from invoicing.api.responses import invoice_response, quote_response, see_other
from invoicing.bootstrap import from_environment
from invoicing.domain.parts import Language
from invoicing.services import quotes
from invoicing.services.documents import get_quote
from invoicing.services.files import DownloadFormat
from invoicing.services.publishing import download_link

router = Router()


@router.post(
    "/v1/quotes/<quote_id>/finalize",
    summary="Finalize a quote",
    description="Numbers the quote in its own series, sets its validity (30 days by default) and renders it.",
    responses=OK,
    tags=["quotes"],
)
def finalize_quote(quote_id: str) -> QuoteResponse:
    deps = from_environment()
    tenant_id = tenant_of(router)
    stored = quotes.finalize_quote(deps, tenant_id, quote_id)
    return quote_response(deps, tenant_id, stored, api_base_url(router))


@router.get(
    "/v1/quotes/<quote_id>/download",
    summary="Download a quote",
    responses={**DOWNLOAD_RESPONSES},
    tags=["quotes"],
)
def download_quote(
    quote_id: str,
    format: Annotated[
        DownloadFormat,
        Query(description="pdf (an e-invoice's is Factur-X; facturx says the same), html, cii or ubl"),
    ] = "pdf",
    locale: Annotated[Language | None, Query(description="fr or en; the quote's language by default")] = None,
) -> Response[Any]:
    deps = from_environment()
    tenant_id = tenant_of(router)
    stored = get_quote(deps, tenant_id, quote_id)
    return see_other(download_link(deps, tenant_id, stored, locale, format))


@router.post(
    "/v1/quotes/<quote_id>/accept",
    summary="Record the customer's acceptance",
    description="Only an open quote within its validity is accepted.",
    responses=OK,
    tags=["quotes"],
)
def accept_quote(quote_id: str) -> QuoteResponse:
    deps = from_environment()
    tenant_id = tenant_of(router)
    stored = quotes.decide_quote(deps, tenant_id, quote_id, "accepted")
    return quote_response(deps, tenant_id, stored, api_base_url(router))


@router.post(
    "/v1/quotes/<quote_id>/decline",
    summary="Record the customer's refusal",
    responses=OK,
    tags=["quotes"],
)
def decline_quote(quote_id: str) -> QuoteResponse:
    deps = from_environment()
    tenant_id = tenant_of(router)
    stored = quotes.decide_quote(deps, tenant_id, quote_id, "declined")
    return quote_response(deps, tenant_id, stored, api_base_url(router))


@router.post(
    "/v1/quotes/<quote_id>/invoice",
    summary="Invoice an accepted quote",
    description="A draft invoice linked to the quote both ways: a deposit of `deposit_percent`, or the "
    "final invoice of the whole quote, which deducts its deposits. A quote is invoiced in full once.",
    responses={
        201: {"description": "Created", "content": {"application/json": {"model": InvoiceResponse}}},
    },
    tags=["quotes"],
)
def invoice_quote(quote_id: str, body: QuoteInvoiceCreate | None = None) -> Response[dict[str, Any]]:
    deps = from_environment()
    tenant_id = tenant_of(router)
    percent = body.deposit_percent if body is not None else None
    stored = quotes.invoice_quote(deps, tenant_id, quote_id, deposit_percent=percent)
    response = invoice_response(deps, tenant_id, stored, api_base_url(router))
    return created(response, f"/v1/invoices/{stored.document.id}")
