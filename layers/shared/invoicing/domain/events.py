"""The events a tenant's systems can follow: what a committed change to a document means.

Computed from the document as it was and as it is (a table stream's old and new images), so an
event exists only for a write that was committed, and the same change always gives the same events
with the same ids (consumers deduplicate on `event_id`, as a stream may hand a change over twice).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast

from invoicing.domain.e_invoicing import LifecycleStatus
from invoicing.domain.kinds import KINDS, DocumentType

EventType = Literal[
    "invoice.created",
    "invoice.finalized",
    "invoice.paid",
    "credit_note.created",
    "e_invoice.deposited",
    "e_invoice.rejected",
    "e_invoice.refused",
    "e_invoice.approved",
    "e_invoice.disputed",
    "e_invoice.collected",
    "webhook_delivery.failed",
]
# What a stream image keeps of a document besides its summary: its e-invoice's lifecycle statuses,
# and what e-reporting follows (the flow of a reported document, its payments' total).
LIFECYCLE_FIELDS = ("e_history", "e_rule", "amount_paid")
SUMMARY_FIELDS = (
    "id",
    "type",
    "status",
    "number",
    "issue_date",
    "due_date",
    "customer_name",
    "currency",
    "total_incl_tax",
    "amount_due",
)


@dataclass(frozen=True)
class DocumentEvent:
    type: EventType
    tenant_id: str
    document: dict[str, Any]
    status: dict[str, Any] | None = None  # for an e_invoice event: the lifecycle entry, as recorded

    @property
    def event_id(self) -> str:
        entry = f":{self.status['id']}" if self.status else ""
        return f"{self.document['id']}:{self.type}{entry}"

    def detail(self) -> dict[str, Any]:
        detail = {"event_id": self.event_id, "tenant_id": self.tenant_id, "document": self.document}
        return detail | ({"e_invoicing_status": self.status} if self.status else {})


def new_statuses(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The lifecycle entries a change added to an e-invoice, in the order they happened."""
    known = (old or {}).get("e_history") or {}
    added = [
        json.loads(entry) for entry_id, entry in (new.get("e_history") or {}).items() if entry_id not in known
    ]
    return sorted(added, key=lambda entry: (entry["at"], entry["id"]))


def events_of_change(
    tenant_id: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
) -> list[DocumentEvent]:
    """The events one committed change to a document's item means; none for a deletion (only drafts
    are ever deleted) or for a change that moves no state."""
    if new is None:
        return []
    kind = KINDS.get(cast("DocumentType", new.get("type")))
    if kind is None:  # not a document's item after all
        return []
    status = new.get("status")
    was = old.get("status") if old else None
    summary = {name: new.get(name) for name in SUMMARY_FIELDS}
    found: list[EventType] = []
    if kind.events == "invoice":
        if old is None:
            found.append("invoice.created")
        if status != "draft" and was in (None, "draft"):
            found.append("invoice.finalized")
        if status == "paid" and was != "paid":
            found.append("invoice.paid")
    elif kind.events == "credit_note" and status != "draft" and was in (None, "draft"):
        found.append("credit_note.created")
    events = [DocumentEvent(event, tenant_id, summary) for event in found]
    for entry in new_statuses(old, new):
        lifecycle_status = cast("LifecycleStatus", entry["status"])
        events.append(
            DocumentEvent(cast("EventType", f"e_invoice.{lifecycle_status}"), tenant_id, summary, entry)
        )
    return events


# What a `webhook_delivery.failed` event tells of the delivery.
DELIVERY_FIELDS = ("provider", "delivery_id", "endpoint_id", "topic", "received_at", "attempts", "reason")


@dataclass(frozen=True)
class DeliveryEvent:
    """A shop's delivery that could not make its document: the merchant fixes the cause, then
    retries it."""

    type: EventType
    tenant_id: str
    delivery: dict[str, Any]

    @property
    def event_id(self) -> str:
        delivery = self.delivery
        return f"{delivery['provider']}:{delivery['delivery_id']}:{self.type}:{delivery['attempts']}"

    def detail(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "tenant_id": self.tenant_id, "delivery": self.delivery}


Event = DocumentEvent | DeliveryEvent


def events_of_delivery(
    tenant_id: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
) -> list[DeliveryEvent]:
    """`webhook_delivery.failed` when a delivery's record turns failed; nothing otherwise."""
    if new is None or new.get("status") != "failed" or (old or {}).get("status") == "failed":
        return []
    delivery = {name: new.get(name) for name in DELIVERY_FIELDS}
    return [DeliveryEvent("webhook_delivery.failed", tenant_id, delivery)]
