"""Webhook endpoints and the deliveries they receive: signature checked on the raw body first, the
delivery recorded once, then queued for its invoice. Nothing is parsed before the signature holds,
and nothing is lost after: a recorded delivery is in the queue or in its dead-letter queue."""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass

from invoicing.domain.errors import NotFound, StateConflict
from invoicing.domain.webhooks.endpoints import EndpointSettings, WebhookEndpoint
from invoicing.domain.webhooks.orders import PROVIDERS
from invoicing.services.identifiers import utc_now
from invoicing.services.ports import AlreadyExists, ConditionFailed, Delivery, Dependencies, QueuedDelivery

MAX_ENDPOINTS = 20


def create_endpoint(
    deps: Dependencies, tenant_id: str, settings: EndpointSettings, secret: str
) -> WebhookEndpoint:
    if len(deps.webhooks.endpoints(tenant_id)) >= MAX_ENDPOINTS:
        raise StateConflict(
            f"a tenant has at most {MAX_ENDPOINTS} webhook endpoints", code="too_many_endpoints"
        )
    endpoint = WebhookEndpoint(
        id=f"we_{secrets.token_hex(16)}", created_at=utc_now(), **settings.model_dump()
    )
    sealed = deps.secrets.seal(secret, tenant_id=tenant_id, endpoint_id=endpoint.id)
    deps.webhooks.put_endpoint(tenant_id, endpoint, sealed)
    return endpoint


def list_endpoints(deps: Dependencies, tenant_id: str) -> list[WebhookEndpoint]:
    return deps.webhooks.endpoints(tenant_id)


def delete_endpoint(deps: Dependencies, tenant_id: str, endpoint_id: str) -> None:
    try:
        deps.webhooks.delete_endpoint(tenant_id, endpoint_id)
    except ConditionFailed:
        raise NotFound(f"no webhook endpoint {endpoint_id[:64]!r}", field="endpoint_id") from None


@dataclass(frozen=True)
class Received:
    duplicate: bool = False
    ping: bool = False


def receive(
    deps: Dependencies, provider: str, endpoint_id: str, body: bytes, headers: Mapping[str, str]
) -> Received:
    """Check, record once, queue. A repeated delivery is answered 200 and changes nothing."""
    found = (
        deps.webhooks.endpoint(endpoint_id)
        if provider in PROVIDERS and endpoint_id.startswith("we_")
        else None
    )
    if found is None or found.endpoint.provider != provider:
        raise NotFound(f"no {provider[:20]} webhook endpoint {endpoint_id[:64]!r}", field="endpoint_id")
    shop = found.endpoint.provider
    if deps.shops.is_ping(shop, body, headers):
        return Received(ping=True)
    secret = deps.secrets.open(found.sealed_secret, tenant_id=found.tenant_id, endpoint_id=endpoint_id)
    delivery_id, topic = deps.shops.verified(shop, secret, body, headers, now=time.time())
    delivery = Delivery(shop, delivery_id, endpoint_id, topic, body, utc_now(), "received")
    try:
        deps.webhooks.record_delivery(found.tenant_id, delivery)
        duplicate = False
    except AlreadyExists:
        duplicate = True
    # Queued even when repeated: if the first attempt died between record and send, this one sends.
    deps.deliveries.send(QueuedDelivery(found.tenant_id, shop, delivery_id))
    return Received(duplicate=duplicate)
