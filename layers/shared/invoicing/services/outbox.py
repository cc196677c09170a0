"""The outbox: each committed change to a document, as the table's stream reports it, published as
the events it means. Nothing is published for a write that did not commit, and a change whose events
could not be published is handed over again by the stream."""

from __future__ import annotations

from invoicing.domain.events import events_of_change
from invoicing.services.ports import Dependencies, DocumentChange


def publish_change(deps: Dependencies, change: DocumentChange) -> int:
    """Publish the events of one committed change; how many there were."""
    events = events_of_change(change.tenant_id, change.old, change.new)
    if events:
        deps.events.publish(events)
    return len(events)
