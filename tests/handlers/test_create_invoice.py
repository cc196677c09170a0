"""POST /v1/invoices through the create function's handler."""

import json
import os
from decimal import Decimal

import boto3
import pytest

from tests.support.lambdas import Api, api_event, new_tenant, sample_event

INVOICE = json.loads(sample_event("create_invoice")["body"])


def test_a_draft_is_computed_and_costs_one_dynamodb_write(api: Api, aws_calls):
    response = api.create(INVOICE, headers={})
    assert response.status == 201
    body = response.json()
    assert response.headers["location"] == f"/v1/invoices/{body['id']}"
    assert (body["status"], body["number"], body["links"]) == (
        "draft",
        None,
        {"pdf": None, "html": None, "cii": None, "ubl": None},
    )
    assert [line["total_excl_tax"] for line in body["lines"]] == ["49.90", "33.75"]
    assert body["totals"] == {
        "subtotal_excl_tax": "83.65",
        "discount": "0.00",
        "total_excl_tax": "83.65",
        "vat": [
            {"category": "S", "rate": "20", "base": "49.90", "amount": "9.98"},
            {"category": "S", "rate": "5.5", "base": "33.75", "amount": "1.86"},
        ],
        "total_vat": "11.84",
        "total_incl_tax": "95.49",
        "amount_paid": "0.00",
        "amount_credited": "0.00",
        "amount_deposits": "0.00",
        "total_vat_eur": None,
        "total_incl_tax_eur": None,
        "rounding": "0.00",
        "amount_due": "95.49",
    }
    assert aws_calls == {"dynamodb.PutItem": 1}


def test_numbers_arrive_as_decimals_whatever_json_type_the_client_used(api: Api):
    body = {**INVOICE, "lines": [{"title": "x", "unit_price": 0.1, "quantity": 3, "vat_rate": 20}]}
    created = api.create(body, headers={}).json()
    assert created["lines"][0]["total_excl_tax"] == "0.30"  # 0.1 * 3 in floats is 0.30000000000000004
    assert created["totals"]["total_vat"] == "0.06"


def test_created_finalized_in_one_call(api: Api):
    response = api.create({**INVOICE, "finalize": True}, headers={})
    body = response.json()
    assert response.status == 201
    assert body["status"] == "open"
    assert body["number"].endswith("-00001")
    assert body["links"]["pdf"].startswith("https://")


def documents_of(tenant: str) -> list[dict]:
    return boto3.client("dynamodb").query(
        TableName=os.environ["TABLE_NAME"],
        KeyConditionExpression="pk = :pk AND begins_with(sk, :doc)",
        ExpressionAttributeValues={":pk": {"S": f"TENANT#{tenant}"}, ":doc": {"S": "DOC#"}},
    )["Items"]


def test_a_replayed_idempotency_key_returns_the_first_answer_and_stores_nothing_twice(api: Api):
    first = api.create(INVOICE, headers={"Idempotency-Key": "order-1042"})
    again = api.create(INVOICE, headers={"Idempotency-Key": "order-1042"})
    assert first.status == again.status == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["totals"] == first.json()["totals"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert len(documents_of(api.tenant)) == 1


def test_the_same_key_with_another_body_is_refused(api: Api):
    api.create(INVOICE, headers={"Idempotency-Key": "k-1"})
    other = api.create({**INVOICE, "title": "Autre"}, headers={"Idempotency-Key": "k-1"})
    assert other.status == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert other.error_fields == ["header.Idempotency-Key"]


def test_idempotency_keys_belong_to_their_tenant(api: Api):
    mine = api.create(INVOICE, headers={"Idempotency-Key": "shared"}).json()
    theirs = Api(new_tenant()).create(INVOICE, headers={"Idempotency-Key": "shared"}).json()
    assert mine["id"] != theirs["id"]


def test_a_malformed_idempotency_key_is_refused(api: Api):
    response = api.create(INVOICE, headers={"Idempotency-Key": "x" * 256})
    assert response.status == 422
    assert response.error_fields == ["header.idempotency-key"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"totals": {"total_incl_tax": "1.00"}}, "totals"),
        ({"number": "F2026-00001"}, "number"),
        (
            {"lines": [{"title": "x", "unit_price": "1", "vat_rate": "20", "total_excl_tax": "9"}]},
            "lines[0].total_excl_tax",
        ),
        ({"lines": [{"title": "x" * 100_000, "unit_price": "1", "vat_rate": "20"}]}, "lines[0].title"),
        (
            {"lines": [{"title": "x", "unit_price": "1", "vat_rate": "20", "quantity": "1e400"}]},
            "lines[0].quantity",
        ),
        ({"lines": [{"title": "x", "unit_price": "1", "vat_rate": "20"}] * 1001}, "lines"),
        ({"currency": "XYZ"}, "currency"),
        ({"payment_terms": "90"}, "payment_terms"),
        ({"customer": {"name": "ACME", "siren": "123"}}, "customer.siren"),
        ({"discount": {"type": "amount", "value": "1000"}}, "discount.value"),
    ],
)
def test_invalid_bodies_name_the_field_at_fault(api: Api, change, field):
    response = api.create({**INVOICE, **change}, headers={})
    assert response.status == 422
    assert field in response.error_fields
    assert response.json()["error"]["message"]


def test_computed_fields_are_explained(api: Api):
    detail = api.create({**INVOICE, "totals": {}}, headers={}).json()["error"]["details"][0]
    assert detail["message"] == "totals is computed by the API and cannot be sent"


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        ("{not json", 400, "invalid_json"),
        ('{"a": NaN}', 400, "invalid_json"),
        ("", 422, "invalid_request"),
        ("[]", 422, "invalid_request"),
        ('"text"', 422, "invalid_request"),
        (json.dumps({**INVOICE, "notes": "x" * 1_000_001}), 413, "payload_too_large"),
    ],
)
def test_malformed_bodies_are_4xx(api: Api, raw, status, code):
    event = api_event(
        "create_invoice", tenant=api.tenant, raw_body=raw, headers={"Content-Type": "application/json"}
    )
    if raw == "":
        event["body"] = None
    response = api.call("create_invoice", event)
    assert (response.status, response.json()["error"]["code"]) == (status, code)


def test_an_unsupported_content_type_is_a_415(api: Api):
    event = api_event(
        "create_invoice", tenant=api.tenant, raw_body="a=b", headers={"Content-Type": "text/xml"}
    )
    assert api.call("create_invoice", event).status == 415


def test_b2b_terms_over_the_cap_are_refused(api: Api):
    body = {**INVOICE, "issue_date": "2026-01-31", "payment_terms": "60fm"}
    response = api.create(body, headers={})
    assert response.status == 422
    assert response.error_fields == ["payment_terms"]


def test_no_tenant_in_the_request_context_is_a_401():
    event = api_event("create_invoice", tenant=None, body=INVOICE, headers={})
    assert Api("").call("create_invoice", event).status == 401


def test_unit_prices_keep_their_sub_cent_precision(api: Api):
    body = {
        **INVOICE,
        "lines": [{"title": "SMS", "unit_price": "0.0125", "quantity": "3001", "vat_rate": "20"}],
    }
    line = api.create(body, headers={}).json()["lines"][0]
    assert (line["unit_price"], line["total_excl_tax"]) == ("0.0125", "37.51")
    assert Decimal(line["unit_price"]) * 3001 == Decimal("37.5125")
