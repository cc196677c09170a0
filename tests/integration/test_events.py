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


def subscribe(stack, rule: str) -> str:
    """A tenant's queue that a rule on the bus forwards every event to."""
    sqs, events = stack.moto.client("sqs"), stack.moto.client("events")
    url = sqs.create_queue(QueueName=f"subscriber-{time.monotonic_ns()}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    bus = stack.resources["InvoiceEventsBus"]
    events.put_rule(Name=rule, EventBusName=bus, EventPattern=json.dumps({"source": ["invoicing"]}))
    events.put_targets(Rule=rule, EventBusName=bus, Targets=[{"Id": "queue", "Arn": arn}])
    return url


def events_of(stack, url: str, document_id: str, expected: Counter[str]) -> list[dict]:
    """The events of one document that reach the queue, until `expected` came or 20 s passed."""
    sqs = stack.moto.client("sqs")
    seen: list[dict] = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and Counter(event["detail-type"] for event in seen) != expected:
        for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get(
            "Messages", []
        ):
            event = json.loads(message["Body"])
            if event["detail"]["document"]["id"] == document_id:
                seen.append(event)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return seen


def test_a_paid_invoice_is_followed_on_the_bus(client: Client, stack):
    url = subscribe(stack, "paid")
    invoice = client.create({**INVOICE, "finalize": True}).json()
    paid = client.request(
        "POST", f"/v1/invoices/{invoice['id']}/payments", json={"amount": "95.49", "date": TODAY}
    )
    assert paid.json()["status"] == "paid"

    expected = Counter({"invoice.created": 1, "invoice.finalized": 1, "invoice.paid": 1})
    seen = events_of(stack, url, invoice["id"], expected)
    assert Counter(event["detail-type"] for event in seen) == expected


def test_each_payment_of_an_e_invoice_of_services_is_collected_per_rate_and_told_on_the_bus(
    client: Client, stack
):
    url = subscribe(stack, "collected")
    invoice = client.create({**INVOICE, "operation_nature": "services", "finalize": True}).json()
    assert invoice["e_invoicing"]["processing_rule"] == "B2B"
    assert invoice["e_invoicing"]["status"] == "pending"
    for amount in ("50.00", "45.49"):
        client.request(
            "POST", f"/v1/invoices/{invoice['id']}/payments", json={"amount": amount, "date": TODAY}
        )

    reform = client.request("GET", f"/v1/invoices/{invoice['id']}").json()["e_invoicing"]
    collected = [entry for entry in reform["history"] if entry["status"] == "collected"]
    assert reform["status"] == "collected"
    # 59.88 of the 95.49 is at 20 %, 35.61 at 5.5 %: each payment is split in those proportions.
    assert [{a["vat_rate"]: a["amount"] for a in entry["amounts"]} for entry in collected] == [
        {"20": "31.35", "5.5": "18.65"},
        {"20": "28.53", "5.5": "16.96"},
    ]
    expected = Counter(
        {"invoice.created": 1, "invoice.finalized": 1, "invoice.paid": 1, "e_invoice.collected": 2}
    )
    seen = events_of(stack, url, invoice["id"], expected)
    assert Counter(event["detail-type"] for event in seen) == expected
    told = [event["detail"] for event in seen if event["detail-type"] == "e_invoice.collected"]
    assert sorted(detail["e_invoicing_status"]["id"] for detail in told) == sorted(
        entry["id"] for entry in collected
    )
    assert len({detail["event_id"] for detail in told}) == 2
