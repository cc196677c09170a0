"""PATCH and DELETE /v1/invoices/{id} through the drafts function: drafts change, finalized ones never."""

import json

import pytest

from invoicing.adapters import aws as clients
from tests.support.lambdas import Api, new_tenant, sample_event

INVOICE = json.loads(sample_event("create_invoice")["body"])
CHANGES = json.loads(sample_event("update_draft")["body"])


def draft(api: Api) -> dict:
    return api.create(INVOICE, headers={}).json()


def test_a_patch_changes_what_it_names_and_reprices_the_draft(api: Api):
    created = draft(api)
    response = api.update(created["id"], CHANGES)
    assert response.status == 200, response.text
    body = response.json()
    assert (body["title"], body["payment_terms"]) == ("Abonnement décembre", "45fm")
    assert [line["title"] for line in body["lines"]] == ["Abonnement Pro"]
    assert body["totals"]["total_incl_tax"] == "71.88"
    assert body["customer"] == created["customer"]  # untouched
    assert (body["id"], body["created_at"]) == (created["id"], created["created_at"])
    assert api.read(created["id"]).json()["totals"]["total_incl_tax"] == "71.88"


def test_null_clears_a_field_and_required_ones_cannot_be_cleared(api: Api):
    created = draft(api)
    assert api.update(created["id"], {"title": None}).json()["title"] is None
    refused = api.update(created["id"], {"customer": None})
    assert refused.status == 422
    assert "customer" in refused.error_fields


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"totals": {}}, "totals"),
        ({"lines": []}, "lines"),
        (
            {"lines": [{"title": "x", "unit_price": "1", "vat_rate": "20", "quantity": "1e400"}]},
            "lines[0].quantity",
        ),
        ({"currency": "EUX"}, "currency"),
        ({"issue_date": "2026-01-31", "payment_terms": "60fm"}, "payment_terms"),
    ],
)
def test_an_invalid_patch_names_the_field_and_changes_nothing(api: Api, changes, field):
    created = draft(api)
    response = api.update(created["id"], changes)
    assert response.status == 422
    assert field in response.error_fields
    assert api.read(created["id"]).json()["totals"] == created["totals"]


def test_a_finalized_document_is_neither_changed_nor_deleted(api: Api):
    created = draft(api)
    api.finalize(created["id"])
    patched = api.update(created["id"], {"title": "Changed"})
    assert (patched.status, patched.json()["error"]["code"]) == (409, "already_finalized")
    deleted = api.delete(created["id"])
    assert (deleted.status, deleted.json()["error"]["code"]) == (409, "already_finalized")
    assert api.read(created["id"]).json()["title"] == INVOICE["title"]


def test_a_draft_is_deleted_once(api: Api):
    created = draft(api)
    assert api.delete(created["id"]).status == 204
    assert api.read(created["id"]).status == 404
    assert api.delete(created["id"]).status == 404
    assert created["id"] not in [item["id"] for item in api.list().json()["data"]]


def test_another_tenants_draft_is_not_found(api: Api):
    created = draft(api)
    stranger = Api(new_tenant())
    assert stranger.update(created["id"], {"title": "Mine"}).status == 404
    assert stranger.delete(created["id"]).status == 404
    assert api.read(created["id"]).status == 200


def test_a_patch_racing_another_change_is_a_conflict_not_a_lost_update(api: Api):
    created = draft(api)
    # Another writer changes the draft between this PATCH's read and its write.
    emitter = clients.dynamodb().meta.events

    def change_meanwhile(**_):
        emitter.unregister("before-call.dynamodb.PutItem", unique_id="race")
        assert api.update(created["id"], {"title": "First"}).status == 200

    emitter.register("before-call.dynamodb.PutItem", change_meanwhile, unique_id="race")
    response = api.update(created["id"], {"title": "Second"})
    assert (response.status, response.json()["error"]["code"]) == (409, "conflict")
    assert api.read(created["id"]).json()["title"] == "First"
