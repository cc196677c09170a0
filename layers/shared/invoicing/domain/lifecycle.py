"""An e-invoice's life once issued: the statuses it goes through on the platforms, in the order they
happened: what the seller's platform acknowledges (deposited, rejected), what the buyer decides
(refused, approved, disputed), and the one the seller itself says of an invoice of services taxed
on receipts when it is paid (212, collected), with the amount collected at each VAT rate."""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal

from invoicing.domain.e_invoicing import (
    STATUS_OF_CODE,
    CollectedAmount,
    EInvoicing,
    StatusEntry,
    is_taxed_on_receipts,
)
from invoicing.domain.model import Document
from invoicing.domain.money import minor_unit
from invoicing.domain.parts import Payment, VatAmount
from invoicing.domain.totals import allocate


def lifecycle(document: Document) -> EInvoicing | None:
    """The document's e-invoicing, if it is an e-invoice to a French business (the only ones with a
    life on the platforms)."""
    reform = document.e_invoicing
    return reform if reform is not None and reform.processing_rule == "B2B" else None


def with_entries(reform: EInvoicing, entries: list[StatusEntry]) -> EInvoicing:
    """The lifecycle with `entries` heard or said (each once, by id), in the order they happened (at
    the same instant, those known first); its status is the latest's."""
    known = {entry.id for entry in reform.history}
    added = sorted({entry.id: entry for entry in entries if entry.id not in known}.values(), key=_moment)
    history = sorted([*reform.history, *added], key=lambda entry: entry.at)
    return reform.model_copy(update={"history": history, "status": history[-1].status if history else None})


def _moment(entry: StatusEntry) -> tuple[datetime, str]:
    return entry.at, entry.id


def collected_amounts(vat: list[VatAmount], amount: Decimal, currency: str) -> list[CollectedAmount]:
    """A payment (VAT included) split across the invoice's VAT rates in proportion to each rate's
    total, to the cent, the remainders going to the largest: what the 212 status says was collected
    at each rate."""
    weights = [line.base + line.amount for line in vat]
    if not vat or sum(weights, Decimal(0)) <= 0:
        return []
    shares = allocate(amount, weights, minor_unit(currency))
    by_rate: dict[Decimal, Decimal] = {}
    for line, share in zip(vat, shares, strict=True):
        by_rate[line.rate] = by_rate.get(line.rate, Decimal(0)) + share
    return [CollectedAmount(vat_rate=rate, amount=share) for rate, share in by_rate.items()]


def collected_entry(document: Document, payment: Payment) -> StatusEntry | None:
    """The collected status (212) a payment gives an e-invoice of services taxed on receipts; none for
    any other document (goods, or a seller that pays VAT on debits)."""
    if lifecycle(document) is None or document.seller is None:
        return None
    if not is_taxed_on_receipts(document.operation_nature, vat_on_debits=document.seller.vat_on_debits):
        return None
    return StatusEntry(
        id=f"collected:{payment.id}",
        status="collected",
        at=payment.recorded_at,
        amounts=collected_amounts(document.totals.vat, payment.amount, document.currency),
    )


def with_collection(document: Document, payment: Payment) -> Document:
    """The document with the collected status its payment gives it, if any."""
    entry = collected_entry(document, payment)
    reform = lifecycle(document)
    if entry is None or reform is None:
        return document
    return document.model_copy(update={"e_invoicing": with_entries(reform, [entry])})


def acknowledgement_entry(
    flow_id: str, ack: str, reasons: tuple[str, ...], at: datetime
) -> StatusEntry | None:
    """What the platform's acknowledgement of a deposited e-invoice says: deposited (200) once its
    checks passed, rejected (213) with the rules it gives when they failed; nothing while pending."""
    if ack == "Ok":
        return StatusEntry(id=f"{flow_id}:deposited", status="deposited", at=at)
    if ack == "Error":
        reason = "; ".join(reasons)[:500] or "refused by the platform"
        return StatusEntry(id=f"{flow_id}:rejected", status="rejected", at=at, reason=reason)
    return None


def decision_entry(flow_id: str, code: str, reason: str | None, at: datetime) -> StatusEntry | None:
    """A status the buyer's side sent of the invoice (refused, approved, disputed...), or None for a
    code that is not one of the lifecycle's."""
    status = STATUS_OF_CODE.get(code)
    if status is None or status == "collected":  # collected is the seller's to say
        return None
    return StatusEntry(id=f"{flow_id}:{code}", status=status, at=at, reason=reason[:500] if reason else None)


def status_tracking_id(document_id: str, entry_id: str) -> str:
    """The tracking id (64 characters at most) of the status message that tells one entry."""
    return f"{document_id}-{hashlib.sha256(entry_id.encode()).hexdigest()[:16]}"
