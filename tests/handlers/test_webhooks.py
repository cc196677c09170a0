"""Shop deliveries through the receiver and the processor: signatures, exactly one invoice per order,
credit notes for refunds, and crashes that retries finish."""

from __future__ import annotations

import json
import os
import time
from decimal import Decimal

import boto3
import pytest

from invoicing.adapters.dynamodb.table import key, tenant_pk
from invoicing.shops.signatures import sign_stripe
from tests.support.lambdas import Api, api_event
from tests.support.shop_events import (
    shopify_order,
    shopify_refund,
    stripe_charge_refunded,
    stripe_checkout_completed,
    stripe_invoice_paid,
    woocommerce_order,
)
from tests.support.webhooks import create_endpoint, deliver, process_queue

SECRET = "whsec_test_0123456789abcdef"
ORDER = shopify_order(
    820982911946154508, [("Tasse", 2, "14.90", "0.2", "0")], taxes_included=True, shipping=("4.90", "0.2")
)


def queue_url() -> str:
    return os.environ["WEBHOOK_QUEUE_URL"]


def queued() -> int:
    attributes = boto3.client("sqs").get_queue_attributes(QueueUrl=queue_url(), AttributeNames=["All"])[
        "Attributes"
    ]
    return int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )


def invoices(api: Api) -> list[dict]:
    return [entry for entry in api.list(limit="100").json()["data"] if entry["type"] == "invoice"]


def test_an_endpoint_keeps_its_secret_to_itself(api: Api):
    endpoint = create_endpoint(api, "shopify", SECRET, vat_exemption="TVA non applicable, art. 293 B du CGI")
    assert endpoint["url"].endswith(f"/v1/webhooks/shopify/{endpoint['id']}")
    assert "secret" not in endpoint
    listed = api.call(
        "webhook_endpoints",
        api_event("create_webhook_endpoint", tenant=api.tenant) | {"httpMethod": "GET", "body": None},
    )
    assert [entry["id"] for entry in listed.json()["data"]] == [endpoint["id"]]
    stored = boto3.client("dynamodb").get_item(
        TableName=os.environ["TABLE_NAME"], Key=key(f"WEBHOOK#{endpoint['id']}", "ENDPOINT")
    )["Item"]
    assert SECRET not in json.dumps(stored, default=str)
    refused = api.call(
        "webhook_endpoints",
        api_event(
            "create_webhook_endpoint", tenant=api.tenant, body={"provider": "paypal", "secret": SECRET}
        ),
    )
    assert (refused.status, refused.error_fields) == (422, ["provider"])


@pytest.mark.parametrize(
    ("provider", "payload", "headers"),
    [
        ("shopify", ORDER, {"X-Shopify-Topic": "orders/paid", "X-Shopify-Webhook-Id": "d-1"}),
        (
            "stripe",
            stripe_invoice_paid("evt_1", "in_1", "pi_1", [("Pro", 1, 4990, "20")], created=int(time.time())),
            {},
        ),
        (
            "woocommerce",
            woocommerce_order(727, [("Bol", 2, "31.66", "20")], shipping="6.58"),
            {"X-WC-Webhook-Topic": "order.updated", "X-WC-Webhook-Delivery-ID": "w-1"},
        ),
    ],
)
def test_a_signed_delivery_becomes_a_paid_invoice(api: Api, provider, payload, headers):
    endpoint = create_endpoint(api, provider, SECRET)
    received = deliver(endpoint, payload, secret=SECRET, headers=headers)
    assert (received.status, received.json()) == (200, {"received": True, "duplicate": False, "ping": False})
    assert process_queue(queue_url()) == []
    (invoice,) = invoices(api)
    read = api.read(invoice["id"]).json()
    assert (read["status"], read["totals"]["amount_due"]) == ("paid", "0.00")
    paid = {"shopify": ORDER["total_price"], "stripe": "59.88", "woocommerce": payload.get("total")}[provider]
    assert Decimal(read["totals"]["amount_paid"]) == Decimal(paid)
    assert read["links"]["pdf"].startswith("https://")


