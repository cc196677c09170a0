"""Webhook endpoints and the deliveries they receive: signature checked on the raw body first, the
delivery recorded once, then queued for its invoice. Nothing is parsed before the signature holds,
and nothing is lost after: a recorded delivery is in the queue or in its dead-letter queue."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from urllib.parse import parse_qs

from invoicing.adapters.dynamodb.webhooks import MAX_ENDPOINTS, Delivery
from invoicing.adapters.sqs import QueuedDelivery
from invoicing.domain.errors import InvalidDocument, NotFound, StateConflict
from invoicing.domain.webhooks.endpoints import EndpointSettings, WebhookEndpoint
from invoicing.domain.webhooks.orders import PROVIDERS
from invoicing.domain.webhooks.signatures import SIGNATURE_HEADERS, verify
from invoicing.services.dependencies import Dependencies
from invoicing.services.identifiers import utc_now


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


@dataclass(frozen=True)
class Received:
    duplicate: bool = False
    ping: bool = False


def _header(headers: dict[str, str], name: str) -> str | None:
    return headers.get(name.lower())


def _is_woocommerce_ping(body: bytes, headers: dict[str, str]) -> bool:
    """The form-encoded `webhook_id=<n>` WooCommerce posts, unsigned, when a webhook is saved."""
    if _header(headers, SIGNATURE_HEADERS["woocommerce"]) is not None or len(body) > 64:
        return False
    fields = parse_qs(body.decode(errors="replace"), strict_parsing=False)
    return set(fields) == {"webhook_id"} and fields["webhook_id"][0].isdigit()


# The delivery's id and topic, where each provider sends them (Stripe's are in the event itself).
DELIVERY_HEADERS = {
    "shopify": ("X-Shopify-Webhook-Id", "X-Shopify-Topic"),
    "woocommerce": ("X-WC-Webhook-Delivery-ID", "X-WC-Webhook-Topic"),
}


def _verified_delivery(
    provider: str, secret: str, body: bytes, headers: dict[str, str]
) -> tuple[str, str | None]:
    """(delivery id, topic) of a delivery whose signature holds."""
    verify(provider, _header(headers, SIGNATURE_HEADERS[provider]), body, secret, now=time.time())
    if provider == "stripe":
        try:
            event = json.loads(body)
        except ValueError:
            raise InvalidDocument("a Stripe event is JSON", field="body") from None
        if not isinstance(event, dict) or not isinstance(event.get("id"), str):
            raise InvalidDocument("a Stripe event has an id", field="body.id")
        return event["id"], str(event.get("type"))
    id_header, topic_header = DELIVERY_HEADERS[provider]
    delivery_id = _header(headers, id_header)
    if not delivery_id or len(delivery_id) > 200:
        raise InvalidDocument("the delivery id header is missing", field=f"header.{id_header}")
    return delivery_id, _header(headers, topic_header)


def receive(
    deps: Dependencies, provider: str, endpoint_id: str, body: bytes, headers: dict[str, str]
) -> Received:
    """Check, record once, queue. A repeated delivery is answered 200 and changes nothing."""
    headers = {name.lower(): value for name, value in headers.items()}
    found = (
        deps.webhooks.endpoint(endpoint_id)
        if provider in PROVIDERS and endpoint_id.startswith("we_")
        else None
    )
    if found is None or found.endpoint.provider != provider:
        raise NotFound(f"no {provider[:20]} webhook endpoint {endpoint_id[:64]!r}", field="endpoint_id")
    if provider == "woocommerce" and _is_woocommerce_ping(body, headers):
        return Received(ping=True)
    secret = deps.secrets.open(found.sealed_secret, tenant_id=found.tenant_id, endpoint_id=endpoint_id)
    delivery_id, topic = _verified_delivery(provider, secret, body, headers)
    delivery = Delivery(provider, delivery_id, endpoint_id, topic, body, utc_now(), "received")
    first = deps.webhooks.record_delivery(found.tenant_id, delivery)
    # Queued even when repeated: if the first attempt died between record and send, this one sends.
    deps.deliveries.send(QueuedDelivery(found.tenant_id, provider, delivery_id))
    return Received(duplicate=not first)
