"""The outbox: each committed change to a document, read from the table's stream, published as the
events it means. Nothing is published for a write that did not commit, and a change whose events
could not be published is handed over again by the stream."""

from __future__ import annotations

from typing import Any

from invoicing.adapters.dynamodb.table import tenant_pk
from invoicing.domain.events import DocumentEvent, events_of_change
from invoicing.services.dependencies import Dependencies

_TENANT_PREFIX = tenant_pk("")


def events_of_item_change(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[DocumentEvent]:
    """The events of a change to any item of the table: only documents' items have some."""
    item = new or old or {}
    pk, sk = str(item.get("pk", "")), str(item.get("sk", ""))
    if not pk.startswith(_TENANT_PREFIX) or not sk.startswith("DOC#"):
        return []
    return events_of_change(pk.removeprefix(_TENANT_PREFIX), old, new)


def publish_item_change(deps: Dependencies, old: dict[str, Any] | None, new: dict[str, Any] | None) -> int:
    events = events_of_item_change(old, new)
    if events:
        deps.events.publish(events)
    return len(events)
