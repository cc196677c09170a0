"""The events a tenant's systems can follow: what a committed change to a document means.

Computed from the document as it was and as it is (a table stream's old and new images), so an
event exists only for a write that was committed, and the same change always gives the same events
with the same ids (consumers deduplicate on `event_id`, as a stream may hand a change over twice).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from invoicing.domain.kinds import KINDS

EventType = Literal["invoice.created", "invoice.finalized", "invoice.paid", "credit_note.created"]
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

    @property
    def event_id(self) -> str:
        return f"{self.document['id']}:{self.type}"

    def detail(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "tenant_id": self.tenant_id, "document": self.document}


def events_of_change(
    tenant_id: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
) -> list[DocumentEvent]:
    """The events one committed change to a document's item means; none for a deletion (only drafts
    are ever deleted) or for a change that moves no state."""
    if new is None:
        return []
    kind, status = KINDS[new["type"]], new.get("status")
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
    return [DocumentEvent(event, tenant_id, summary) for event in found]
