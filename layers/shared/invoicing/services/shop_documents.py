"""A recorded delivery becomes its document, once, however often it is processed.

Documents made from shop events get ids derived from the tenant and the order's (or refund's) own
id, and an order is also reserved under every id the shop may name it by; so a delivery processed
twice, two event types for one order, or a crash after numbering and before the reply all end with
one invoice, finished (numbered, rendered, paid) by whichever attempt comes next.
"""

from __future__ import annotations

import hashlib

from aws_lambda_powertools import Logger

from invoicing.domain.credit_notes import corrected, credit_note_ref
from invoicing.domain.errors import StateConflict
from invoicing.domain.model import Document
from invoicing.domain.parts import Payment
from invoicing.domain.payments import settled
from invoicing.domain.webhooks.documents import credit_note_from_refund, invoice_from_order
from invoicing.domain.webhooks.endpoints import EndpointSettings
from invoicing.domain.webhooks.orders import ShopOrder, ShopRefund, UnreadableEvent
from invoicing.services import payments
from invoicing.services.changes import Change, DocumentCreated, OrderReserved, SettlementChanged
from invoicing.services.documents import commit, find_invoice, get_invoice
from invoicing.services.drafts import finalize_draft
from invoicing.services.identifiers import PREFIXES, utc_now
from invoicing.services.numbering import finalize_document
from invoicing.services.ports import AlreadyExists, Contention, Dependencies, QueuedDelivery, Stored
from invoicing.services.publishing import publish
from invoicing.services.retry import Backoff

logger = Logger(child=True)
INVOICE_PREFIX = PREFIXES["invoices"]
RESERVATION_SECONDS = 5.0


def document_id_of(tenant_id: str, key: str) -> str:
    """The id of the document an order or refund of the shop becomes: the same at every attempt."""
    return f"{INVOICE_PREFIX}{hashlib.sha256(f'{tenant_id}|{key}'.encode()).hexdigest()[:32]}"


def process_delivery(deps: Dependencies, queued: QueuedDelivery) -> str | None:
    """The document the delivery made (or had made); None for an event that makes none."""
    tenant_id = queued.tenant_id
    delivery = deps.webhooks.delivery(tenant_id, queued.provider, queued.delivery_id)
    if delivery is None:
        raise LookupError(f"no recorded delivery {queued.provider}/{queued.delivery_id}")
    if delivery.status in {"processed", "ignored"}:
        return delivery.document_id
    found = deps.webhooks.endpoint(delivery.endpoint_id)
    settings = found.endpoint if found else EndpointSettings(provider=delivery.provider)
    try:
        event = deps.shops.read(delivery.provider, delivery.topic, delivery.body)
        if event is None:
            deps.webhooks.mark_delivery(tenant_id, delivery, "ignored")
            return None
        stored = (
            invoice_order(deps, tenant_id, event, settings)
            if isinstance(event, ShopOrder)
            else credit_refund(deps, tenant_id, event)
        )
    except Exception as error:
        deps.webhooks.mark_delivery(
            tenant_id, delivery, "failed", error=f"{type(error).__name__}: {error}"[:1000]
        )
        raise
    deps.webhooks.mark_delivery(tenant_id, delivery, "processed", document_id=stored.document.id)
    logger.info(
        "delivery processed", extra={"delivery": delivery.delivery_id, "document": stored.document.id}
    )
    return stored.document.id


def _finished(deps: Dependencies, tenant_id: str, document_id: str) -> Stored[Document]:
    """Numbered and rendered, whatever an earlier attempt left undone."""
    try:
        return finalize_draft(deps, tenant_id, get_invoice(deps, tenant_id, document_id))
    except StateConflict as conflict:
        if conflict.code != "already_finalized":
            raise
        return get_invoice(deps, tenant_id, document_id)


def invoice_order(
    deps: Dependencies, tenant_id: str, order: ShopOrder, settings: EndpointSettings
) -> Stored[Document]:
    document_id = deps.webhooks.order_document(tenant_id, order.keys) or document_id_of(
        tenant_id, order.keys[0]
    )
    if find_invoice(deps, tenant_id, document_id) is None:
        draft = invoice_from_order(order, settings, document_id=document_id, now=utc_now())
        document_id = _reserved(deps, tenant_id, order, draft)
    stored = _finished(deps, tenant_id, document_id)
    if stored.document.totals.amount_due <= 0:
        return stored
    return payments.record_payment(
        deps,
        tenant_id,
        document_id,
        amount=stored.document.totals.amount_due,
        paid_on=order.paid_on,
        method=order.method,
        reference=order.reference[:100],
        payment_id=f"pay_{document_id.removeprefix(INVOICE_PREFIX)}",
    )


def _reserved(deps: Dependencies, tenant_id: str, order: ShopOrder, draft: Document) -> str:
    """The id of the order's document: the draft's, written with the order reserved under each id the
    shop names it by; or the one another delivery of the same order wrote first."""
    backoff = Backoff(budget=RESERVATION_SECONDS, busy="another delivery of this order is being invoiced")
    while True:
        uow = deps.unit_of_work(tenant_id)
        uow.record(DocumentCreated(draft), *(OrderReserved(key, draft.id) for key in order.keys))
        try:
            commit(uow)
        except AlreadyExists:
            return deps.webhooks.order_document(tenant_id, order.keys) or draft.id
        except Contention:
            backoff.pause()  # the other delivery's transaction holds the reservation right now
            continue
        return draft.id


def credit_refund(deps: Dependencies, tenant_id: str, refund: ShopRefund) -> Stored[Document]:
    """The credit note of a refund, and on its invoice the refund as a negative payment, together:
    the money went back, and the invoice is settled by what was kept plus what was credited."""
    note_id = document_id_of(tenant_id, refund.key)
    if find_invoice(deps, tenant_id, note_id) is not None:
        return _finished(deps, tenant_id, note_id)
    invoice_id = deps.webhooks.order_document(tenant_id, refund.order_keys)
    if invoice_id is None:
        raise UnreadableEvent(
            "the refunded order was not invoiced here (yet): retried later", field="order_id"
        )
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
            date=refund.refunded_on,
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
    return publish(deps, tenant_id, stored)
