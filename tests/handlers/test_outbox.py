"""The outbox: the table's stream through the outbox function onto the bus, as a subscriber sees it
(a rule forwarding the bus to a queue): one event per committed change, none for what failed."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from typing import Any

import boto3
import pytest

from invoicing.bootstrap import from_environment
from tests.support.lambdas import REGION, Api, api_event, context, handler_module, sample_event
from tests.support.shop_events import shopify_order, stripe_invoice_paid
from tests.support.webhooks import create_endpoint, deliver, process_queue

INVOICE = json.loads(sample_event("create_invoice")["body"])
# moto answers stream calls only at the service's own host, not at an account-based endpoint.
STREAMS_ENDPOINT = f"https://streams.dynamodb.{REGION}.amazonaws.com"


@pytest.fixture
def subscriber(aws: dict[str, str]) -> str:
    """A queue that a rule on the bus forwards every `invoicing` event to: what a tenant would wire."""
    sqs, events = boto3.client("sqs"), boto3.client("events")
    url = sqs.create_queue(QueueName="subscriber")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    bus = os.environ["EVENT_BUS_NAME"]
    events.put_rule(Name="all", EventBusName=bus, EventPattern=json.dumps({"source": ["invoicing"]}))
    events.put_targets(Rule="all", EventBusName=bus, Targets=[{"Id": "queue", "Arn": arn}])
    return url


def stream_records() -> list[dict[str, Any]]:
    streams = boto3.client("dynamodbstreams", endpoint_url=STREAMS_ENDPOINT)
    (stream,) = streams.list_streams(TableName=os.environ["TABLE_NAME"])["Streams"]
    shard = streams.describe_stream(StreamArn=stream["StreamArn"])["StreamDescription"]["Shards"][0]
    iterator = streams.get_shard_iterator(
        StreamArn=stream["StreamArn"], ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records = streams.get_records(ShardIterator=iterator, Limit=1000)["Records"]
    for record in records:
        record["dynamodb"].pop("ApproximateCreationDateTime", None)
        record["eventSourceARN"] = stream["StreamArn"]
    return records


def run_outbox(records: list[dict[str, Any]]) -> dict[str, Any]:
    return handler_module("outbox").handler({"Records": records}, context("outbox"))


def received(queue_url: str) -> list[dict[str, Any]]:
    sqs, found = boto3.client("sqs"), []
    while messages := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:
            found.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return found


def test_each_committed_change_is_published_once_as_what_it_means(api: Api, subscriber: str):
    paid = api.create(INVOICE, headers={}).json()
    api.finalize(paid["id"])
    api.call("payments", _payment(api, paid["id"], paid["totals"]["total_incl_tax"]))
    credited = api.create(INVOICE | {"finalize": True}, headers={}).json()
    api.credit(credited["id"], {"reason": "Erreur de prix"})
    deleted = api.create(INVOICE, headers={}).json()
    api.delete(deleted["id"])
    refused = api.finalize(paid["id"])  # already finalized: nothing commits, nothing is published
    assert refused.status == 409

    assert run_outbox(stream_records()) == {"batchItemFailures": []}
    events = received(subscriber)
    by_document = Counter((event["detail"]["document"]["id"], event["detail-type"]) for event in events)
    assert by_document == {
        (paid["id"], "invoice.created"): 1,
        (paid["id"], "invoice.finalized"): 1,
        (paid["id"], "invoice.paid"): 1,
        (credited["id"], "invoice.created"): 1,
        (credited["id"], "invoice.finalized"): 1,
        (deleted["id"], "invoice.created"): 1,
        (by_type(events, "credit_note.created"), "credit_note.created"): 1,
    }
    finalized = next(
        e
        for e in events
        if e["detail-type"] == "invoice.finalized" and e["detail"]["document"]["id"] == paid["id"]
    )
    assert finalized["source"] == "invoicing"
    assert finalized["detail"]["tenant_id"] == api.tenant
    assert finalized["detail"]["document"]["number"].startswith("F")
    assert finalized["detail"]["event_id"] == f"{paid['id']}:invoice.finalized"


def test_a_change_handed_over_twice_keeps_its_event_ids(api: Api, subscriber: str):
    api.create(INVOICE | {"finalize": True}, headers={})
    records = stream_records()
    run_outbox(records)
    run_outbox(records)
    ids = [event["detail"]["event_id"] for event in received(subscriber)]
    assert len(ids) == 4
    assert len(set(ids)) == 2  # a subscriber deduplicating on event_id sees each change once


def test_events_that_fail_to_publish_are_reported_for_the_stream_to_retry(
    api: Api, subscriber: str, monkeypatch
):
    api.create(INVOICE | {"finalize": True}, headers={})
    records = stream_records()
    monkeypatch.setenv("EVENT_BUS_NAME", "no-such-bus")
    from_environment.cache_clear()
    result = run_outbox(records)
    (created,) = [
        record
        for record in records
        if record["dynamodb"]["Keys"]["sk"]["S"].startswith("DOC#") and record["eventName"] == "INSERT"
    ]
    assert [item["itemIdentifier"] for item in result["batchItemFailures"]] == [
        created["dynamodb"]["SequenceNumber"]
    ]


def by_type(events: list[dict[str, Any]], kind: str) -> str:
    (document_id,) = {event["detail"]["document"]["id"] for event in events if event["detail-type"] == kind}
    return str(document_id)


def _payment(api: Api, invoice_id: str, amount: str) -> dict[str, Any]:
    return api_event(
        "record_payment",
        tenant=api.tenant,
        invoice_id=invoice_id,
        body={"amount": amount, "date": "2026-11-21"},
    )


def test_a_delivery_that_fails_is_told_once_as_webhook_delivery_failed(api: Api, subscriber: str):
    endpoint = create_endpoint(api, "shopify", "shpss_outbox_secret")
    broken = shopify_order(4001, [("Tasse", 1, "9.90", "0.2", "0")], taxes_included=True) | {"currency": ""}
    headers = {"X-Shopify-Topic": "orders/paid", "X-Shopify-Webhook-Id": "f-1"}
    deliver(endpoint, broken, secret="shpss_outbox_secret", headers=headers)
    process_queue(os.environ["WEBHOOK_QUEUE_URL"])
    records = stream_records()
    run_outbox(records)
    run_outbox(records)  # handed over twice: the same event id
    events = [event for event in received(subscriber) if event["detail-type"] == "webhook_delivery.failed"]
    assert len(events) == 2
    assert {event["detail"]["event_id"] for event in events} == {"shopify:f-1:webhook_delivery.failed:1"}
    delivery = events[0]["detail"]["delivery"]
    assert (
        events[0]["detail"]["tenant_id"],
        delivery["endpoint_id"],
        delivery["topic"],
        delivery["reason"],
    ) == (
        api.tenant,
        endpoint["id"],
        "orders/paid",
        "currency: the event gives no currency",
    )


def test_an_order_born_paid_is_published_as_each_step_it_took_at_once(api: Api, subscriber: str):
    """A shop's paid order is numbered and paid in one write: its subscribers still hear it created,
    finalized and paid, and, an e-invoice of services to a French business, collected (212)."""
    endpoint = create_endpoint(api, "stripe", "whsec_outbox_secret")
    paid = stripe_invoice_paid("evt_o", "in_o", "pi_o", [("Pro", 1, 4990, "20")], created=int(time.time()))
    deliver(endpoint, paid, secret="whsec_outbox_secret")
    process_queue(os.environ["WEBHOOK_QUEUE_URL"])
    assert run_outbox(stream_records()) == {"batchItemFailures": []}
    kinds = Counter(
        event["detail-type"]
        for event in received(subscriber)
        if event["detail-type"] != "webhook_delivery.failed"
    )
    assert kinds == {
        "invoice.created": 1,
        "invoice.finalized": 1,
        "invoice.paid": 1,
        "e_invoice.collected": 1,
    }
