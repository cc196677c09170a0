"""A recorded delivery becomes its document, once, however often it is processed.

Documents made from shop events get ids derived from the tenant and the order's (or refund's) own
id, and an order is also reserved under every id the shop may name it by; so a delivery processed
twice, two event types for one order, or a crash after numbering and before the reply all end with
one invoice, finished (numbered, rendered, paid) by whichever attempt comes next.

What stops a delivery is told apart by its cause. One that cannot make a document as it stands (no
currency, a refund larger than what was paid, a seller's settings the invoice needs) fails at once
with its reason, and is retried on request; one that met a passing trouble (a throttled call, a
series busy for too long) is raised, for the queue to try again, and fails only at its last try. A
refund that comes before its order waits aside, and is queued again once the order is invoiced.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import NamedTuple

from aws_lambda_powertools import Logger
from pydantic import ValidationError

from invoicing.domain.credit_notes import corrected, credit_note_ref
from invoicing.domain.errors import Busy, DomainError, StateConflict
from invoicing.domain.model import Document
from invoicing.domain.parts import Payment
from invoicing.domain.payments import settled
from invoicing.domain.webhooks.documents import credit_note_from_refund, invoice_from_order
from invoicing.domain.webhooks.endpoints import EndpointSettings
from invoicing.domain.webhooks.orders import ShopOrder, ShopRefund, UnreadableEvent
from invoicing.services import payments
from invoicing.services.changes import Change, OrderReserved, SettlementChanged
from invoicing.services.documents import find_invoice, get_invoice
from invoicing.services.drafts import finalize_draft
from invoicing.services.identifiers import PREFIXES, utc_now
from invoicing.services.numbering import finalize_document
from invoicing.services.ports import (
    AlreadyExists,
    Delivery,
    DeliveryStatus,
    Dependencies,
    QueuedDelivery,
    Stored,
)
from invoicing.services.publishing import is_published, publish

logger = Logger(child=True)
INVOICE_PREFIX = PREFIXES["invoices"]


def document_id_of(tenant_id: str, key: str) -> str:
    """The id of the document an order or refund of the shop becomes: the same at every attempt."""
    return f"{INVOICE_PREFIX}{hashlib.sha256(f'{tenant_id}|{key}'.encode()).hexdigest()[:32]}"


class OrderNotInvoicedYet(Exception):
    """A refund of an order that has made no document here yet: it waits for it."""

    def __init__(self, order_keys: tuple[str, ...]) -> None:
        super().__init__("the refunded order has not been invoiced here yet")
        self.order_keys = order_keys


class Made(NamedTuple):
    stored: Stored[Document]
    new: bool  # False when another delivery had made it already


def _reason(error: Exception) -> str:
    """What a merchant reads of why a delivery failed."""
    if isinstance(error, DomainError):
        where = f"{error.field}: " if error.field else ""
        return f"{where}{error.message}"[:1000]
    if isinstance(error, ValidationError):
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
            for problem in error.errors()
        )
        return f"the document it makes is not valid: {problems}"[:1000]
    return f"{type(error).__name__}: {error}"[:1000]


def _deterministic(error: Exception) -> bool:
    """Whether trying again, unchanged, would fail the same way."""
    return (isinstance(error, DomainError) and not isinstance(error, Busy)) or isinstance(
        error, ValidationError
    )


def process_delivery(deps: Dependencies, queued: QueuedDelivery, *, last_attempt: bool) -> DeliveryStatus:
    """What became of the delivery. A passing trouble is raised (the queue tries again), and marks
    the delivery failed only at its `last_attempt`."""
    tenant_id = queued.tenant_id
    delivery = deps.delivery_records.delivery(tenant_id, queued.provider, queued.delivery_id)
    if delivery is None:
        raise LookupError(f"no recorded delivery {queued.provider}/{queued.delivery_id}")
    record = deps.delivery_records.start_attempt(tenant_id, delivery)
    if record.status in {"invoiced", "duplicate", "ignored"}:
        return record.status
    try:
        event = deps.shops.read(delivery.provider, delivery.topic, delivery.body)
        made = None if event is None else _document_of(deps, tenant_id, delivery, event)
    except OrderNotInvoicedYet as waiting:
        return _wait_for_order(deps, queued, delivery, waiting.order_keys)
    except Exception as error:
        failed = last_attempt or _deterministic(error)
        reason = (
            _reason(error) if failed else f"attempt {record.attempts} failed, tried again: {_reason(error)}"
        )
        deps.delivery_records.mark_delivery(
            tenant_id, delivery, "failed" if failed else "queued", reason=reason
        )
        logger.warning("delivery not processed", extra={"delivery": delivery.delivery_id, "reason": reason})
        if _deterministic(error):
            return "failed"
        raise
    if made is None:
        deps.delivery_records.mark_delivery(tenant_id, delivery, "ignored")
        return "ignored"
    status: DeliveryStatus = "invoiced" if made.new else "duplicate"
    document_id = made.stored.document.id
    deps.delivery_records.mark_delivery(tenant_id, delivery, status, document_id=document_id)
    logger.info("delivery processed", extra={"delivery": delivery.delivery_id, "document": document_id})
    if isinstance(event, ShopOrder):
        _release(deps, tenant_id, event.keys)
    return status


def _document_of(
    deps: Dependencies, tenant_id: str, delivery: Delivery, event: ShopOrder | ShopRefund
) -> Made:
    received_on = delivery.received_at.date()
    if isinstance(event, ShopRefund):
        return credit_refund(deps, tenant_id, event, received_on=received_on)
    found = deps.webhooks.endpoint(delivery.endpoint_id)
    settings = found.endpoint if found else EndpointSettings(provider=delivery.provider)
    return invoice_order(deps, tenant_id, event, settings, received_on=received_on)


def _wait_for_order(
    deps: Dependencies, queued: QueuedDelivery, delivery: Delivery, order_keys: tuple[str, ...]
) -> DeliveryStatus:
    """Keep a refund aside for its order; queued again at once should the order have been invoiced
    meanwhile (its delivery, looking for what waits, may have looked just before this one waited)."""
    deps.delivery_records.wait_for_order(queued.tenant_id, queued)
    deps.delivery_records.mark_delivery(
        queued.tenant_id,
        delivery,
        "queued",
        reason="the refunded order has not been invoiced here yet: credited as soon as it is",
    )
    if deps.webhooks.order_document(queued.tenant_id, order_keys) is not None:
        _release(deps, queued.tenant_id, order_keys)
    return "queued"


def _release(deps: Dependencies, tenant_id: str, order_keys: tuple[str, ...]) -> None:
    """Queue again what waited for this order."""
    for waiting in deps.delivery_records.waiting_for(tenant_id, order_keys):
        deps.deliveries.send(waiting._replace(resend=f"released:{utc_now().isoformat()}"))
        deps.delivery_records.stop_waiting(tenant_id, waiting)


def _finished(deps: Dependencies, tenant_id: str, stored: Stored[Document]) -> Stored[Document]:
    """Numbered and rendered, whatever an earlier attempt left undone."""
    if not stored.document.is_draft and is_published(stored):
        return stored
    try:
        return finalize_draft(deps, tenant_id, stored)
    except StateConflict as conflict:
        if conflict.code != "already_finalized":
            raise
        return get_invoice(deps, tenant_id, stored.document.id)  # another delivery finished it meanwhile


def _day_paid(shop_day: date | None, received_on: date) -> date:
    """The shop's day, unless it gave none or one after the delivery came (a shop's clock is not
    the law's): the delivery's day then. A day ahead is the shop's time zone, and stays."""
    if shop_day is None or shop_day > received_on + timedelta(days=1):
        return received_on
    return shop_day


