"""The outbox: each committed change to a document, as the table's stream reports it, published as
the events it means and turned into the platform work it calls for. Nothing is published for a
write that did not commit, and a change whose events could not be published is handed over again
by the stream."""

from __future__ import annotations

from invoicing.domain.events import events_of_change, events_of_delivery, new_statuses
from invoicing.services.ports import DeliveryChange, Dependencies, DocumentChange, PlatformTask


def publish_change(deps: Dependencies, change: DocumentChange) -> int:
    """Publish the events of one committed change, and queue the platform work it calls for (both
    safe to repeat); how many events there were."""
    events = events_of_change(change.tenant_id, change.old, change.new)
    if events:
        deps.events.publish(events)
    for task in tasks_of_change(change):
        deps.platform_tasks.send(task)
    return len(events)


def publish_delivery_change(deps: Dependencies, change: DeliveryChange) -> int:
    """Tell a tenant's systems of a delivery that failed (safe to repeat); how many events."""
    events = events_of_delivery(change.tenant_id, change.old, change.new)
    if events:
        deps.events.publish(events)
    return len(events)


def tasks_of_change(change: DocumentChange) -> list[PlatformTask]:
    """The platform work a committed change calls for: depositing an e-invoice to a French business
    once finalized (only those have a lifecycle), sending each collected status recorded."""
    new, old = change.new, change.old
    if new is None or new.get("e_history") is None:
        return []
    document_id = str(new["id"])
    tasks = []
    if new.get("status") != "draft" and (old is None or old.get("status") == "draft"):
        tasks.append(PlatformTask("deposit", change.tenant_id, document_id))
    tasks += [
        PlatformTask("send_status", change.tenant_id, document_id, entry_id=entry["id"])
        for entry in new_statuses(old, new)
        if entry["status"] == "collected"
    ]
    return tasks
