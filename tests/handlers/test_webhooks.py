"""Shop deliveries through the receiver and the processor: signatures, exactly one invoice per order,
credit notes for refunds, and crashes that retries finish."""

from __future__ import annotations

import json
import os
import time
from decimal import Decimal

import boto3
import pytest

from devserver.demo import SAMPLE_SECRETS
from invoicing.adapters.dynamodb.table import key, tenant_pk
from invoicing.cli import main
from invoicing.shops.signatures import sign_stripe
from tests.support.lambdas import TEMPLATE, Api, Response, api_event, handler_module, sample_event
from tests.support.samples import EVENTS
from tests.support.shop_events import (
    shopify_order,
    shopify_refund,
    stripe_charge_refunded,
    stripe_checkout_completed,
    stripe_invoice_paid,
    woocommerce_order,
)
from tests.support.webhooks import create_endpoint, deliver, deliver_sample, process_queue

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


# Each sample delivery of events/, what it makes (the document's type and total) and what the shop
# delivered before it (the order a refund refunds).
SAMPLES = {
    "webhook_stripe_invoice_paid": ("invoice", "58.80", ()),
    "webhook_stripe_checkout_session_completed": ("invoice", "29.90", ()),
    "webhook_stripe_charge_refunded": (
        "credit_note",
        "10.00",
        ("webhook_stripe_checkout_session_completed",),
    ),
    "webhook_shopify_orders_paid": ("invoice", "34.70", ()),
    "webhook_shopify_refunds_create": ("credit_note", "14.90", ("webhook_shopify_orders_paid",)),
    "webhook_woocommerce_order_updated": ("invoice", "45.89", ()),
}


def test_every_sample_delivery_is_tried():
    shop_samples = {path.stem for path in EVENTS.glob("webhook_*.json")}
    assert set(SAMPLES) == shop_samples - {"webhook_woocommerce_ping", "webhook_delivery_queued"}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_sample_delivery_as_its_shop_sends_it_makes_its_document(api: Api, name: str):
    kind, total, before = SAMPLES[name]
    provider = sample_event(name)["pathParameters"]["provider"]
    endpoint = create_endpoint(api, provider, SAMPLE_SECRETS[provider])
    for sample in (*before, name):
        received = deliver_sample(endpoint, sample)
        assert (received.status, received.json()["duplicate"]) == (200, False)
    assert process_queue(queue_url()) == []
    (made,) = [entry for entry in api.list(limit="100").json()["data"] if entry["type"] == kind]
    totals = api.read(made["id"]).json()["totals"]
    assert (totals["total_incl_tax"], totals["rounding"]) == (total, "0.00")  # what the shop charged
    if kind == "invoice":
        assert totals["amount_due"] == "0.00"


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
    # Stripe's customer is a French business buying services: its e-invoice says the payment collected.
    history = [entry["status"] for entry in read["e_invoicing"]["history"]]
    assert history == (["pending", "collected"] if provider == "stripe" else [])


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
    inject_failure("s3.PutObject", when="before")  # numbered, paid and committed, then rendering fails
    assert len(process_queue(queue_url())) == 1
    (invoice,) = invoices(api)
    crashed = api.read(invoice["id"]).json()
    assert (crashed["status"], crashed["totals"]["amount_due"]) == ("paid", "0.00")
    assert crashed["links"]["pdf"].endswith("/download?format=pdf")  # its files not written yet
    deliver(endpoint, ORDER, secret=SECRET, headers=headers)  # the shop retries, SQS redelivers
    process_queue(queue_url())
    (again,) = invoices(api)
    read = api.read(again["id"]).json()
    assert (again["id"], again["number"], read["status"]) == (invoice["id"], invoice["number"], "paid")
    assert "/download" not in read["links"]["pdf"]
    assert [payment["amount"] for payment in read["payments"]] == [ORDER["total_price"]]
    (delivery,) = deliveries_of(api, endpoint["id"]).json()["data"]  # the retry finished the first attempt
    assert (delivery["status"], delivery["document_id"]) == ("invoiced", invoice["id"])


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


