"""Shop deliveries over HTTP through the local stack: its queue poller runs the processor as
Lambda's event source mapping would, so invoices appear a moment after the 200."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from tests.support.http import Client
from tests.support.shop_events import shopify_order, shopify_refund
from tests.support.shop_http import documents_when, endpoint_for, post_delivery


def test_the_same_delivery_20_times_10_at_once_makes_one_paid_invoice(client: Client):
    endpoint = endpoint_for(client)
    order = shopify_order(5001, [("Tasse", 2, "14.90", "0.2", "0")], taxes_included=True)
    with ThreadPoolExecutor(10) as pool:
        statuses = Counter(
            pool.map(lambda _: post_delivery(endpoint, order, "orders/paid", "dup-1"), range(10))
        )
    statuses += Counter(post_delivery(endpoint, order, "orders/paid", "dup-1") for _ in range(10))
    assert statuses == {200: 20}
    documents = documents_when(client, lambda docs: any(d["status"] == "paid" for d in docs))
    assert [(d["type"], d["status"], d["total_incl_tax"]) for d in documents] == [
        ("invoice", "paid", "29.80")
    ]
    time.sleep(1.5)  # nothing more comes of the 19 repeats
    assert len(client.request("GET", "/v1/invoices").json()["data"]) == 1


def test_a_refund_before_its_order_waits_in_the_dead_letters_then_replays(client: Client, stack):
    endpoint = endpoint_for(client)
    order = shopify_order(5002, [("Lampe", 1, "59.90", "0.2", "0")], taxes_included=True)
    assert post_delivery(endpoint, shopify_refund(5002, 88, "10.00"), "refunds/create", "early-refund") == 200
    dead = stack.moto.client("sqs")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # three failed receipts, then SQS's redrive
        attributes = dead.get_queue_attributes(
            QueueUrl=stack.resources["WebhookDeadLetterQueue"], AttributeNames=["ApproximateNumberOfMessages"]
        )["Attributes"]
        if int(attributes["ApproximateNumberOfMessages"]) == 1:
            break
        time.sleep(0.3)
    else:
        raise AssertionError("the refund never reached the dead-letter queue")
    assert post_delivery(endpoint, order, "orders/paid", "late-order") == 200
    documents_when(client, lambda docs: any(d["status"] == "paid" for d in docs))

    replay = subprocess.run(
        [sys.executable, "-m", "invoicing.cli", "webhooks", "replay"],
        env={**os.environ, **stack.client_environment()},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(replay.stdout) == {"replayed": 1}
    documents = documents_when(client, lambda docs: any(d["type"] == "credit_note" for d in docs))
    assert sorted((d["type"], d["total_incl_tax"]) for d in documents) == [
        ("credit_note", "10.00"),
        ("invoice", "59.90"),
    ]
