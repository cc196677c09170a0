"""The outbox through its use case: a committed change to a document published as the events it
means, with ids that the same change always gives again."""

from __future__ import annotations

import json

from invoicing.services.outbox import publish_change
from invoicing.services.ports import DocumentChange
from tests.support.fakes import FakeDependencies

DRAFT = {"id": "inv_1", "type": "invoice", "status": "draft", "number": None}
OPEN = DRAFT | {"status": "open", "number": "F2026-00001"}


def test_a_finalized_then_paid_invoice_is_three_events_with_stable_ids(deps: FakeDependencies, tenant: str):
    assert publish_change(deps, DocumentChange(tenant, None, DRAFT)) == 1
    assert publish_change(deps, DocumentChange(tenant, DRAFT, OPEN)) == 1
    assert publish_change(deps, DocumentChange(tenant, OPEN, OPEN | {"status": "paid"})) == 1
    published = deps.events.published
    assert [event.type for event in published] == ["invoice.created", "invoice.finalized", "invoice.paid"]
    assert {event.tenant_id for event in published} == {tenant}
    assert [event.event_id for event in published] == [
        "inv_1:invoice.created",
        "inv_1:invoice.finalized",
        "inv_1:invoice.paid",
    ]


def test_a_change_that_moves_no_state_publishes_nothing(deps: FakeDependencies, tenant: str):
    assert publish_change(deps, DocumentChange(tenant, OPEN, OPEN)) == 0
    assert publish_change(deps, DocumentChange(tenant, DRAFT, None)) == 0, "a deleted draft is no event"
    assert deps.events.published == []


def test_each_lifecycle_status_recorded_is_one_event_with_its_own_stable_id(
    deps: FakeDependencies, tenant: str
):
    collected = {"id": "collected:pay_1", "status": "collected", "at": "2026-12-01T10:00:00Z", "amounts": []}
    later = collected | {"id": "collected:pay_2", "at": "2026-12-02T10:00:00Z"}
    before = OPEN | {"e_history": {}}
    after = OPEN | {"e_history": {entry["id"]: json.dumps(entry) for entry in (later, collected)}}
    for _ in range(2):  # the stream may hand the same change over twice: the same ids again
        assert publish_change(deps, DocumentChange(tenant, before, after)) == 2
    published = deps.events.published
    assert [event.type for event in published] == ["e_invoice.collected"] * 4
    assert [event.event_id for event in published[:2]] == [
        "inv_1:e_invoice.collected:collected:pay_1",
        "inv_1:e_invoice.collected:collected:pay_2",
    ]
    assert [event.event_id for event in published[2:]] == [event.event_id for event in published[:2]]
    assert published[0].detail()["e_invoicing_status"] == collected