def deliveries_of(api: Api, endpoint_id: str, **query: str) -> Response:
    event = api_event("list_webhook_deliveries", tenant=api.tenant, query=query or {"limit": "20"})
    event["pathParameters"] = {"endpoint_id": endpoint_id}
    event["path"] = f"/v1/webhook-endpoints/{endpoint_id}/deliveries"
    return api.call("webhook_endpoints", event)


def retry(api: Api, endpoint_id: str, delivery_id: str) -> Response:
    event = api_event("retry_webhook_delivery", tenant=api.tenant)
    event["pathParameters"] = {"endpoint_id": endpoint_id, "delivery_id": delivery_id}
    event["path"] = f"/v1/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/retry"
    return api.call("webhook_endpoints", event)


def test_a_delivery_that_cannot_be_invoiced_fails_with_its_reason_and_holds_up_no_later_order(api: Api):
    endpoint = create_endpoint(api, "shopify", SECRET)
    headers = {"X-Shopify-Topic": "orders/paid"}
    deliver(
        endpoint, ORDER | {"line_items": []}, secret=SECRET, headers=headers | {"X-Shopify-Webhook-Id": "x-1"}
    )
    later = shopify_order(1002, [("Bol", 1, "12.00", "0.2", "0")], taxes_included=True)
    deliver(endpoint, later, secret=SECRET, headers=headers | {"X-Shopify-Webhook-Id": "d-2"})
    assert process_queue(queue_url()) == []  # nothing left to retry: the bad one failed at once
    listed = deliveries_of(api, endpoint["id"]).json()
    assert [
        (entry["id"], entry["topic"], entry["status"], entry["reason"], entry["attempts"])
        for entry in listed["data"]
    ] == [
        ("d-2", "orders/paid", "invoiced", None, 1),
        ("x-1", "orders/paid", "failed", "line_items: the order has no line_items", 1),
    ]
    (invoice,) = invoices(api)
    assert (invoice["id"], invoice["status"]) == (listed["data"][0]["document_id"], "paid")


def test_a_failed_delivery_is_retried_on_request_and_only_a_failed_one(api: Api):
    endpoint = create_endpoint(api, "shopify", SECRET)
    headers = {"X-Shopify-Topic": "orders/paid"}
    deliver(
        endpoint, ORDER | {"line_items": []}, secret=SECRET, headers=headers | {"X-Shopify-Webhook-Id": "x-1"}
    )
    deliver(endpoint, ORDER, secret=SECRET, headers=headers | {"X-Shopify-Webhook-Id": "d-1"})
    process_queue(queue_url())
    retried = retry(api, endpoint["id"], "x-1")
    assert (retried.status, retried.json()["status"], retried.json()["attempts"]) == (202, "queued", 1)
    assert queued() == 1
    process_queue(queue_url())
    (failed,) = [entry for entry in deliveries_of(api, endpoint["id"]).json()["data"] if entry["id"] == "x-1"]
    assert (failed["status"], failed["attempts"]) == ("failed", 2)
    invoiced = retry(api, endpoint["id"], "d-1")
    assert (invoiced.status, invoiced.json()["error"]["code"]) == (409, "delivery_not_failed")
    assert retry(api, endpoint["id"], "nope").status == 404
    assert deliveries_of(api, "we_" + "0" * 32).status == 404
    assert deliveries_of(api, endpoint["id"], cursor="forged").status == 422


def test_an_endpoints_deliveries_come_a_page_at_a_time_newest_first(api: Api):
    endpoint = create_endpoint(api, "shopify", SECRET)
    for number in range(3):
        order = shopify_order(3000 + number, [("Bol", 1, "12.00", "0.2", "0")], taxes_included=True)
        deliver(
            endpoint,
            order,
            secret=SECRET,
            headers={"X-Shopify-Topic": "orders/paid", "X-Shopify-Webhook-Id": f"p-{number}"},
        )
    first = deliveries_of(api, endpoint["id"], limit="2").json()
    rest = deliveries_of(api, endpoint["id"], limit="2", cursor=first["next_cursor"]).json()
    assert (first["has_more"], rest["has_more"], rest["next_cursor"]) == (True, False, None)
    assert [entry["id"] for entry in first["data"] + rest["data"]] == ["p-2", "p-1", "p-0"]
    assert {entry["status"] for entry in first["data"] + rest["data"]} == {"queued"}


