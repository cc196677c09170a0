"""/v1/e-reporting: the periods a tenant's consumer and international sales are reported by, what
each holds, its report, and its transmission."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from invoicing.api.answer_schemas import DOWNLOAD_RESPONSES
from invoicing.api.common_schemas import OK
from invoicing.api.reporting_schemas import PeriodDetail, PeriodList, period_detail, period_summary
from invoicing.api.resolver import tenant_of
from invoicing.api.responses import see_other
from invoicing.bootstrap import from_environment
from invoicing.domain.fields import Day
from invoicing.services import reporting_periods
from invoicing.services.identifiers import tenant_today

router = Router()


@router.get(
    "/v1/e-reporting/periods",
    summary="List e-reporting periods",
    description="The periods (transactions and payments) that overlap the days asked for, on the "
    "calendar the seller's VAT regime sets; the current month by default, 366 days at most.",
    responses=OK,
    tags=["e-reporting"],
)
def list_periods(
    first: Annotated[Day | None, Query(alias="from")] = None,
    last: Annotated[Day | None, Query(alias="to")] = None,
) -> PeriodList:
    deps = from_environment()
    tenant_id = tenant_of(router)
    start, end = reporting_periods.day_range(first, last, tenant_today(deps, tenant_id))
    views = reporting_periods.list_periods(deps, tenant_id, start, end)
    return PeriodList(data=[period_summary(view) for view in views])


@router.get(
    "/v1/e-reporting/periods/<period_id>",
    summary="Read an e-reporting period",
    description="What the period holds so far (readable while open) and its transmissions.",
    responses=OK,
    tags=["e-reporting"],
)
def read_period(period_id: str) -> PeriodDetail:
    return period_detail(reporting_periods.get_period(from_environment(), tenant_of(router), period_id))


@router.get(
    "/v1/e-reporting/periods/<period_id>/download",
    summary="Download a period's report",
    description="303 to the FRR XML: the last one transmitted, or an open period's report so far.",
    responses={**DOWNLOAD_RESPONSES, 409: {"description": "No seller yet: set it with PUT /v1/settings"}},
    tags=["e-reporting"],
)
def download_period(period_id: str) -> Response[Any]:
    return see_other(reporting_periods.report_link(from_environment(), tenant_of(router), period_id))


@router.post(
    "/v1/e-reporting/periods/<period_id>/transmit",
    summary="Transmit a period now",
    description="Closes a period that has ended and sends what it holds to the platform, without "
    "waiting for its due date; asking again sends nothing twice.",
    responses={202: {"description": "The transmission is queued"}},
    tags=["e-reporting"],
)
def transmit_period(period_id: str) -> Response[Any]:
    view = reporting_periods.request_transmission(from_environment(), tenant_of(router), period_id)
    return Response(
        status_code=202,
        content_type="application/json",
        body=period_summary(view).model_dump(mode="json"),
    )
