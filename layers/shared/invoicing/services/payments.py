"""Recording and removing payments: concurrent ones all land, none is lost and none overshoots the total.

Each change is committed on condition that the amounts settled are still those it read; when another
payment or credit note landed first, the invoice is read again and the change re-checked against it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from invoicing.domain.errors import InvalidDocument, NotFound
from invoicing.domain.lifecycle import with_collection
from invoicing.domain.model import Document
from invoicing.domain.parts import Payment, PaymentMethod
from invoicing.domain.payments import check_payment, settled
from invoicing.services.changes import SettlementChanged
from invoicing.services.documents import commit, get_invoice
from invoicing.services.ports import ConditionFailed, Contention, Dependencies, Stored
from invoicing.services.retry import Backoff

RETRY_BUDGET_SECONDS = 10.0


def _settle(
    deps: Dependencies, tenant_id: str, invoice_id: str, change: Callable[[Document], Document | None]
) -> Stored[Document]:
    """Apply `change` to the invoice as it now stands and commit it; read and try again whenever
    another payment or credit note landed in between. A change that returns None changes nothing."""
    backoff = Backoff(
        budget=RETRY_BUDGET_SECONDS,
        busy="the invoice is busy with other payments; retry",
        code="invoice_busy",
    )
    while True:
        stored = get_invoice(deps, tenant_id, invoice_id)
        after = change(stored.document)
        if after is None:
            return stored
        uow = deps.unit_of_work(tenant_id)
        uow.record(SettlementChanged(before=stored.document, after=after))
        try:
            commit(uow)
        except (ConditionFailed, Contention):
            backoff.pause()
            continue
        return Stored(after, stored.version, stored.rendered_locales)


def record_payment(
    deps: Dependencies,
    tenant_id: str,
    invoice_id: str,
    *,
    amount: Decimal,
    paid_on: date,
    method: PaymentMethod,
    reference: str | None,
    payment_id: str | None = None,
) -> Stored[Document]:
    """`payment_id`, when the caller names the payment, makes recording it again a no-op."""
    now = datetime.now(UTC)
    if paid_on > (now + timedelta(days=1)).date():
        raise InvalidDocument("a payment cannot be dated in the future", field="date")
    payment = Payment(
        id=payment_id or f"pay_{uuid.uuid4().hex}",
        amount=amount,
        date=paid_on,
        method=method,
        reference=reference,
        recorded_at=now,
    )
    return add_payment(deps, tenant_id, invoice_id, payment)


def add_payment(deps: Dependencies, tenant_id: str, invoice_id: str, payment: Payment) -> Stored[Document]:
    """Record `payment` once: one already recorded under its id changes nothing."""

    def add(document: Document) -> Document | None:
        if any(recorded.id == payment.id for recorded in document.payments):
            return None  # recorded already
        return with_payment(document, payment)

    return _settle(deps, tenant_id, invoice_id, add)


def with_payment(document: Document, payment: Payment) -> Document:
    """The invoice as the payment leaves it: settled by it, and collected if it is an e-invoice of
    services taxed on receipts."""
    check_payment(document, payment.amount)
    return with_collection(settled(document, [*document.payments, payment], document.credit_notes), payment)


def remove_payment(deps: Dependencies, tenant_id: str, invoice_id: str, payment_id: str) -> Stored[Document]:
    def remove(document: Document) -> Document:
        remaining = [payment for payment in document.payments if payment.id != payment_id]
        if len(remaining) == len(document.payments):
            raise NotFound(f"no payment {payment_id[:64]!r} on this invoice", field="payment_id")
        return settled(document, remaining, document.credit_notes)

    return _settle(deps, tenant_id, invoice_id, remove)