def test_a_refund_before_its_order_waits_aside_and_is_credited_once_the_order_is_invoiced(api: Api):
    endpoint = create_endpoint(api, "shopify", SECRET)
    refund = shopify_refund(ORDER["id"], 929361465, "10.00")
    deliver(
        endpoint,
        refund,
        secret=SECRET,
        headers={"X-Shopify-Topic": "refunds/create", "X-Shopify-Webhook-Id": "r-early"},
    )
    assert process_queue(queue_url()) == []  # consumed, not retried: it holds its order's group up no longer
    (waiting,) = deliveries_of(api, endpoint["id"]).json()["data"]
    assert (waiting["status"], waiting["reason"]) == (
        "queued",
        "the refunded order has not been invoiced here yet: credited as soon as it is",
    )
    deliver(
        endpoint,
        ORDER,
        secret=SECRET,
        headers={"X-Shopify-Topic": "orders/paid", "X-Shopify-Webhook-Id": "o-late"},
    )
    process_queue(queue_url())  # the order, then the refund it queued again
    statuses = {entry["id"]: entry["status"] for entry in deliveries_of(api, endpoint["id"]).json()["data"]}
    assert statuses == {"r-early": "invoiced", "o-late": "invoiced"}
    (note,) = [entry for entry in api.list().json()["data"] if entry["type"] == "credit_note"]
    assert note["total_incl_tax"] == "10.00"


def test_dead_letters_go_back_to_the_queue_with_their_group_and_are_invoiced(
    api: Api, aws: dict[str, str], capsys: pytest.CaptureFixture[str]
):
    endpoint = create_endpoint(api, "shopify", SECRET)
    deliver(
        endpoint,
        ORDER,
        secret=SECRET,
        headers={"X-Shopify-Topic": "orders/paid", "X-Shopify-Webhook-Id": "o-dead"},
    )
    sqs, dead_letters = boto3.client("sqs"), aws["WebhookDeadLetterQueue"]
    # What SQS's redrive does after the last receipt of a delivery that met a passing trouble.
    (message,) = sqs.receive_message(QueueUrl=queue_url(), AttributeNames=["All"])["Messages"]
    group = message["Attributes"]["MessageGroupId"]
    sqs.send_message(
        QueueUrl=dead_letters,
        MessageBody=message["Body"],
        MessageGroupId=group,
        MessageDeduplicationId="dead",
    )
    sqs.delete_message(QueueUrl=queue_url(), ReceiptHandle=message["ReceiptHandle"])
    assert main(["webhooks", "replay", "--queue", queue_url(), "--dead-letter-queue", dead_letters]) == 0
    assert json.loads(capsys.readouterr().out) == {"replayed": 1}
    (replayed,) = sqs.receive_message(QueueUrl=queue_url(), AttributeNames=["All"], VisibilityTimeout=0)[
        "Messages"
    ]
    assert replayed["Attributes"]["MessageGroupId"] == group  # still in its order's group
    process_queue(queue_url())
    (invoice,) = invoices(api)
    assert invoice["status"] == "paid"


def test_the_processor_knows_its_last_receipt_and_the_dead_letters_raise_an_alarm():
    queue = TEMPLATE.resources["WebhookQueue"]["Properties"]
    processor = handler_module("webhook_processor")
    assert queue["RedrivePolicy"]["maxReceiveCount"] == processor.MAX_RECEIVES
    (alarm,) = TEMPLATE.of_type("AWS::CloudWatch::Alarm").values()
    dimension = alarm["Properties"]["Dimensions"][0]["Value"]
    assert (dimension, alarm["Properties"]["Threshold"]) == (
        {"Fn::GetAtt": ["WebhookDeadLetterQueue", "QueueName"]},
        1,
    )
    mapping = TEMPLATE.resources["WebhookProcessorFunction"]["Properties"]["Events"]["Deliveries"][
        "Properties"
    ]
    assert mapping["BatchSize"] == 1  # one delivery an invocation: the orders of a burst go side by side