BAD_DELIVERIES = {
    "shopify": (ORDER, {"X-Shopify-Topic": "orders/paid"}, "X-Shopify-Webhook-Id"),
    "woocommerce": (
        woocommerce_order(727, [("Bol", 2, "31.66", "20")]),
        {"X-WC-Webhook-Topic": "order.updated"},
        "X-WC-Webhook-Delivery-ID",
    ),
    "stripe": (stripe_invoice_paid("evt_bad", "in_bad", "pi_bad", [("Pro", 1, 4990, "20")]), {}, None),
}


@pytest.mark.parametrize("provider", list(BAD_DELIVERIES))
@pytest.mark.parametrize(
    ("case", "secret", "tampered"),
    [
        ("wrong secret", "whsec_another_secret_entirely", False),
        ("no signature", None, False),
        ("changed body", SECRET, True),
    ],
)
def test_a_bad_signature_is_refused_and_changes_nothing(api: Api, provider, case, secret, tampered):
    endpoint = create_endpoint(api, provider, SECRET)
    payload, headers, id_header = BAD_DELIVERIES[provider]
    if provider == "stripe":
        payload = payload | {"created": int(time.time())}
    delivery_id = "evt_bad" if provider == "stripe" else f"bad-{case}"
    headers = headers | ({id_header: delivery_id} if id_header else {})
    changed = json.dumps(payload).replace(": ", ":", 1).encode() if tampered else None
    refused = deliver(endpoint, payload, secret=secret, headers=headers, sent_instead=changed)
    assert (refused.status, refused.json()["error"]["code"]) == (401, "signature_invalid"), case
    delivery = boto3.client("dynamodb").get_item(
        TableName=os.environ["TABLE_NAME"],
        Key=key(tenant_pk(api.tenant), f"DELIVERY#{provider}#{delivery_id}"),
    )
    assert "Item" not in delivery
    assert queued() == 0


def test_a_stale_stripe_signature_is_refused(api: Api):
    endpoint = create_endpoint(api, "stripe", SECRET)
    event = stripe_invoice_paid("evt_old", "in_old", "pi_old", [("Pro", 1, 4990, "20")])
    body = json.dumps(event).encode()
    stale = sign_stripe(body, SECRET, timestamp=int(time.time()) - 301)
    refused = deliver(endpoint, event, secret=None, headers={"Stripe-Signature": stale})
    assert (refused.status, refused.error_fields) == (401, ["header.Stripe-Signature"])
    assert queued() == 0


def test_another_endpoint_or_provider_is_not_found(api: Api):
    endpoint = create_endpoint(api, "shopify", SECRET)
    assert deliver(endpoint | {"id": "we_" + "0" * 32}, ORDER, secret=SECRET).status == 404
    assert deliver(endpoint | {"provider": "woocommerce"}, ORDER, secret=SECRET).status == 404


def test_the_same_delivery_20_times_makes_one_invoice(api: Api):
    endpoint = create_endpoint(api, "shopify", SECRET)
    headers = {"X-Shopify-Topic": "orders/paid", "X-Shopify-Webhook-Id": "same-delivery"}
    answers = [
        deliver(endpoint, ORDER, secret=SECRET, headers=headers).json()["duplicate"] for _ in range(20)
    ]
    assert answers == [False] + [True] * 19
    process_queue(queue_url())
    assert len(invoices(api)) == 1


def test_two_event_types_for_one_order_make_one_invoice(api: Api):
    endpoint = create_endpoint(api, "stripe", SECRET)
    now = int(time.time())
    lines = [{"title": "Pro", "quantity": 1, "unit_amount": 4990, "vat_rate": "20"}]
    checkout = stripe_checkout_completed(
        "evt_a", "cs_a", "pi_same", 5988, 998, invoice_id="in_same", lines=lines, created=now
    )
    paid = stripe_invoice_paid("evt_b", "in_same", "pi_same", [("Pro", 1, 4990, "20")], created=now)
    assert deliver(endpoint, checkout, secret=SECRET).status == 200
    assert deliver(endpoint, paid, secret=SECRET).status == 200
    process_queue(queue_url())
    (invoice,) = invoices(api)
    assert api.read(invoice["id"]).json()["status"] == "paid"


