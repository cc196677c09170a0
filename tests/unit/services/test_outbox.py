"""The outbox through its use case: a committed change to a document published as the events it
means, with ids that the same change always gives again."""

from __future__ import annotations

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
