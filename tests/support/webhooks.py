"""Deliveries as the shops make them, and the queue drained into the processor as Lambda would."""

from __future__ import annotations

import copy
import json
import time
from typing import Any

import boto3
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from devserver.demo import SAMPLE_SECRETS
from invoicing.shops.signatures import SIGNATURE_HEADERS, sign
from tests.support.lambdas import Api, Response, api_event, context, handler_module, sample_event

SAMPLE = {
    "stripe": "webhook_stripe_invoice_paid",
    "shopify": "webhook_shopify_orders_paid",
    "woocommerce": "webhook_woocommerce_order_updated",
}


# The secrets the samples of events/ are signed with, as the README gives them.


def create_endpoint(api: Api, provider: str, secret: str, **settings: Any) -> dict[str, Any]:
    body = {"provider": provider, "secret": secret} | settings
    response = api.call(
        "webhook_endpoints", api_event("create_webhook_endpoint", tenant=api.tenant, body=body)
    )
    assert response.status == 201, response.text
    return dict(response.json())


def signed_headers(provider: str, body: bytes, secret: str) -> dict[str, str]:
    return {SIGNATURE_HEADERS[provider]: sign(provider, body, secret, now=time.time())}


def deliver(
    endpoint: dict[str, Any],
    payload: dict[str, Any] | str,
    *,
    secret: str | None,
    headers: dict[str, str] | None = None,
    sent_instead: bytes | None = None,
) -> Response:
    """POST the payload to the endpoint as its shop would: signed with `secret` (None: unsigned);
    `sent_instead` is a body sent in place of the one signed (a body changed on the way)."""
    provider = endpoint["provider"]
    event = copy.deepcopy(sample_event(SAMPLE[provider]))
    signed = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
    body = sent_instead if sent_instead is not None else signed
    event_headers = {k: v for k, v in event["headers"].items() if k != SIGNATURE_HEADERS[provider]}
    if secret is not None:
        event_headers |= signed_headers(provider, signed, secret)
    event_headers |= headers or {}
    event |= {
        "path": f"/v1/webhooks/{provider}/{endpoint['id']}",
        "pathParameters": {"provider": provider, "endpoint_id": endpoint["id"]},
        "body": body.decode(),
        "headers": event_headers,
        "multiValueHeaders": {k: [v] for k, v in event_headers.items()},
    }
    function = "webhook_receiver"
    return Response(handler_module(function).handler(event, context(function)))


def deliver_sample(endpoint: dict[str, Any], name: str) -> Response:
    """POST a sample delivery of events/ as it stands, body and headers, to the endpoint: signed
    afresh with its secret (Stripe's signature holds 5 minutes)."""
    provider = endpoint["provider"]
    event = copy.deepcopy(sample_event(name))
    headers = event["headers"] | signed_headers(provider, event["body"].encode(), SAMPLE_SECRETS[provider])
    event |= {
        "path": f"/v1/webhooks/{provider}/{endpoint['id']}",
        "pathParameters": {"provider": provider, "endpoint_id": endpoint["id"]},
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
    }
    function = "webhook_receiver"
    return Response(handler_module(function).handler(event, context(function)))


def process_queue(queue_url: str) -> list[str]:
    """Hand every queued delivery to the processor, one at a time as its event source mapping does
    (BatchSize 1); the ids of the messages it reported failed (left in the queue)."""
    sqs = boto3.client("sqs")
    failed: list[str] = []
    while True:
        messages = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=1, AttributeNames=["All"], VisibilityTimeout=0
        ).get("Messages", [])
        messages = [m for m in messages if m["MessageId"] not in failed]
        if not messages:
            return failed
        event = {
            "Records": [
                {
                    "messageId": message["MessageId"],
                    "receiptHandle": message["ReceiptHandle"],
                    "body": message["Body"],
                    "attributes": message.get("Attributes", {}),
                    "messageAttributes": {},
                    "md5OfBody": message["MD5OfBody"],
                    "eventSource": "aws:sqs",
                    "eventSourceARN": "arn:aws:sqs:eu-west-3:123456789012:queue.fifo",
                    "awsRegion": "eu-west-3",
                }
                for message in messages
            ]
        }
        try:
            result = handler_module("webhook_processor").handler(event, context("webhook_processor"))
            retried = {item["itemIdentifier"] for item in result.get("batchItemFailures", [])}
        except BatchProcessingError:  # every record failed: Lambda retries the whole batch
            retried = {message["MessageId"] for message in messages}
        failed += sorted(retried)
        for message in messages:
            if message["MessageId"] not in retried:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