def test_a_crash_after_numbering_ends_with_one_invoice_when_retried(api: Api, inject_failure):
    endpoint = create_endpoint(api, "shopify", SECRET)
    headers = {"X-Shopify-Topic": "orders/paid", "X-Shopify-Webhook-Id": "crash-1"}
    deliver(endpoint, ORDER, secret=SECRET, headers=headers)
    inject_failure("s3.PutObject", when="before")  # numbered and committed, then rendering fails
    assert len(process_queue(queue_url())) == 1
    (invoice,) = invoices(api)
    assert api.read(invoice["id"]).json()["status"] == "open"
    deliver(endpoint, ORDER, secret=SECRET, headers=headers)  # the shop retries, SQS redelivers
    process_queue(queue_url())
    (again,) = invoices(api)
    read = api.read(again["id"]).json()
    assert (again["id"], again["number"], read["status"]) == (invoice["id"], invoice["number"], "paid")


def test_a_refund_makes_a_credit_note_and_settles_the_invoice(api: Api):
    endpoint = create_endpoint(api, "shopify", SECRET)
    deliver(
        endpoint,
        ORDER,
        secret=SECRET,
        headers={"X-Shopify-Topic": "orders/paid", "X-Shopify-Webhook-Id": "o-1"},
    )
    refund = shopify_refund(ORDER["id"], 929361464, "14.90")
    refund_headers = {"X-Shopify-Topic": "refunds/create", "X-Shopify-Webhook-Id": "r-1"}
    deliver(endpoint, refund, secret=SECRET, headers=refund_headers)
    deliver(endpoint, refund, secret=SECRET, headers=refund_headers | {"X-Shopify-Webhook-Id": "r-1-again"})
    process_queue(queue_url())
    listed = api.list(limit="100").json()["data"]
    (note,) = [entry for entry in listed if entry["type"] == "credit_note"]
    (invoice,) = [entry for entry in listed if entry["type"] == "invoice"]
    assert note["total_incl_tax"] == "14.90"
    read = api.read(invoice["id"]).json()
    assert (read["totals"]["amount_credited"], read["totals"]["amount_due"], read["status"]) == (
        "14.90",
        "0.00",
        "paid",
    )
    assert Decimal(read["totals"]["amount_paid"]) == Decimal(ORDER["total_price"]) - Decimal("14.90")
    assert api.read(note["id"]).json()["corrects"]["number"] == invoice["number"]


def test_a_stripe_refund_credits_the_invoice_its_payment_intent_paid(api: Api):
    endpoint = create_endpoint(api, "stripe", SECRET)
    now = int(time.time())
    deliver(
        endpoint,
        stripe_invoice_paid("evt_p", "in_p", "pi_p", [("Pro", 2, 2500, "20")], created=now),
        secret=SECRET,
    )
    deliver(
        endpoint, stripe_charge_refunded("evt_r", "ch_p", "pi_p", "re_1", 1500, created=now), secret=SECRET
    )
    process_queue(queue_url())
    (note,) = [entry for entry in api.list().json()["data"] if entry["type"] == "credit_note"]
    assert note["total_incl_tax"] == "15.00"


def test_the_woocommerce_ping_is_answered_and_recorded_nowhere(api: Api):
    endpoint = create_endpoint(api, "woocommerce", SECRET)
    ping = deliver(
        endpoint, "webhook_id=12", secret=None, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert (ping.status, ping.json()["ping"]) == (200, True)
    assert queued() == 0


def test_an_unreadable_delivery_fails_and_stays_queued_for_the_dead_letters(api: Api):
    endpoint = create_endpoint(api, "shopify", SECRET)
    broken = ORDER | {"line_items": []}
    deliver(
        endpoint,
        broken,
        secret=SECRET,
        headers={"X-Shopify-Topic": "orders/paid", "X-Shopify-Webhook-Id": "x-1"},
    )
    assert len(process_queue(queue_url())) == 1
    item = boto3.client("dynamodb").get_item(
        TableName=os.environ["TABLE_NAME"], Key=key(tenant_pk(api.tenant), "DELIVERY#shopify#x-1")
    )["Item"]
    assert item["status"]["S"] == "failed"
    assert "line_items" in item["outcome"]["S"]
