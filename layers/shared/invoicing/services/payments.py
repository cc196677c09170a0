"""Recording and removing payments: concurrent ones all land, none is lost and none overshoots the total.

Each change is one conditional UpdateItem that expects the amount paid it read; when another
payment landed first, the invoice is read again and the change re-checked against it.
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from invoicing.adapters.dynamodb.documents import PaymentsChanged, StoredDocument
from invoicing.domain.errors import InvalidDocument, NotFound
from invoicing.domain.model import Payment, PaymentMethod
from invoicing.domain.payments import check_payment, settled
from invoicing.services.dependencies import Dependencies
from invoicing.services.invoices import get_invoice
from invoicing.services.numbering import NumberingBusy

RETRY_BUDGET_SECONDS = 10.0


def _retry_pause(attempt: int) -> None:
    time.sleep(random.uniform(0, min(0.1, 0.002 * 2**attempt)))  # noqa: S311 - jitter


def record_payment(
    deps: Dependencies,
    tenant_id: str,
    invoice_id: str,
    *,
    amount: Decimal,
    paid_on: date,
    method: PaymentMethod,
    reference: str | None,
) -> StoredDocument:
    now = datetime.now(UTC)
    if paid_on > (now + timedelta(days=1)).date():
        raise InvalidDocument("a payment cannot be dated in the future", field="date")
    payment = Payment(
        id=f"pay_{uuid.uuid4().hex}",
        amount=amount,
        date=paid_on,
        method=method,
        reference=reference,
        recorded_at=now,
    )
    deadline = time.monotonic() + RETRY_BUDGET_SECONDS
    attempt = 0
    while True:
        stored = get_invoice(deps, tenant_id, invoice_id)
        document = stored.document
        check_payment(document, amount)
        after = settled(document, [*document.payments, payment], document.credit_notes)
        try:
            deps.documents.record_payment(tenant_id, after, payment, before=document.totals)
        except PaymentsChanged:
            attempt += 1
            if time.monotonic() > deadline:
                raise NumberingBusy("the invoice is busy with other payments; retry") from None
            _retry_pause(attempt)
            continue
        return StoredDocument(after, stored.version, stored.rendered_locales)


def remove_payment(deps: Dependencies, tenant_id: str, invoice_id: str, payment_id: str) -> StoredDocument:
    deadline = time.monotonic() + RETRY_BUDGET_SECONDS
    attempt = 0
    while True:
        stored = get_invoice(deps, tenant_id, invoice_id)
        document = stored.document
        remaining = [payment for payment in document.payments if payment.id != payment_id]
        if len(remaining) == len(document.payments):
            raise NotFound(f"no payment {payment_id[:64]!r} on this invoice", field="payment_id")
        after = settled(document, remaining, document.credit_notes)
        try:
            deps.documents.remove_payment(tenant_id, after, payment_id, before=document.totals)
        except PaymentsChanged:
            attempt += 1
            if time.monotonic() > deadline:
                raise NumberingBusy("the invoice is busy with other payments; retry") from None
            _retry_pause(attempt)
            continue
        return StoredDocument(after, stored.version, stored.rendered_locales)
