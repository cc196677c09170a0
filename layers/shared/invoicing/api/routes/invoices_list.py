"""GET /v1/invoices: the tenant's documents, newest first, filtered, a page at a time."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from invoicing.api.answer_schemas import InvoiceList, InvoiceSummary
from invoicing.api.common_schemas import OK
from invoicing.api.resolver import tenant_of
from invoicing.bootstrap import from_environment
from invoicing.domain.fields import Day
from invoicing.domain.kinds import DocumentType
from invoicing.domain.model import Status
from invoicing.services import listing
from invoicing.services.ports import ListFilters

router = Router()


@router.get("/v1/invoices", summary="List invoices", responses=OK, tags=["invoices"])
def list_documents(
    *,
    status: Annotated[Status | None, Query()] = None,
    type: Annotated[DocumentType | None, Query()] = None,
    customer: Annotated[
        str | None, Query(min_length=1, max_length=200, description="part of the name")
    ] = None,
    issued_from: Annotated[Day | None, Query()] = None,
    issued_to: Annotated[Day | None, Query()] = None,
    number: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=60,
            description="the document's number: one document at most, which the other filters must match",
        ),
    ] = None,
    overdue: Annotated[bool, Query(description="only open documents past their due date")] = False,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> InvoiceList:
    filters = ListFilters(
        status=status, type=type, customer=customer, issued_from=issued_from, issued_to=issued_to
    )
    page = listing.list_documents(
        from_environment(),
        tenant_of(router),
        filters,
        resource="invoices",
        overdue=overdue,
        number=number,
        cursor=cursor,
        limit=limit,
    )
    return InvoiceList(
        data=[InvoiceSummary.model_validate(summary) for summary in page.summaries],
        has_more=page.next_cursor is not None,
        next_cursor=page.next_cursor,
    )
