"""The e-reporting function as API Gateway and the table's stream call it: a finalized consumer
invoice in its period's rows, its report downloadable, and every bad request a clear 4xx."""

from __future__ import annotations

import copy
import json
import os
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest

from devserver.validation import frr_failures
from tests.support.lambdas import Api, Response, api_event, context, handler_module, sample_event

INVOICE = json.loads(sample_event("create_invoice")["body"])
CONSUMER = {
    "name": "Jeanne Martin",
    "address": {"line1": "3 rue Vieille", "postal_code": "13001", "city": "Marseille"},
}


def call(api: Api, method: str, path: str = "", query: dict[str, str] | None = None) -> Response:
    name = "transmit_e_reporting_period" if method == "POST" else "list_e_reporting_periods"
    event = api_event(name, tenant=api.tenant, query=query if query is not None else {})
    period_id, _, action = path.partition("/")
    resource = (
        "/v1/e-reporting/periods" + ("/{period_id}" if period_id else "") + (f"/{action}" if action else "")
    )
    event["resource"] = event["requestContext"]["resourcePath"] = resource
    event["path"] = resource.replace("{period_id}", period_id)
    event["pathParameters"] = {"period_id": period_id} if period_id else None
    return api.call("e_reporting", event)


def streamed(api: Api, invoice: dict[str, Any]) -> None:
    """The table's stream telling the e-reporting function of the invoice's finalization."""
    item = boto3.client("dynamodb").get_item(
        TableName=os.environ["TABLE_NAME"],
        Key={"pk": {"S": f"TENANT#{api.tenant}"}, "sk": {"S": f"DOC#{invoice['id']}"}},
    )["Item"]
    before = copy.deepcopy(item) | {"status": {"S": "draft"}}
    before.pop("e_rule")
    record = {
        "eventID": "1",
        "eventName": "MODIFY",
        "eventSource": "aws:dynamodb",
        "awsRegion": "eu-west-3",
        "dynamodb": {
            "Keys": {"pk": item["pk"], "sk": item["sk"]},
            "OldImage": before,
            "NewImage": item,
            "SequenceNumber": "100",
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
        "eventSourceARN": "arn:aws:dynamodb:eu-west-3:123456789012:table/t/stream/2026",
    }
    answer = handler_module("e_reporting", "stream").handler({"Records": [record]}, context("e_reporting"))
    assert answer == {"batchItemFailures": []}


def today() -> str:
    return datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()


def test_a_finalized_consumer_invoice_is_in_its_periods_rows_and_report(api: Api):
    invoice = api.create(
        INVOICE | {"customer": CONSUMER, "operation_nature": "goods", "finalize": True}
    ).json()
    assert invoice["e_invoicing"]["processing_rule"] == "B2C"
    streamed(api, invoice)
    streamed(api, invoice)  # handed over twice: counted once
    listed = call(api, "GET", query={"from": today(), "to": today()})
    assert listed.status == 200, listed.text
    (period,) = [period for period in listed.json()["data"] if period["kind"] == "transactions"]
    assert period["status"] == "open"
    read = call(api, "GET", period["id"])
    assert read.status == 200, read.text
    rows = read.json()["transactions"]
    assert [(row["vat_rate"], row["base"], row["count"]) for row in rows] == [
        (group["rate"], group["base"], 1)
        for group in sorted(invoice["totals"]["vat"], key=lambda group: float(group["rate"]))
    ]
    download = call(api, "GET", f"{period['id']}/download")
    assert download.status == 303
    assert f"previews/tenants/{api.tenant}/e-reporting/{period['id']}.xml" in download.headers["location"]
    body = (
        boto3.client("s3")
        .get_object(
            Bucket=os.environ["DOCUMENTS_BUCKET"],
            Key=f"previews/tenants/{api.tenant}/e-reporting/{period['id']}.xml",
        )["Body"]
        .read()
    )
    assert frr_failures(body) == []
    # Another tenant's period of the same id is its own, and empty.
    other = Api(f"{api.tenant}-other")
    assert call(other, "GET", period["id"]).json()["transactions"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-12-31", "to": "2026-12-01"}, "to"),
        ({"from": "2026-01-01", "to": "2027-06-01"}, "to"),
        ({"from": "yesterday"}, "from"),
    ],
)
def test_a_bad_range_says_what_to_send(api: Api, query: dict[str, str], field: str):
    listed = call(api, "GET", query=query)
    assert listed.status in (400, 422), listed.text
    assert field in json.dumps(listed.json()["error"])


@pytest.mark.parametrize("period_id", ["transactions-2026-12-02", "<img src=x onerror=alert(1)>", "x" * 5000])
def test_an_unknown_period_is_a_404_that_says_what_ids_look_like(api: Api, period_id: str):
    read = call(api, "GET", period_id)
    assert read.status == 404
    assert "transactions-2026-12-01" in read.json()["error"]["message"]
    assert len(read.json()["error"]["message"]) < 300, "a long id is not echoed whole"


def test_a_period_is_transmitted_only_once_ended_and_with_a_platform(api: Api):
    listed = call(api, "GET", query={"from": today(), "to": today()}).json()["data"]
    (current,) = [period for period in listed if period["kind"] == "transactions"]
    still_open = call(api, "POST", f"{current['id']}/transmit")
    assert still_open.status == 409
    assert still_open.json()["error"]["code"] == "period_open"
    ended = call(api, "POST", "transactions-2026-11-21/transmit")
    assert ended.status == 409
    assert ended.json()["error"]["code"] == "platform_not_connected"
