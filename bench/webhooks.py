"""Shop deliveries through the local stack: the receiver's answer, the time until the invoice is
paid, and one tenant's burst of 200 orders against 16 clients finalizing as many drafts, each
against a baseline measured just before it."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from bench.api import _latency_row, _throughput
from bench.stats import timed
from devserver.stack import LocalStack
from invoicing.services.shop_documents import document_id_of
from invoicing.shops.signatures import sign_base64_hmac
from tests.support.http import INVOICE, Client, new_client
from tests.support.shop_events import shopify_order

SECRET = "shpss_bench_secret"
LATENCY_SAMPLES = 20
BURST = 200


def _endpoint(client: Client) -> str:
    response = client.request("POST", "/v1/webhook-endpoints", json={"provider": "shopify", "secret": SECRET})
    return str(response.json()["url"])


def _deliver(session: requests.Session, url: str, order_id: int) -> None:
    body = json.dumps(
        shopify_order(order_id, [("Tasse", 2, "14.90", "0.2", "0")], taxes_included=True)
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "orders/paid",
        "X-Shopify-Webhook-Id": f"bench-{order_id}",
        "X-Shopify-Hmac-Sha256": sign_base64_hmac(body, SECRET),
    }
    response = session.post(url, data=body, headers=headers, timeout=30)
    assert response.status_code == 200, response.text


def _invoice_id(client: Client, order_id: int) -> str:
    """The id the processor derives for this order's invoice: reading it costs one GetItem, where
    polling the list would hold moto's lock for a whole Query and slow what is measured."""
    assert client.tenant_id is not None
    return document_id_of(client.tenant_id, f"shopify:order:{order_id}")


def _until_paid(client: Client, order_id: int, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    path = f"/v1/invoices/{_invoice_id(client, order_id)}"
    while client.request("GET", path).json().get("status") != "paid":
        if time.monotonic() > deadline:
            raise AssertionError(f"order {order_id} was not invoiced and paid within {timeout:.0f} s")
        time.sleep(0.01)


def measure(stack: LocalStack) -> list[tuple[str, str, str, str]]:
    client = new_client(stack)
    session = requests.Session()
    created = timed(lambda: client.create({**INVOICE, "finalize": True}), LATENCY_SAMPLES)

    shop = new_client(stack)
    shop_url = _endpoint(shop)
    orders = iter(range(1, LATENCY_SAMPLES + 1))
    answered = timed(lambda: _deliver(session, shop_url, next(orders)), LATENCY_SAMPLES)
    _until_paid(shop, LATENCY_SAMPLES)

    watched = new_client(stack)
    watched_url = _endpoint(watched)
    paid = iter(range(1, LATENCY_SAMPLES + 1))

    def delivered_and_paid() -> None:
        order_id = 20_000 + next(paid)
        _deliver(session, watched_url, order_id)
        _until_paid(watched, order_id)

    to_paid = timed(delivered_and_paid, LATENCY_SAMPLES)
    rows = [
        _latency_row("POST /v1/invoices with finalize: true (baseline)", created, created),
        _latency_row("webhook delivery answered (200; the invoice follows)", answered, created),
        _latency_row("webhook delivery to its paid invoice (numbered, rendered, paid)", to_paid, created),
    ]
    return rows + _burst(stack)


def _invoiced(stack: LocalStack, tenant_id: str) -> int:
    """How many of the tenant's deliveries are invoiced, read from moto itself: polling the API would
    spend on requests the CPU that the burst is measured on."""
    dynamodb = stack.moto.client("dynamodb")
    query: dict[str, Any] = {
        "TableName": stack.table_name(),
        "KeyConditionExpression": "pk = :pk AND begins_with(sk, :log)",
        "FilterExpression": "#status = :invoiced",
        "ExpressionAttributeNames": {"#status": "status"},
        "ExpressionAttributeValues": {
            ":pk": {"S": f"TENANT#{tenant_id}"},
            ":log": {"S": "DELIVERYLOG#"},
            ":invoiced": {"S": "invoiced"},
        },
        "Select": "COUNT",
    }
    count = 0
    while True:
        page = dynamodb.query(**query)
        count += page["Count"]
        if "LastEvaluatedKey" not in page:
            return count
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _numbered(stack: LocalStack, tenant_id: str) -> int:
    """How many invoices the tenant's series has numbered: one GetItem, where counting the invoiced
    deliveries reads every one of them (and would take its share of moto's one lock, the burst's
    bottleneck, twice a second)."""
    item = (
        stack.moto.client("dynamodb")
        .get_item(
            TableName=stack.table_name(),
            Key={"pk": {"S": f"TENANT#{tenant_id}"}, "sk": {"S": "COUNTER#invoice"}},
            ProjectionExpression="seq",
        )
        .get("Item")
    )
    return int(item["seq"]["N"]) if item else 0


def _until_invoiced(stack: LocalStack, tenant_id: str, count: int, timeout: float = 600) -> None:
    """Until `count` deliveries are invoiced: counted once they are all numbered (or every 10 s,
    should the series have started a new period meanwhile)."""
    start = time.perf_counter()
    counted_at = start
    while True:
        now = time.perf_counter()
        if _numbered(stack, tenant_id) >= count or now - counted_at > 10:
            counted_at = now
            if _invoiced(stack, tenant_id) >= count:
                return
        if now - start > timeout:
            raise AssertionError(f"{count} deliveries were not invoiced within {timeout:.0f} s")
        time.sleep(0.5)


def _burst(stack: LocalStack) -> list[tuple[str, str, str, str]]:
    baseline, _ = _throughput(new_client(stack), 16, BURST)

    shop = new_client(stack)
    assert shop.tenant_id is not None
    url = _endpoint(shop)
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=16))
    with ThreadPoolExecutor(16) as pool:
        # Warm the receiver's and the processor's environments first, as the baseline warms its own.
        list(pool.map(lambda order: _deliver(session, url, 40_000 + order), range(16)))
        _until_invoiced(stack, shop.tenant_id, 16)
        start, moto_start = time.perf_counter(), stack.moto.cpu_seconds()
        list(pool.map(lambda order: _deliver(session, url, 30_000 + order), range(BURST)))
    answered = time.perf_counter() - start
    _until_invoiced(stack, shop.tenant_id, 16 + BURST)
    elapsed = time.perf_counter() - start
    burst, moto_busy = BURST / elapsed, (stack.moto.cpu_seconds() - moto_start) / elapsed
    numbers: list[str] = []
    params: dict[str, Any] = {"limit": 100}
    while True:
        page = shop.request("GET", "/v1/invoices", params=params).json()
        numbers += [entry["number"] for entry in page["data"]]
        if not page["next_cursor"]:
            break
        params["cursor"] = page["next_cursor"]
    assert len(set(numbers)) == len(numbers) == 16 + BURST, "a number was given twice, or an order was lost"
    return [
        (
            f"{BURST} drafts finalized by 16 clients at once (baseline)",
            f"{baseline:.1f} /s",
            "1.00",
            "POST /v1/invoices/{id}/finalize; numbered, rendered, stored",
        ),
        (
            f"one tenant's burst of {BURST} shop deliveries, 16 at once, until all invoiced",
            f"{burst:.1f} /s",
            f"{burst / baseline:.2f}",
            f"all {BURST} answered 200 in {answered:.1f} s; one message group an order, processed side "
            f"by side: made, numbered, rendered, paid; moto's one process busy {moto_busy:.0%} of the time",
        ),
    ]
