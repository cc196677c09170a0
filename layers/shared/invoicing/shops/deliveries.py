"""A shop's delivery at the edge: its signature checked on the raw body, its id and topic read where
the shop puts them, and its body read as the domain's order or refund.

This is the services' `ShopEvents` port: nothing past it knows how Stripe, Shopify or WooCommerce
write their events.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

from invoicing.domain.errors import InvalidDocument
from invoicing.domain.webhooks.orders import Provider, ShopOrder, ShopRefund, UnreadableEvent
from invoicing.shops import shopify, stripe, woocommerce
from invoicing.shops.signatures import SIGNATURE_HEADERS, verify

# The delivery's id and topic, where each provider sends them (Stripe's are in the event itself).
DELIVERY_HEADERS = {
    "shopify": ("X-Shopify-Webhook-Id", "X-Shopify-Topic"),
    "woocommerce": ("X-WC-Webhook-Delivery-ID", "X-WC-Webhook-Topic"),
}
MAX_DELIVERY_ID = 200


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return {key.lower(): value for key, value in headers.items()}.get(name.lower())


class ShopDeliveries:
    def is_ping(self, provider: Provider, body: bytes, headers: Mapping[str, str]) -> bool:
        """The form-encoded `webhook_id=<n>` WooCommerce posts, unsigned, when a webhook is saved."""
        if provider != "woocommerce" or _header(headers, SIGNATURE_HEADERS[provider]) is not None:
            return False
        if len(body) > 64:
            return False
        fields = parse_qs(body.decode(errors="replace"), strict_parsing=False)
        return set(fields) == {"webhook_id"} and fields["webhook_id"][0].isdigit()

    def verified(
        self, provider: Provider, secret: str, body: bytes, headers: Mapping[str, str], *, now: float
    ) -> tuple[str, str | None]:
        """(delivery id, topic) of a delivery signed with `secret`; refused (401) otherwise."""
        verify(provider, _header(headers, SIGNATURE_HEADERS[provider]), body, secret, now=now)
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
        if not delivery_id or len(delivery_id) > MAX_DELIVERY_ID:
            raise InvalidDocument("the delivery id header is missing", field=f"header.{id_header}")
        return delivery_id, _header(headers, topic_header)

    def read(self, provider: Provider, topic: str | None, body: bytes) -> ShopOrder | ShopRefund | None:
        """The order or refund the delivery tells of; None for an event that makes no document."""
        event = _event(body)
        if provider == "stripe":
            return stripe.read_event(event)
        if provider == "shopify":
            return shopify.read_event(topic, event)
        return woocommerce.read_event(topic, event)

    def order_key(self, provider: Provider, topic: str | None, body: bytes) -> str | None:
        """The order the delivery is about, as the order's (or refund's) first key names it."""
        try:
            event = _event(body)
        except UnreadableEvent:
            return None
        if provider == "stripe":
            return stripe.order_key(event)
        if provider == "shopify":
            return shopify.order_key(topic, event)
        return woocommerce.order_key(event)


def _event(body: bytes) -> dict[str, Any]:
    """The delivery's JSON object, numbers as Decimal: no float touches an amount (or an id)."""
    try:
        event: Any = json.loads(body, parse_float=Decimal, parse_int=Decimal)
    except ValueError:
        raise UnreadableEvent("the delivery is not JSON", field="body") from None
    if not isinstance(event, dict):
        raise UnreadableEvent("the delivery is not a JSON object", field="body")
    return event