def _seen_through(stored: Stored[Document]) -> bool:
    """Whether another delivery (or an earlier attempt) already finished the document: numbered,
    paid, its files written."""
    document = stored.document
    return not document.is_draft and document.totals.amount_due <= 0 and is_published(stored)


def invoice_order(
    deps: Dependencies, tenant_id: str, order: ShopOrder, settings: EndpointSettings, *, received_on: date
) -> Made:
    """The order's invoice, born numbered and paid in one commit that reserves the order under every
    id the shop names it by; or the one another delivery (or an earlier attempt) reserved first,
    finished by this one."""
    paid_on = _day_paid(order.paid_on, received_on)
    document_id = deps.webhooks.order_document(tenant_id, order.keys)
    if document_id is None:
        now = utc_now()
        draft = invoice_from_order(
            order, settings, document_id=document_id_of(tenant_id, order.keys[0]), now=now
        )
        try:
            return Made(_born_paid(deps, tenant_id, order, draft, paid_on=paid_on, now=now), new=True)
        except AlreadyExists:  # another delivery of the order reserved it first
            document_id = deps.webhooks.order_document(tenant_id, order.keys) or draft.id
            taken = get_invoice(deps, tenant_id, document_id)
            return Made(_finished_paid(deps, tenant_id, taken, order, paid_on), new=False)
    existing = get_invoice(deps, tenant_id, document_id)
    return Made(_finished_paid(deps, tenant_id, existing, order, paid_on), new=not _seen_through(existing))


