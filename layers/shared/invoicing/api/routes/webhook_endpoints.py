"""/v1/webhook-endpoints: where a tenant's shops send their events; the secret is never returned."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from invoicing.api.resolver import api_base_url, tenant_of
from invoicing.api.responses import created
from invoicing.api.schemas import (
    ERROR_RESPONSES,
    WebhookEndpointCreate,
    WebhookEndpointList,
    WebhookEndpointResponse,
)
from invoicing.bootstrap import from_environment
from invoicing.domain.webhooks.endpoints import EndpointSettings, WebhookEndpoint
from invoicing.services import webhooks

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
        **ERROR_RESPONSES,
    },
    tags=["webhooks"],
)
def create_endpoint(body: WebhookEndpointCreate) -> Response[dict[str, Any]]:
    settings = EndpointSettings.model_validate(body.model_dump(exclude={"secret"}))
    endpoint = webhooks.create_endpoint(from_environment(), tenant_of(router), settings, body.secret)
    return created(_response(endpoint), f"/v1/webhook-endpoints/{endpoint.id}")


@router.get(
    "/v1/webhook-endpoints", summary="List webhook endpoints", responses=ERROR_RESPONSES, tags=["webhooks"]
)
def list_endpoints() -> WebhookEndpointList:
    endpoints = webhooks.list_endpoints(from_environment(), tenant_of(router))
    return WebhookEndpointList(data=[_response(endpoint) for endpoint in endpoints])


@router.delete(
    "/v1/webhook-endpoints/<endpoint_id>",
    summary="Delete a webhook endpoint",
    description="Deliveries to it are refused from then on; what it invoiced stays.",
    responses={204: {"description": "Deleted"}, **ERROR_RESPONSES},
    tags=["webhooks"],
)
def delete_endpoint(endpoint_id: str) -> Response[Any]:
    webhooks.delete_endpoint(from_environment(), tenant_of(router), endpoint_id)
    return Response(status_code=204, body="")
