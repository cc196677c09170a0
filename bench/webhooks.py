"""Shop deliveries through the local stack: the receiver's answer, the time until the invoice is
paid, and one tenant's burst of 100 orders, each against a baseline measured just before it."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from bench.api import _latency_row
from bench.stats import timed
from devserver.stack import LocalStack
from invoicing.services.shop_documents import document_id_of
from invoicing.shops.signatures import sign_base64_hmac
from tests.support.http import INVOICE, Client, new_client
from tests.support.shop_events import shopify_order

SECRET = "shpss_bench_secret"
LATENCY_SAMPLES = 20
BURST = 100


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


def _burst(stack: LocalStack) -> list[tuple[str, str, str, str]]:
    baseline = new_client(stack)
    start = time.perf_counter()
    for _ in range(40):
        baseline.create({**INVOICE, "finalize": True})
    one = 40 / (time.perf_counter() - start)

    shop = new_client(stack)
    url = _endpoint(shop)
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=16))
    start = time.perf_counter()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda order: _deliver(session, url, 30_000 + order), range(BURST)))
    answered = time.perf_counter() - start
    for order in range(BURST):  # mostly already paid when asked: one GetItem each
        _until_paid(shop, 30_000 + order, timeout=300)
    burst = BURST / (time.perf_counter() - start)
    invoices: list[dict[str, Any]] = shop.request("GET", "/v1/invoices", params={"limit": 100}).json()["data"]
    numbers = sorted(entry["number"] for entry in invoices)
    assert len(set(numbers)) == BURST, "a number was given twice"
    return [
        (
            "invoices created with finalize: true, 1 client in a row (baseline)",
            f"{one:.1f} /s",
            "1.00",
            "40 invoices",
        ),
        (
            f"one tenant's burst of {BURST} shop deliveries, 16 at once, until all paid",
            f"{burst:.1f} /s",
            f"{burst / one:.2f}",
            f"all {BURST} answered 200 in {answered:.1f} s, then invoiced in turn (one FIFO group)",
        ),
    ]
