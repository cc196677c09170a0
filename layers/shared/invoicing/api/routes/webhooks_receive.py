"""POST /v1/webhooks/{provider}/{endpoint_id}: a shop's delivery. No API key: the signature over the
raw body is the authentication, checked before the body is read."""

from __future__ import annotations

import base64

from aws_lambda_powertools.event_handler.api_gateway import Router

from invoicing.api.account_schemas import DeliveryReceipt
from invoicing.api.body import MAX_BODY_BYTES, PayloadTooLarge
from invoicing.api.common_schemas import OK
from invoicing.bootstrap import from_environment
from invoicing.services import webhooks

router = Router()


@router.post(
    "/v1/webhooks/<provider>/<endpoint_id>",
    summary="Receive a shop's event",
    description="Stripe (Stripe-Signature), Shopify (X-Shopify-Hmac-Sha256) or WooCommerce "
    "(X-WC-Webhook-Signature). A delivery seen before is answered 200 and changes nothing; the "
    "invoice is made asynchronously, in order per tenant.",
    responses={
        **OK,
        401: {"description": "Signature missing or wrong; nothing recorded"},
        413: {"description": "Body over 1 MB"},
    },
    tags=["webhooks"],
)
def receive_delivery(provider: str, endpoint_id: str) -> DeliveryReceipt:
    event = router.current_event
    raw = event.body or ""
    body = base64.b64decode(raw) if event.is_base64_encoded else raw.encode()
    if len(body) > MAX_BODY_BYTES:
        raise PayloadTooLarge(len(body))
    result = webhooks.receive(from_environment(), provider, endpoint_id, body, dict(event.headers))
    return DeliveryReceipt(duplicate=result.duplicate, ping=result.ping)
