"""Shop deliveries through the use cases: checked, recorded once and queued by order; then each
order made one paid invoice and each refund one credit note, however often the delivery is
processed; what cannot make a document fails with its reason, and is retried on request."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

from invoicing.domain.errors import InvalidDocument, NotFound, StateConflict, Unauthenticated
from invoicing.domain.settings import TenantSettings
from invoicing.domain.webhooks.endpoints import EndpointSettings
from invoicing.services import outbox, shop_documents, webhooks
from invoicing.services.ports import DeliveryChange, QueuedDelivery
from invoicing.shops.signatures import SIGNATURE_HEADERS, sign
from tests.support.fakes import FakeDependencies
from tests.support.samples import seller_settings
from tests.support.shop_events import shopify_order, shopify_refund

SECRET = "shpss_unit_secret"
REASON_WITHOUT_SELLER = "set the seller's legal identity (name, address, SIREN) with PUT /v1/settings"


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


def process(deps: FakeDependencies, queued: QueuedDelivery, *, last_attempt: bool = False) -> str:
    return shop_documents.process_delivery(deps, queued, last_attempt=last_attempt)


def test_a_delivery_is_recorded_once_and_queued_each_time_in_its_orders_group(
    deps: FakeDependencies, tenant: str
):
    endpoint_id = shopify_endpoint(deps, tenant)
    first = receive(deps, endpoint_id, order(), delivery="d-1", topic="orders/paid")
    again = receive(deps, endpoint_id, order(), delivery="d-1", topic="orders/paid")
    refund = receive(
        deps, endpoint_id, shopify_refund(1001, 9, "5.00"), delivery="r-1", topic="refunds/create"
    )
    assert (first.duplicate, again.duplicate, refund.duplicate) == (False, True, False)
    assert deps.delivery_records.record(tenant, "d-1").status == "queued"
    # An order's refund is queued under the order's key: SQS keeps the two in order.
    assert deps.deliveries.sent == [
        QueuedDelivery(tenant, "shopify", "d-1", "shopify:order:1001"),
        QueuedDelivery(tenant, "shopify", "d-1", "shopify:order:1001"),
        QueuedDelivery(tenant, "shopify", "r-1", "shopify:order:1001"),
    ]


def test_a_delivery_not_signed_with_the_endpoints_secret_leaves_no_trace(deps: FakeDependencies, tenant: str):
    endpoint_id = shopify_endpoint(deps, tenant)
    body = json.dumps(order()).encode()
    headers = {SIGNATURE_HEADERS["shopify"]: sign("shopify", body, "another secret", now=time.time())}
    with pytest.raises(Unauthenticated):
        webhooks.receive(deps, "shopify", endpoint_id, body, headers | {"X-Shopify-Webhook-Id": "d-1"})
    with pytest.raises(NotFound):
        webhooks.receive(deps, "stripe", endpoint_id, body, headers)
    assert (deps.delivery_records.received, deps.deliveries.sent) == ({}, [])


def test_an_order_delivered_twice_is_one_paid_invoice_and_the_second_a_duplicate(
    deps: FakeDependencies, tenant: str
):
    endpoint_id = shopify_endpoint(deps, tenant)
    receive(deps, endpoint_id, order(), delivery="d-1", topic="orders/paid")
    receive(deps, endpoint_id, order(), delivery="d-2", topic="orders/paid")  # the shop sent it again
    statuses = [process(deps, queued) for queued in deps.deliveries.sent * 2]
    assert statuses == ["invoiced", "duplicate", "invoiced", "duplicate"]
    first, second = deps.delivery_records.record(tenant, "d-1"), deps.delivery_records.record(tenant, "d-2")
    assert first.document_id == second.document_id is not None
    assert (first.attempts, second.attempts) == (2, 2)
    invoice = deps.store.document(tenant, first.document_id)
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
        list(pool.map(lambda queued: process(deps, queued), deps.deliveries.sent * 4))
    (document_id,) = {record.document_id for record in deps.delivery_records.records.values()}
    assert document_id is not None
    assert deps.store.document(tenant, document_id).status == "paid"
    assert deps.store.counter(tenant, "invoice").state.seq == 1
    assert len(deps.store.document(tenant, document_id).payments) == 1


def test_a_refund_before_its_order_waits_aside_then_is_credited_once_the_order_is_invoiced(
    deps: FakeDependencies, tenant: str
):
    endpoint_id = shopify_endpoint(deps, tenant)
    receive(deps, endpoint_id, shopify_refund(1001, 9, "14.90"), delivery="r-1", topic="refunds/create")
    assert process(deps, deps.deliveries.sent[0]) == "queued"  # consumed: it holds up nothing
    waiting = deps.delivery_records.record(tenant, "r-1")
    assert (waiting.status, waiting.reason) == (
        "queued",
        "the refunded order has not been invoiced here yet: credited as soon as it is",
    )
    receive(deps, endpoint_id, order(), delivery="d-1", topic="orders/paid")
    assert process(deps, deps.deliveries.sent[1]) == "invoiced"
    released = deps.deliveries.sent[2]
    assert (released.delivery_id, released.resend.startswith("released:")) == ("r-1", True)
    assert deps.delivery_records.waiting == {}
    assert process(deps, released) == "invoiced"
    note_id = deps.delivery_records.record(tenant, "r-1").document_id
    invoice_id = deps.delivery_records.record(tenant, "d-1").document_id
    note, invoice = deps.store.document(tenant, note_id), deps.store.document(tenant, invoice_id)
    assert (note.type, note.totals.total_incl_tax) == ("credit_note", Decimal("14.90"))
    assert (invoice.totals.amount_paid, invoice.totals.amount_credited) == (
        Decimal("14.90"),
        Decimal("14.90"),
    )
    assert invoice.status == "paid"


def test_a_delivery_that_cannot_make_an_invoice_fails_at_once_with_its_reason_and_an_event(
    deps: FakeDependencies, tenant: str
):
    endpoint_id = shopify_endpoint(deps, tenant)
    receive(deps, endpoint_id, order() | {"currency": None}, delivery="d-1", topic="orders/paid")
    assert process(deps, deps.deliveries.sent[0]) == "failed"  # not raised: no pointless retries
    failed = deps.delivery_records.record(tenant, "d-1")
    assert (failed.status, failed.reason, failed.attempts) == (
        "failed",
        "currency: the event gives no currency",
        1,
    )
    before = failed._asdict() | {"status": "queued", "received_at": failed.received_at.isoformat()}
    after = failed._asdict() | {"received_at": failed.received_at.isoformat()}
    assert outbox.publish_delivery_change(deps, DeliveryChange(tenant, before, after)) == 1
    assert outbox.publish_delivery_change(deps, DeliveryChange(tenant, after, after)) == 0
    (event,) = deps.events.published
    assert (event.type, event.event_id, event.detail()["delivery"]["reason"]) == (
        "webhook_delivery.failed",
        "shopify:d-1:webhook_delivery.failed:1",
        "currency: the event gives no currency",
    )


def test_a_passing_trouble_is_retried_by_the_queue_and_fails_the_delivery_only_at_its_last_try(
    deps: FakeDependencies, tenant: str, monkeypatch: pytest.MonkeyPatch
):
    endpoint_id = shopify_endpoint(deps, tenant)
    receive(deps, endpoint_id, order(), delivery="d-1", topic="orders/paid")

    def throttled(*_: object, **__: object) -> None:
        raise ConnectionError("the table is throttled")

    monkeypatch.setattr(deps.webhooks, "order_document", throttled)
    with pytest.raises(ConnectionError):
        process(deps, deps.deliveries.sent[0])
    record = deps.delivery_records.record(tenant, "d-1")
    assert (record.status, record.reason) == (
        "queued",
        "attempt 1 failed, tried again: ConnectionError: the table is throttled",
    )
    with pytest.raises(ConnectionError):
        process(deps, deps.deliveries.sent[0], last_attempt=True)
    record = deps.delivery_records.record(tenant, "d-1")
    assert (record.status, record.reason, record.attempts) == (
        "failed",
        "ConnectionError: the table is throttled",
        2,
    )


def test_a_failed_delivery_is_retried_on_request_once_its_cause_is_fixed(deps: FakeDependencies, tenant: str):
    other = "ten_without_settings"
    endpoint_id = shopify_endpoint(deps, other)
    receive(deps, endpoint_id, order(), delivery="d-1", topic="orders/paid")
    assert process(deps, deps.deliveries.sent[0]) == "failed"
    reason = deps.delivery_records.record(other, "d-1").reason
    assert reason == REASON_WITHOUT_SELLER
    with pytest.raises(NotFound):
        webhooks.retry_delivery(deps, tenant, endpoint_id, "d-1")  # not this tenant's endpoint
    with pytest.raises(NotFound):
        webhooks.retry_delivery(deps, other, endpoint_id, "d-9")
    deps.tenants.put_settings(other, TenantSettings.model_validate(seller_settings()))
    retried = webhooks.retry_delivery(deps, other, endpoint_id, "d-1")
    assert (retried.status, retried.reason) == ("queued", "retry requested")
    resent = deps.deliveries.sent[-1]
    assert (resent.delivery_id, resent.resend.startswith("retry:")) == ("d-1", True)
    with pytest.raises(StateConflict) as refused:
        webhooks.retry_delivery(deps, other, endpoint_id, "d-1")  # queued already
    assert refused.value.code == "delivery_not_failed"
    assert process(deps, resent) == "invoiced"
    assert deps.delivery_records.record(other, "d-1").attempts == 2


def test_an_endpoints_deliveries_list_newest_first_a_page_at_a_time(deps: FakeDependencies, tenant: str):
    endpoint_id = shopify_endpoint(deps, tenant)
    for number in range(5):
        receive(deps, endpoint_id, order(2000 + number), delivery=f"d-{number}", topic="orders/paid")
    first = webhooks.list_deliveries(deps, tenant, endpoint_id, limit=3, cursor=None)
    assert first.next_cursor is not None
    rest = webhooks.list_deliveries(deps, tenant, endpoint_id, limit=3, cursor=first.next_cursor)
    assert rest.next_cursor is None
    listed = [record.delivery_id for record in first.page.records + rest.page.records]
    assert listed == ["d-4", "d-3", "d-2", "d-1", "d-0"]
    with pytest.raises(InvalidDocument):
        webhooks.list_deliveries(deps, tenant, endpoint_id, limit=3, cursor="bm90LWEtY3Vyc29y")
    with pytest.raises(NotFound):
        webhooks.list_deliveries(deps, "ten_other", endpoint_id, limit=3, cursor=None)


def test_an_order_without_dates_names_or_a_valid_email_is_invoiced_on_the_day_it_came(
    deps: FakeDependencies, tenant: str
):
    endpoint_id = shopify_endpoint(deps, tenant)
    odd = order() | {"email": "client@boutique.local", "customer": {}, "billing_address": {}}
    odd = {name: value for name, value in odd.items() if name not in {"processed_at", "created_at"}}
    receive(deps, endpoint_id, odd, delivery="d-1", topic="orders/paid")
    assert process(deps, deps.deliveries.sent[0]) == "invoiced"
    invoice = deps.store.document(tenant, deps.delivery_records.record(tenant, "d-1").document_id)
    received = deps.delivery_records.record(tenant, "d-1").received_at.date()
    assert (invoice.status, invoice.customer.name, invoice.customer.email) == (
        "paid",
        "client@boutique.local",
        None,
    )
    assert invoice.metadata["customer_email"] == "client@boutique.local"
    assert [payment.date for payment in invoice.payments] == [received]


def test_deleting_another_tenants_endpoint_is_not_found(deps: FakeDependencies, tenant: str):
    endpoint_id = shopify_endpoint(deps, tenant)
    with pytest.raises(NotFound):
        webhooks.delete_endpoint(deps, "ten_other", endpoint_id)
    webhooks.delete_endpoint(deps, tenant, endpoint_id)
    assert webhooks.list_endpoints(deps, tenant) == []
