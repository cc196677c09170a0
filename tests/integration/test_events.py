"""Events out over the local stack: the stream poller runs the outbox as Lambda would, and a tenant's
rule on the bus forwards what it publishes to a queue."""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from tests.support.http import INVOICE, Client

TODAY = datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()


def test_a_paid_invoice_is_followed_on_the_bus(client: Client, stack):
    sqs, events = stack.moto.client("sqs"), stack.moto.client("events")
    url = sqs.create_queue(QueueName=f"subscriber-{time.monotonic_ns()}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    bus = stack.resources["InvoiceEventsBus"]
    events.put_rule(Name="paid", EventBusName=bus, EventPattern=json.dumps({"source": ["invoicing"]}))
    events.put_targets(Rule="paid", EventBusName=bus, Targets=[{"Id": "queue", "Arn": arn}])

    invoice = client.create({**INVOICE, "finalize": True}).json()
    paid = client.request(
        "POST", f"/v1/invoices/{invoice['id']}/payments", json={"amount": "95.49", "date": TODAY}
    )
    assert paid.json()["status"] == "paid"

    seen: Counter[str] = Counter()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and set(seen) != {
        "invoice.created",
        "invoice.finalized",
        "invoice.paid",
    }:
        for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get(
            "Messages", []
        ):
            event = json.loads(message["Body"])
            if event["detail"]["document"]["id"] == invoice["id"]:
                seen[event["detail-type"]] += 1
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    assert seen == {"invoice.created": 1, "invoice.finalized": 1, "invoice.paid": 1}
