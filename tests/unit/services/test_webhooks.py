"""Shop deliveries through the use cases: checked, recorded once and queued; then each order made
one paid invoice and each refund one credit note, however often the delivery is processed."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

from invoicing.domain.errors import NotFound, Unauthenticated
from invoicing.domain.webhooks.endpoints import EndpointSettings
from invoicing.domain.webhooks.orders import UnreadableEvent
from invoicing.services import shop_documents, webhooks
from invoicing.services.ports import QueuedDelivery
from invoicing.shops.signatures import SIGNATURE_HEADERS, sign
from tests.support.fakes import FakeDependencies
from tests.support.shop_events import shopify_order, shopify_refund

SECRET = "shpss_unit_secret"


def shopify_endpoint(deps: FakeDependencies, tenant: str) -> str:
    endpoint = webhooks.create_endpoint(deps, tenant, EndpointSettings(provider="shopify"), SECRET)
    return endpoint.id


def receive(
    deps: FakeDependencies, endpoint_id: str, payload: dict[str, object], *, delivery: str, topic: str
) -> webhooks.Received:
    body = json.dumps(payload).encode()
    headers = {
        SIGNATURE_HEADERS["shopify"]: sign("shopify", body, SECRET, now=time.time()),
        "X-Shopify-Webhook-Id": delivery,
        "X-Shopify-Topic": topic,
    }
    return webhooks.receive(deps, "shopify", endpoint_id, body, headers)


def order(number: int = 1001) -> dict[str, object]:
    return shopify_order(number, [("Tasse", 2, "14.90", "0.2", "0")], taxes_included=True)


def test_a_delivery_is_recorded_once_and_queued_each_time(deps: FakeDependencies, tenant: str):
    endpoint_id = shopify_endpoint(deps, tenant)
    first = receive(deps, endpoint_id, order(), delivery="d-1", topic="orders/paid")
    again = receive(deps, endpoint_id, order(), delivery="d-1", topic="orders/paid")
    assert (first.duplicate, again.duplicate) == (False, True)
    assert deps.webhooks.deliveries[(tenant, "shopify", "d-1")].status == "received"
    assert deps.deliveries.sent == [QueuedDelivery(tenant, "shopify", "d-1")] * 2


def test_a_delivery_not_signed_with_the_endpoints_secret_leaves_no_trace(deps: FakeDependencies, tenant: str):
    endpoint_id = shopify_endpoint(deps, tenant)
    body = json.dumps(order()).encode()
    headers = {SIGNATURE_HEADERS["shopify"]: sign("shopify", body, "another secret", now=time.time())}
    with pytest.raises(Unauthenticated):
        webhooks.receive(deps, "shopify", endpoint_id, body, headers | {"X-Shopify-Webhook-Id": "d-1"})
    with pytest.raises(NotFound):
        webhooks.receive(deps, "stripe", endpoint_id, body, headers)
    assert (deps.webhooks.deliveries, deps.deliveries.sent) == ({}, [])


def test_an_order_processed_twice_is_one_paid_invoice(deps: FakeDependencies, tenant: str):
    endpoint_id = shopify_endpoint(deps, tenant)
    receive(deps, endpoint_id, order(), delivery="d-1", topic="orders/paid")
    receive(deps, endpoint_id, order(), delivery="d-2", topic="orders/paid")  # the shop sent it again
    made = {shop_documents.process_delivery(deps, queued) for queued in deps.deliveries.sent * 2}
    (document_id,) = made
    assert document_id is not None
    invoice = deps.store.document(tenant, document_id)
    assert (invoice.status, invoice.totals.total_incl_tax, invoice.totals.amount_due) == (
        "paid",
        Decimal("29.80"),
        Decimal("0.00"),
    )
    assert deps.store.counter(tenant, "invoice").state.seq == 1


def test_deliveries_of_one_order_processed_at_once_make_one_invoice(deps: FakeDependencies, tenant: str):
    endpoint_id = shopify_endpoint(deps, tenant)
    for delivery in ("d-1", "d-2"):
        receive(deps, endpoint_id, order(), delivery=delivery, topic="orders/paid")
    with ThreadPoolExecutor(8) as pool:
        made = set(
            pool.map(lambda queued: shop_documents.process_delivery(deps, queued), deps.deliveries.sent * 4)
        )
    (document_id,) = made
    assert document_id is not None
    assert deps.store.document(tenant, document_id).status == "paid"
    assert deps.store.counter(tenant, "invoice").state.seq == 1
    assert len(deps.store.document(tenant, document_id).payments) == 1


def test_a_refund_becomes_a_credit_note_and_settles_its_invoice(deps: FakeDependencies, tenant: str):
    endpoint_id = shopify_endpoint(deps, tenant)
    receive(deps, endpoint_id, shopify_refund(1001, 9, "14.90"), delivery="r-1", topic="refunds/create")
    with pytest.raises(UnreadableEvent):  # its order is not invoiced yet: retried later
        shop_documents.process_delivery(deps, deps.deliveries.sent[0])
    receive(deps, endpoint_id, order(), delivery="d-1", topic="orders/paid")
    invoice_id = shop_documents.process_delivery(deps, deps.deliveries.sent[1])
    note_id = shop_documents.process_delivery(deps, deps.deliveries.sent[0])
    assert note_id is not None
    assert invoice_id is not None
    note, invoice = deps.store.document(tenant, note_id), deps.store.document(tenant, invoice_id)
    assert (note.type, note.totals.total_incl_tax) == ("credit_note", Decimal("14.90"))
    assert (invoice.totals.amount_paid, invoice.totals.amount_credited) == (
        Decimal("14.90"),
        Decimal("14.90"),
    )
    assert invoice.status == "paid"


def test_deleting_another_tenants_endpoint_is_not_found(deps: FakeDependencies, tenant: str):
    endpoint_id = shopify_endpoint(deps, tenant)
    with pytest.raises(NotFound):
        webhooks.delete_endpoint(deps, "ten_other", endpoint_id)
    webhooks.delete_endpoint(deps, tenant, endpoint_id)
    assert webhooks.list_endpoints(deps, tenant) == []
