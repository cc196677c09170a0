"""Our Stripe signatures, checked against Stripe's own library both ways: what we sign (the samples,
the CLI, the tests) Stripe's verification accepts, and what Stripe signs ours accepts, with the
same tolerance and the same refusals."""

from __future__ import annotations

import json
import time

import pytest
import stripe

from invoicing.domain.errors import Unauthenticated
from invoicing.shops.signatures import sign_stripe, verify_stripe
from tests.support.samples import EVENTS
from tests.support.shop_events import stripe_invoice_paid

SECRET = "whsec_test_0123456789abcdef"


def payload() -> bytes:
    event = stripe_invoice_paid("evt_sig", "in_sig", "pi_sig", [("Pro", 1, 4990, "20")])
    return json.dumps(event).encode()


def test_stripes_verification_accepts_our_signature():
    body, now = payload(), int(time.time())
    event = stripe.Webhook.construct_event(body, sign_stripe(body, SECRET, timestamp=now), SECRET)
    assert (event["id"], event["type"]) == ("evt_sig", "invoice.paid")


def test_ours_accepts_stripes_signature_and_refuses_what_stripe_refuses():
    body, now = payload(), int(time.time())
    header = stripe.WebhookSignature.generate_signature_header(body.decode(), SECRET, timestamp=now)
    verify_stripe(header, body, SECRET, now=now)
    tampered = body.replace(b'"evt_sig"', b'"evt_sib"')
    stale = stripe.WebhookSignature.generate_signature_header(body.decode(), SECRET, timestamp=now - 301)
    for refused_header, refused_body in ((header, tampered), (stale, body)):
        with pytest.raises(stripe.SignatureVerificationError):
            stripe.Webhook.construct_event(refused_body, refused_header, SECRET)
        with pytest.raises(Unauthenticated):
            verify_stripe(refused_header, refused_body, SECRET, now=now)


@pytest.mark.parametrize(
    ("sample", "kind"),
    [
        ("webhook_stripe_invoice_paid", "invoice.paid"),
        ("webhook_stripe_checkout_session_completed", "checkout.session.completed"),
        ("webhook_stripe_charge_refunded", "charge.refunded"),
    ],
)
def test_the_stripe_sample_events_signed_afresh_are_events_stripe_accepts(sample: str, kind: str):
    body = str(json.loads((EVENTS / f"{sample}.json").read_text())["body"]).encode()
    now = int(time.time())
    event = stripe.Webhook.construct_event(
        body, sign_stripe(body, "whsec_local_sample_secret", timestamp=now), "whsec_local_sample_secret"
    )
    assert event["type"] == kind
