"""/v1/webhook-endpoints: where a tenant's shops send their events; the secret is never returned."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from invoicing.api.account_schemas import (
    WebhookDelivery,
    WebhookDeliveryList,
    WebhookEndpointCreate,
    WebhookEndpointList,
    WebhookEndpointResponse,
)
from invoicing.api.common_schemas import OK
from invoicing.api.resolver import api_base_url, created, tenant_of
from invoicing.bootstrap import from_environment
from invoicing.domain.webhooks.endpoints import EndpointSettings, WebhookEndpoint
from invoicing.services import webhooks
from invoicing.services.ports import DeliveryRecord

router = Router()


def _response(endpoint: WebhookEndpoint) -> WebhookEndpointResponse:
    url = f"{api_base_url(router)}/v1/webhooks/{endpoint.provider}/{endpoint.id}"
    return WebhookEndpointResponse.model_validate(endpoint.model_dump() | {"url": url})


@router.post(
    "/v1/webhook-endpoints",
    summary="Register a shop's webhook endpoint",
    description="Returns the URL to give the shop. Deliveries there are checked with the secret, "
    "recorded once and invoiced in order.",
    responses={
        201: {"description": "Created", "content": {"application/json": {"model": WebhookEndpointResponse}}},
    },
    tags=["webhooks"],
)
def create_endpoint(body: WebhookEndpointCreate) -> Response[dict[str, Any]]:
    settings = EndpointSettings.model_validate(body.model_dump(exclude={"secret"}))
    endpoint = webhooks.create_endpoint(from_environment(), tenant_of(router), settings, body.secret)
    return created(_response(endpoint), f"/v1/webhook-endpoints/{endpoint.id}")


@router.get("/v1/webhook-endpoints", summary="List webhook endpoints", responses=OK, tags=["webhooks"])
def list_endpoints() -> WebhookEndpointList:
    endpoints = webhooks.list_endpoints(from_environment(), tenant_of(router))
    return WebhookEndpointList(data=[_response(endpoint) for endpoint in endpoints])


@router.delete(
    "/v1/webhook-endpoints/<endpoint_id>",
    summary="Delete a webhook endpoint",
    description="Deliveries to it are refused from then on; what it invoiced stays.",
    responses={204: {"description": "Deleted"}},
    tags=["webhooks"],
)
def delete_endpoint(endpoint_id: str) -> Response[Any]:
    webhooks.delete_endpoint(from_environment(), tenant_of(router), endpoint_id)
    return Response(status_code=204, body="")


def _delivery(record: DeliveryRecord) -> WebhookDelivery:
    return WebhookDelivery(
        id=record.delivery_id,
        received_at=record.received_at,
        topic=record.topic or None,
        status=record.status,
        reason=record.reason,
        document_id=record.document_id,
        attempts=record.attempts,
    )


@router.get(
    "/v1/webhook-endpoints/<endpoint_id>/deliveries",
    summary="List an endpoint's deliveries",
    description="Newest first: what became of each delivery, and why when it failed.",
    responses=OK,
    tags=["webhooks"],
)
def list_deliveries(
    endpoint_id: str,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
) -> WebhookDeliveryList:
    listing = webhooks.list_deliveries(
        from_environment(), tenant_of(router), endpoint_id, limit=limit, cursor=cursor
    )
    return WebhookDeliveryList(
        data=[_delivery(record) for record in listing.page.records],
        has_more=listing.next_cursor is not None,
        next_cursor=listing.next_cursor,
    )


@router.post(
    "/v1/webhook-endpoints/<endpoint_id>/deliveries/<delivery_id>/retry",
    summary="Retry a failed delivery",
    description="Queues it again once its cause is fixed (the seller's settings completed, say); "
    "409 unless it failed.",
    responses={
        202: {"description": "Queued", "content": {"application/json": {"model": WebhookDelivery}}},
    },
    tags=["webhooks"],
)
def retry_delivery(
    endpoint_id: str, delivery_id: Annotated[str, Path(min_length=1, max_length=200)]
) -> Response[dict[str, Any]]:
    record = webhooks.retry_delivery(from_environment(), tenant_of(router), endpoint_id, delivery_id)
    return Response(
        status_code=202, content_type="application/json", body=_delivery(record).model_dump(mode="json")
    )
