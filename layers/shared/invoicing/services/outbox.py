"""The outbox: each committed change to a document, as the table's stream reports it, published as
the events it means and turned into the platform work it calls for. Nothing is published for a
write that did not commit, and a change whose events could not be published is handed over again
by the stream."""

from __future__ import annotations

from invoicing.domain.events import events_of_change
from invoicing.services.platform_flows import tasks_of_change
from invoicing.services.ports import Dependencies, DocumentChange


def publish_change(deps: Dependencies, change: DocumentChange) -> int:
    """Publish the events of one committed change, and queue the platform work it calls for (both
    safe to repeat); how many events there were."""
    events = events_of_change(change.tenant_id, change.old, change.new)
    if events:
        deps.events.publish(events)
    for task in tasks_of_change(change):
        deps.platform_tasks.send(task)
    return len(events)
