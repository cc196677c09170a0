"""Each provider's signature over the raw body, checked before anything is parsed.

Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=...]`, HMAC-SHA256 of `<t>.<body>`, any v1 may
match, and `t` within the tolerance (5 minutes) of now. Shopify: `X-Shopify-Hmac-Sha256`, base64 of
the HMAC-SHA256 of the body. WooCommerce: `X-WC-Webhook-Signature`, the same scheme. Every compare
is constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from invoicing.domain.errors import Unauthenticated

STRIPE_TOLERANCE_SECONDS = 300
SIGNATURE_HEADERS = {
    "stripe": "Stripe-Signature",
    "shopify": "X-Shopify-Hmac-Sha256",
    "woocommerce": "X-WC-Webhook-Signature",
}
MAX_SIGNATURE_HEADER = 2048


class SignatureRefused(Unauthenticated):
    """The delivery is not signed with the endpoint's secret; nothing was recorded."""

    code = "signature_invalid"


def _digest(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, payload, hashlib.sha256).digest()


def verify_stripe(header: str | None, body: bytes, secret: str, *, now: float) -> None:
    if not header or len(header) > MAX_SIGNATURE_HEADER:
        raise SignatureRefused("the Stripe-Signature header is missing", field="header.Stripe-Signature")
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        raise SignatureRefused("Stripe-Signature needs t= and v1=", field="header.Stripe-Signature")
    if abs(now - timestamp) > STRIPE_TOLERANCE_SECONDS:
        raise SignatureRefused(
            f"the signature's timestamp is more than {STRIPE_TOLERANCE_SECONDS} s away from now: a replay?",
            field="header.Stripe-Signature",
        )
    expected = _digest(secret.encode(), str(timestamp).encode() + b"." + body).hex()
    # Compare against every v1 without stopping early: the time taken says nothing of which matched.
    matched = [hmac.compare_digest(expected, signature) for signature in signatures]
    if not any(matched):
        raise SignatureRefused(
            "no v1 signature matches the endpoint's secret", field="header.Stripe-Signature"
        )


def verify_base64_hmac(header: str | None, body: bytes, secret: str, *, header_name: str) -> None:
    """Shopify's and WooCommerce's scheme: the header is base64(HMAC-SHA256(secret, body))."""
    field = f"header.{header_name}"
    if not header or len(header) > MAX_SIGNATURE_HEADER:
        raise SignatureRefused(f"the {header_name} header is missing", field=field)
    expected = base64.b64encode(_digest(secret.encode(), body)).decode()
    if not hmac.compare_digest(expected, header.strip()):
        raise SignatureRefused(f"{header_name} does not match the endpoint's secret", field=field)


def verify(provider: str, header: str | None, body: bytes, secret: str, *, now: float) -> None:
    """The provider's scheme, on the value of its signature header (SIGNATURE_HEADERS)."""
    if provider == "stripe":
        verify_stripe(header, body, secret, now=now)
    else:
        verify_base64_hmac(header, body, secret, header_name=SIGNATURE_HEADERS[provider])


def sign(provider: str, body: bytes, secret: str, *, now: float) -> str:
    """The signature header's value the provider would send: for samples, the CLI and tests."""
    if provider == "stripe":
        return sign_stripe(body, secret, timestamp=int(now))
    return sign_base64_hmac(body, secret)


def sign_stripe(body: bytes, secret: str, *, timestamp: int) -> str:
    """The header Stripe would send: for events/ samples and tests."""
    return f"t={timestamp},v1={_digest(secret.encode(), str(timestamp).encode() + b'.' + body).hex()}"


def sign_base64_hmac(body: bytes, secret: str) -> str:
    return base64.b64encode(_digest(secret.encode(), body)).decode()
