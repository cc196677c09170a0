"""Webhook endpoints and the deliveries they receive: signature checked on the raw body first, the
delivery recorded once, then queued for its invoice. Nothing is parsed before the signature holds,
and nothing is lost after: a recorded delivery is queued, kept aside for its order, or listed as
failed with its reason until it is retried."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass

from invoicing.domain.errors import NotFound, StateConflict
from invoicing.domain.webhooks.endpoints import EndpointSettings, WebhookEndpoint
from invoicing.domain.webhooks.orders import PROVIDERS
from invoicing.services.cursors import decode_cursor, encode_cursor
from invoicing.services.identifiers import utc_now
from invoicing.services.ports import (
    AlreadyExists,
    ConditionFailed,
    Delivery,
    DeliveryPage,
    DeliveryRecord,
    Dependencies,
    QueuedDelivery,
)

MAX_ENDPOINTS = 20
# A page of an endpoint's deliveries starts after `<received_at>#<delivery id>`.
_DELIVERY_POSITION = re.compile(r"^\d{4}-\d{2}-\d{2}T[0-9:.+\-]{8,32}#[\x21-\x7e]{1,200}$")


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
    # An event that names no order is an order of its own.
    order_key = deps.shops.order_key(shop, topic, body) or f"{shop}:delivery:{delivery_id}"
    delivery = Delivery(shop, delivery_id, endpoint_id, topic, body, utc_now(), order_key)
    try:
        deps.delivery_records.record_delivery(found.tenant_id, delivery)
        duplicate = False
    except AlreadyExists:
        duplicate = True
    # Queued even when repeated: if the first attempt died between record and send, this one sends.
    deps.deliveries.send(QueuedDelivery(found.tenant_id, shop, delivery_id, order_key))
    return Received(duplicate=duplicate)


def _own_endpoint(deps: Dependencies, tenant_id: str, endpoint_id: str) -> WebhookEndpoint:
    found = deps.webhooks.endpoint(endpoint_id) if endpoint_id.startswith("we_") else None
    if found is None or found.tenant_id != tenant_id:
        raise NotFound(f"no webhook endpoint {endpoint_id[:64]!r}", field="endpoint_id")
    return found.endpoint


@dataclass(frozen=True)
class DeliveryListing:
    page: DeliveryPage
    next_cursor: str | None


def list_deliveries(
    deps: Dependencies, tenant_id: str, endpoint_id: str, *, limit: int, cursor: str | None
) -> DeliveryListing:
    """An endpoint's deliveries, newest first: what became of each, and why when it failed."""
    _own_endpoint(deps, tenant_id, endpoint_id)
    after = decode_cursor(cursor, _DELIVERY_POSITION) if cursor else None
    page = deps.delivery_records.deliveries(tenant_id, endpoint_id, limit=limit, after=after)
    return DeliveryListing(page, encode_cursor(page.next_position) if page.next_position else None)


def retry_delivery(deps: Dependencies, tenant_id: str, endpoint_id: str, delivery_id: str) -> DeliveryRecord:
    """Queue a failed delivery again, once its cause is fixed (the settings completed, say)."""
    endpoint = _own_endpoint(deps, tenant_id, endpoint_id)
    delivery = deps.delivery_records.delivery(tenant_id, endpoint.provider, delivery_id[:200])
    if delivery is None or delivery.endpoint_id != endpoint_id:
        raise NotFound(f"no delivery {delivery_id[:64]!r} to this endpoint", field="delivery_id")
    try:
        record = deps.delivery_records.requeue(tenant_id, delivery)
    except ConditionFailed:
        raise StateConflict(
            "only a failed delivery is retried: this one is queued or done already",
            code="delivery_not_failed",
        ) from None
    resend = f"retry:{utc_now().isoformat()}"
    queued = QueuedDelivery(tenant_id, delivery.provider, delivery.delivery_id, delivery.order_key, resend)
    deps.deliveries.send(queued)
    return record
