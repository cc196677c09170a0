"""E-reporting on the local stack, over HTTP as a tenant would: consumer sales made today through
the API and through a shop's webhook appear in today's row of the open period as they are
finalized, side by side without losing any; the period closes on its due date and goes to the
platform, which accepts it; a credit note afterwards makes a corrective transmission."""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import requests
from lxml import etree

from devserver.schedules import scheduled_event
from devserver.stack import LocalStack
from devserver.validation import frr_failures
from tests.support.http import Client, wait_for
from tests.support.shop_events import shopify_order
from tests.support.shop_http import documents_when, endpoint_for, post_delivery

CONSUMER = {
    "name": "Jeanne Martin",
    "address": {"line1": "3 rue Vieille", "postal_code": "13001", "city": "Marseille"},
}
LINES = [
    {"title": "Lampe", "unit_price": "40", "vat_rate": "20"},
    {"title": "Livre", "unit_price": "12.50", "vat_rate": "5.5"},
]


def period_of_today(client: Client) -> dict[str, Any]:
    today = datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()
    listed = client.request("GET", "/v1/e-reporting/periods", params={"from": today, "to": today})
    assert listed.status_code == 200, listed.text
    (period,) = [period for period in listed.json()["data"] if period["kind"] == "transactions"]
    return client.request("GET", f"/v1/e-reporting/periods/{period['id']}").json()


def rows_of(documents: list[dict[str, Any]]) -> dict[tuple[str, str], tuple[Decimal, Decimal, int]]:
    """What the period must hold: each document's VAT groups, credit notes subtracted."""
    sums: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [Decimal(0), Decimal(0), 0])
    for document in documents:
        sign = -1 if document["type"] == "credit_note" else 1
        for group in document["totals"]["vat"]:
            row = sums[("TLB1", str(Decimal(group["rate"]).normalize()))]
            row[0] += sign * Decimal(group["base"])
            row[1] += sign * Decimal(group["amount"])
            row[2] += 1
    return {key: (base, vat, count) for key, (base, vat, count) in sums.items()}


def held(period: dict[str, Any]) -> dict[tuple[str, str], tuple[Decimal, Decimal, int]]:
    return {
        (row["category"], str(Decimal(row["vat_rate"]).normalize())): (
            Decimal(row["base"]),
            Decimal(row["vat"]),
            row["count"],
        )
        for row in period["transactions"]
    }


def reports_received(client: Client, stack: LocalStack) -> list[Any]:
    flows = stack.platform.received(client.platform_client)  # type: ignore[attr-defined]
    return [flow for flow in flows if flow.info["flowSyntax"] == "FRR"]


def test_todays_consumer_sales_are_reported_transmitted_and_corrected(connected: Client, stack: LocalStack):
    client = connected
    drafts = [client.draft_id(customer=CONSUMER, operation_nature="goods", lines=LINES) for _ in range(8)]
    with ThreadPoolExecutor(4) as pool:  # finalized side by side: no update of the day's row is lost
        list(pool.map(client.finalize_as_clients_do, drafts))
    credit = client.request(
        "POST",
        f"/v1/invoices/{drafts[0]}/credit-notes",
        json={"reason": "Lampe retournée", "lines": [{"index": 0}]},
    )
    assert credit.status_code == 201, credit.text
    endpoint = endpoint_for(client)
    order = shopify_order(7001, [("Tasse", 2, "14.90", "0.2", "0")], taxes_included=True)
    assert post_delivery(endpoint, order, "orders/paid", "e-reporting-1") == 200
    # The shop's invoice is listed as a draft a moment before it is finalized and paid.
    listed = documents_when(
        client, lambda docs: len(docs) == 10 and all(d["status"] != "draft" for d in docs)
    )
    documents = [client.request("GET", f"/v1/invoices/{summary['id']}").json() for summary in listed]
    assert {document["e_invoicing"]["processing_rule"] for document in documents} == {"B2C"}

    expected = rows_of(documents)
    period = wait_for(lambda: (period := period_of_today(client)) and held(period) == expected and period)
    assert period["status"] == "open"
    assert period["transmissions"] == []
    draft = client.request("GET", f"/v1/e-reporting/periods/{period['id']}/download")
    assert draft.status_code == 303
    assert frr_failures(requests.get(draft.headers["Location"], timeout=10).content) == []

    # Its due date comes: the nightly closing closes it, and it goes to the platform.
    close = stack.pools["EReportingCloseFunction"]
    event = scheduled_event("nightly") | {"time": f"{period['due_date']}T01:30:00Z"}
    assert close.invoke(event)["closed"] >= 1
    accepted = wait_for(lambda: (read := period_of_today(client))["status"] == "accepted" and read)
    (sent,) = reports_received(client, stack)
    assert sent.info["trackingId"] == f"{period['id']}.r10"
    assert frr_failures(sent.file) == []
    assert etree.fromstring(sent.file).findtext("ReportDocument/TypeCode") == "IN"
    assert [(t["type_code"], t["status"], t["flow_id"]) for t in accepted["transmissions"]] == [
        ("IN", "accepted", sent.id)
    ]
    kept = client.request("GET", f"/v1/e-reporting/periods/{period['id']}/download")
    assert requests.get(kept.headers["Location"], timeout=10).content == sent.file
    reported = client.request("GET", f"/v1/invoices/{drafts[1]}").json()["e_invoicing"]
    assert (reported["status"], reported["period_id"]) == ("reported", period["id"])
    assert client.request("POST", f"/v1/e-reporting/periods/{period['id']}/transmit").status_code == 409

    # A credit note after it went: a corrective transmission of the period, never a silent change.
    late = client.request("POST", f"/v1/invoices/{drafts[2]}/credit-notes", json={"reason": "Livre abîmé"})
    assert late.status_code == 201, late.text
    corrected = wait_for(
        lambda: len((read := period_of_today(client))["transmissions"]) == 2 and read, seconds=60
    )
    corrective = reports_received(client, stack)[-1]
    assert etree.fromstring(corrective.file).findtext("ReportDocument/TypeCode") == "RE"
    assert held(corrected) == rows_of([*documents, late.json()])
    assert wait_for(lambda: period_of_today(client)["status"] == "accepted")
