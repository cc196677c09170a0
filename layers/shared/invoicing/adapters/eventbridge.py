"""Document and delivery events onto the tenant-facing EventBridge bus."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from invoicing.domain.events import Event

if TYPE_CHECKING:
    from mypy_boto3_events import EventBridgeClient

SOURCE = "invoicing"
MAX_ENTRIES = 10  # per PutEvents


class EventsNotPublished(Exception):
    """EventBridge refused some entries: the stream hands the change over again."""


class EventBus:
    def __init__(self, client: EventBridgeClient, bus_name: str) -> None:
        self._client = client
        self._bus = bus_name

    def publish(self, events: Sequence[Event]) -> None:
        for start in range(0, len(events), MAX_ENTRIES):
            batch = events[start : start + MAX_ENTRIES]
            response = self._client.put_events(
                Entries=[
                    {
                        "Source": SOURCE,
                        "DetailType": event.type,
                        "Detail": json.dumps(event.detail(), default=str),
                        "EventBusName": self._bus,
                        "Resources": [],
                    }
                    for event in batch
                ]
            )
            if response.get("FailedEntryCount"):
                codes = {entry.get("ErrorCode") for entry in response["Entries"] if entry.get("ErrorCode")}
                raise EventsNotPublished(
                    f"EventBridge refused {response['FailedEntryCount']} entries: {codes}"
                )