def _finished_paid(
    deps: Dependencies, tenant_id: str, existing: Stored[Document], order: ShopOrder, paid_on: date
) -> Stored[Document]:
    """The order's invoice with whatever an earlier attempt left undone done: numbered, rendered, paid."""
    stored = _finished(deps, tenant_id, existing)
    if stored.document.totals.amount_due <= 0:
        return stored
    payment = _order_payment(stored.document, order, paid_on)
    return payments.add_payment(deps, tenant_id, stored.document.id, payment)


def _order_payment(invoice: Document, order: ShopOrder, paid_on: date) -> Payment:
    """What the shop collected for the order: the invoice's whole amount, under an id of its own so
    that it is recorded once however often the order is delivered."""
    return Payment(
        id=f"pay_{invoice.id.removeprefix(INVOICE_PREFIX)}",
        amount=invoice.totals.amount_due,
        date=paid_on,
        method=order.method,
        reference=order.reference[:100],
        recorded_at=utc_now(),
    )


def _born_paid(
    deps: Dependencies, tenant_id: str, order: ShopOrder, draft: Document, *, paid_on: date, now: datetime
) -> Stored[Document]:
    """Numbered, paid and the order reserved in one commit, then rendered: what a delivery does
    when no other has made the order's invoice."""

    def paid(frozen: Document) -> Document:
        if frozen.totals.amount_due <= 0:
            return frozen
        return payments.with_payment(frozen, _order_payment(frozen, order, paid_on))

    stored = finalize_document(
        deps,
        tenant_id,
        draft,
        draft_version=None,
        settings=deps.tenants.settings(tenant_id),
        now=now,
        related=lambda frozen: [OrderReserved(key, frozen.id) for key in order.keys],
        settled=paid,
    )
    return publish(deps, tenant_id, stored)


def credit_refund(deps: Dependencies, tenant_id: str, refund: ShopRefund, *, received_on: date) -> Made:
    """The credit note of a refund, and on its invoice the refund as a negative payment, together:
    the money went back, and the invoice is settled by what was kept plus what was credited."""
    note_id = document_id_of(tenant_id, refund.key)
    if (existing := find_invoice(deps, tenant_id, note_id)) is not None:
        return Made(_finished(deps, tenant_id, existing), new=existing.document.status == "draft")
    invoice_id = deps.webhooks.order_document(tenant_id, refund.order_keys)
    if invoice_id is None:
        raise OrderNotInvoicedYet(refund.order_keys)
    invoice = get_invoice(deps, tenant_id, invoice_id).document
    amount = refund.amount - (invoice.totals.amount_credited if refund.cumulative else 0)
    if amount <= 0:
        raise UnreadableEvent("the refund is already credited", field="amount")
    now = utc_now()
    draft = credit_note_from_refund(refund, invoice, amount, document_id=note_id, now=now)
    draft = draft.model_copy(update={"corrects": corrected(invoice), "reason": refund.reason})

    def refunded_invoice(note: Document) -> list[Change]:
        current = get_invoice(deps, tenant_id, invoice_id).document
        repaid = Payment(
            id=f"pay_{note.id.removeprefix(INVOICE_PREFIX)}",
            amount=-amount,
            date=_day_paid(refund.refunded_on, received_on),
            method="refund",
            reference=refund.key.split(":", 1)[1][:100],
            recorded_at=now,
        )
        after = settled(
            current, [*current.payments, repaid], [*current.credit_notes, credit_note_ref(note, amount)]
        )
        if after.totals.amount_due < 0 or after.totals.amount_paid < 0:
            raise UnreadableEvent(
                f"the refund exceeds what was paid on invoice {current.number}", field="amount"
            )
        return [SettlementChanged(before=current, after=after)]

    settings = deps.tenants.settings(tenant_id)
    stored = finalize_document(
        deps, tenant_id, draft, draft_version=None, settings=settings, now=now, related=refunded_invoice
    )
    return Made(publish(deps, tenant_id, stored), new=True)
