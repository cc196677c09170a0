"""Shop deliveries over HTTP through the local stack: its queue poller runs the processor as
Lambda's event source mapping would, so invoices appear a moment after the 200."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from invoicing.cli import main
from tests.support.http import Client, wait_for
from tests.support.samples import EVENTS
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


def deliveries(client: Client, endpoint: dict[str, object]) -> dict[str, dict[str, object]]:
    listed = client.request("GET", f"/v1/webhook-endpoints/{endpoint['id']}/deliveries").json()["data"]
    return {entry["id"]: entry for entry in listed}


def test_a_poison_delivery_fails_with_its_reason_while_the_next_order_is_invoiced(client: Client):
    endpoint = endpoint_for(client)
    poison = shopify_order(5010, [("Tasse", 1, "9.90", "0.2", "0")], taxes_included=True) | {
        "currency": "EURO"
    }
    assert post_delivery(endpoint, poison, "orders/paid", "poison-1") == 200
    following = shopify_order(5011, [("Lampe", 1, "59.90", "0.2", "0")], taxes_included=True)
    assert post_delivery(endpoint, following, "orders/paid", "next-1") == 200
    (invoice,) = documents_when(client, lambda docs: any(d["status"] == "paid" for d in docs))
    assert invoice["total_incl_tax"] == "59.90"
    failed = wait_for(
        lambda: (entry := deliveries(client, endpoint)["poison-1"])["status"] == "failed" and entry
    )
    assert (failed["reason"], failed["attempts"], failed["document_id"]) == (
        "currency: 'EURO' is not a currency code (ISO 4217, such as EUR)",
        1,
        None,
    )
    # Paid once committed; the delivery is marked invoiced once the invoice's files are written too.
    assert wait_for(lambda: deliveries(client, endpoint)["next-1"]["document_id"]) == invoice["id"]


def test_a_paid_then_refunded_order_is_processed_in_that_order(client: Client):
    endpoint = endpoint_for(client)
    order = shopify_order(5012, [("Lampe", 1, "59.90", "0.2", "0")], taxes_included=True)
    assert post_delivery(endpoint, order, "orders/paid", "paid-1") == 200
    assert post_delivery(endpoint, shopify_refund(5012, 89, "10.00"), "refunds/create", "refund-1") == 200
    documents = documents_when(client, lambda docs: any(d["type"] == "credit_note" for d in docs))
    assert sorted((d["type"], d["total_incl_tax"]) for d in documents) == [
        ("credit_note", "10.00"),
        ("invoice", "59.90"),
    ]
    refund = wait_for(
        lambda: (entry := deliveries(client, endpoint)["refund-1"])["status"] != "queued" and entry
    )
    # Straight after its order: it never had to wait for it, nor to be tried twice.
    assert (refund["status"], refund["attempts"], refund["reason"]) == ("invoiced", 1, None)


def test_the_cli_sends_the_samples_as_the_readme_says(client: Client, capsys):
    woocommerce = client.request(
        "POST", "/v1/webhook-endpoints", json={"provider": "woocommerce", "secret": "wc_local_sample_secret"}
    ).json()
    ping = EVENTS / "webhook_woocommerce_ping.json"
    order = EVENTS / "webhook_woocommerce_order_updated.json"
    assert main(["webhooks", "send", str(ping), "--url", woocommerce["url"]]) == 0  # unsigned: no secret
    assert capsys.readouterr().out.startswith("200 ")
    assert main(["webhooks", "send", str(order), "--url", woocommerce["url"]]) == 2  # signed: its secret
    assert "--secret" in capsys.readouterr().err
    sent = main(
        ["webhooks", "send", str(order), "--url", woocommerce["url"], "--secret", "wc_local_sample_secret"]
    )
    assert (sent, capsys.readouterr().out.startswith("200 ")) == (0, True)
    documents = documents_when(client, lambda docs: any(d["status"] == "paid" for d in docs))
    assert [d["total_incl_tax"] for d in documents] == ["45.89"]
