"""Quotes as documents: POST and GET /v1/quotes, GET, PATCH and DELETE /v1/quotes/{id}."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from invoicing.api.answer_schemas import QuoteList, QuoteResponse, QuoteSummary
from invoicing.api.common_schemas import OK
from invoicing.api.request_schemas import QuoteCreate, QuoteUpdate
from invoicing.api.resolver import api_base_url, created, tenant_of
from invoicing.api.responses import quote_response
from invoicing.bootstrap import from_environment
from invoicing.domain.fields import Day
from invoicing.domain.model import QuoteStatus
from invoicing.services import listing, quotes
from invoicing.services.documents import get_quote
from invoicing.services.ports import ListFilters

router = Router()


@router.post(
    "/v1/quotes",
    summary="Create a quote",
    description="A draft by default; `finalize: true` numbers it in the quote series and renders it.",
    responses={
        201: {"description": "Created", "content": {"application/json": {"model": QuoteResponse}}},
    },
    tags=["quotes"],
)
def create_quote(body: QuoteCreate) -> Response[dict[str, Any]]:
    deps = from_environment()
    tenant_id = tenant_of(router)
    fields = body.model_dump(mode="json", exclude_unset=True)
    finalize = bool(fields.pop("finalize", False))
    stored = quotes.create_quote(deps, tenant_id, fields, finalize=finalize)
    response = quote_response(deps, tenant_id, stored, api_base_url(router))
    return created(response, f"/v1/quotes/{stored.document.id}")


@router.get("/v1/quotes", summary="List quotes", responses=OK, tags=["quotes"])
def list_quotes(
    *,
    status: Annotated[QuoteStatus | None, Query()] = None,
    customer: Annotated[
        str | None, Query(min_length=1, max_length=200, description="part of the name")
    ] = None,
    issued_from: Annotated[Day | None, Query()] = None,
    issued_to: Annotated[Day | None, Query()] = None,
    number: Annotated[str | None, Query(min_length=1, max_length=60)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> QuoteList:
    filters = ListFilters(status=status, customer=customer, issued_from=issued_from, issued_to=issued_to)
    page = listing.list_documents(
        from_environment(),
        tenant_of(router),
        filters,
        resource="quotes",
        overdue=False,
        number=number,
        cursor=cursor,
        limit=limit,
    )
    return QuoteList(
        data=[QuoteSummary.model_validate(summary) for summary in page.summaries],
        has_more=page.next_cursor is not None,
        next_cursor=page.next_cursor,
    )


@router.get("/v1/quotes/<quote_id>", summary="Read a quote", responses=OK, tags=["quotes"])
def read_quote(quote_id: str) -> QuoteResponse:
    deps = from_environment()
    tenant_id = tenant_of(router)
    return quote_response(deps, tenant_id, get_quote(deps, tenant_id, quote_id), api_base_url(router))


@router.patch(
    "/v1/quotes/<quote_id>",
    summary="Change a draft quote",
    description="Send only the fields to change; `lines` replaces all lines; null clears a field.",
    responses=OK,
    tags=["quotes"],
)
def update_quote(quote_id: str, body: QuoteUpdate) -> QuoteResponse:
    deps = from_environment()
    tenant_id = tenant_of(router)
    changes = body.model_dump(mode="json", exclude_unset=True)
    stored = quotes.update_quote(deps, tenant_id, quote_id, changes)
    return quote_response(deps, tenant_id, stored, api_base_url(router))


@router.delete(
    "/v1/quotes/<quote_id>",
    summary="Delete a draft quote",
    responses={204: {"description": "Deleted"}},
    tags=["quotes"],
)
def delete_quote(quote_id: str) -> Response[Any]:
    quotes.delete_quote(from_environment(), tenant_of(router), quote_id)
    return Response(status_code=204, body="")
