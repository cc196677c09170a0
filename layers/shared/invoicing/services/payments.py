"""Recording and removing payments: concurrent ones all land, none is lost and none overshoots the total.

Each change is one conditional UpdateItem that expects the amount paid it read; when another
payment landed first, the invoice is read again and the change re-checked against it.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from invoicing.adapters.dynamodb.documents import PaymentsChanged, StoredDocument
from invoicing.domain.errors import InvalidDocument, NotFound
from invoicing.domain.model import Document, Payment, PaymentMethod
from invoicing.domain.payments import check_payment, settled
from invoicing.services.dependencies import Dependencies
from invoicing.services.invoices import get_invoice
from invoicing.services.numbering import NumberingBusy

RETRY_BUDGET_SECONDS = 10.0


def _settle(
    deps: Dependencies, tenant_id: str, invoice_id: str, change: Callable[[StoredDocument], Document]
) -> StoredDocument:
    """Apply `change` to the invoice as it now stands and write it; read and try again whenever
    another payment or credit note landed in between."""
    deadline = time.monotonic() + RETRY_BUDGET_SECONDS
    attempt = 0
    while True:
        stored = get_invoice(deps, tenant_id, invoice_id)
        after = change(stored)
        try:
            deps.documents.write_settlement(tenant_id, after, before=stored.document)
        except PaymentsChanged:
            attempt += 1
            if time.monotonic() > deadline:
                raise NumberingBusy("the invoice is busy with other payments; retry") from None
            time.sleep(random.uniform(0, min(0.1, 0.002 * 2**attempt)))  # noqa: S311 - jitter
            continue
        return StoredDocument(after, stored.version, stored.rendered_locales)


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
) -> StoredDocument:
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

    def add(stored: StoredDocument) -> Document:
        document = stored.document
        if any(recorded.id == payment.id for recorded in document.payments):
            raise _AlreadyRecorded
        check_payment(document, amount)
        return settled(document, [*document.payments, payment], document.credit_notes)

    try:
        return _settle(deps, tenant_id, invoice_id, add)
    except _AlreadyRecorded:
        return get_invoice(deps, tenant_id, invoice_id)


class _AlreadyRecorded(Exception):
    """The named payment is on the invoice already."""


def remove_payment(deps: Dependencies, tenant_id: str, invoice_id: str, payment_id: str) -> StoredDocument:
    def remove(stored: StoredDocument) -> Document:
        document = stored.document
        remaining = [payment for payment in document.payments if payment.id != payment_id]
        if len(remaining) == len(document.payments):
            raise NotFound(f"no payment {payment_id[:64]!r} on this invoice", field="payment_id")
        return settled(document, remaining, document.credit_notes)

    return _settle(deps, tenant_id, invoice_id, remove)
