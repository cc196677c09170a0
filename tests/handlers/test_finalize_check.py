"""GET /v1/invoices/{id}/finalize-check lists what finalization refuses, and finalization refuses
with the same list; warnings block nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.lambdas import Api, api_event, sample_event

INVOICE = json.loads(sample_event("create_invoice")["body"])
GERMAN_BUYER = {
    "name": "Buchhandlung Weber GmbH",
    "vat_number": "DE136695976",
    "address": {"line1": "Hauptstraße 5", "postal_code": "10115", "city": "Berlin", "country": "DE"},
}


def check(api: Api, invoice_id: str):
    event = api_event("read_invoice", tenant=api.tenant, invoice_id=invoice_id)
    event |= {
        "resource": "/v1/invoices/{invoice_id}/finalize-check",
        "path": f"/v1/invoices/{invoice_id}/finalize-check",
    }
    return api.call("read_api", event)


def codes(problems: list[dict[str, Any]]) -> list[str]:
    return [problem["code"] for problem in problems]


@pytest.mark.parametrize(
    ("fields", "blocking"),
    [
        ({"lines": [{"title": "Cours", "unit_price": "40", "vat_rate": "0"}]}, ["vat_exemption_missing"]),
        (
            {
                "customer": {"name": "Buchhandlung Weber GmbH", "siren": "732829320"},
                "lines": [{"title": "Presse", "unit_price": "900", "vat_code": "intracom"}],
            },
            ["buyer_vat_number_missing", "delivery_date_missing", "buyer_address_missing"],
        ),
        (
            {
                "customer": GERMAN_BUYER,
                "lines": [{"title": "Conseil", "unit_price": "900", "vat_code": "reverse_charge"}],
            },
            [],
        ),
        # Between French businesses, what the platform would refuse (BR-FR-08, BR-FR-16, BR-FR-DEC-02).
        ({"operation_nature": None}, ["operation_nature_missing"]),
        ({"lines": [{"title": "Conseil", "unit_price": "900", "vat_rate": "19"}]}, ["vat_rate_not_french"]),
        (
            {"lines": [{"title": "Gaz", "quantity": "1.23456", "unit_price": "2", "vat_rate": "20"}]},
            ["quantity_too_precise"],
        ),
    ],
)
def test_what_blocks_is_what_finalization_refuses(api: Api, fields, blocking):
    draft = api.create(INVOICE | fields, headers={}).json()
    checked = check(api, draft["id"]).json()
    assert codes(checked["blocking"]) == blocking
    assert checked["finalizable"] is (not blocking)
    finalized = api.finalize(draft["id"])
    if blocking:
        assert (finalized.status, finalized.json()["error"]["code"]) == (422, "finalize_blocked")
        assert [detail["type"] for detail in finalized.json()["error"]["details"]] == blocking
    else:
        assert finalized.status == 200, finalized.text


def test_warnings_block_nothing(api: Api):
    french_business = INVOICE["customer"] | {"vat_number": "FR44732829320"}
    french_business.pop("siren")
    draft = api.create(INVOICE | {"customer": french_business}, headers={}).json()
    checked = check(api, draft["id"]).json()
    assert (checked["finalizable"], codes(checked["warnings"])) == (
        True,
        ["buyer_siren_missing", "delivery_date_missing"],
    )
    assert api.finalize(draft["id"]).status == 200
    assert check(api, draft["id"]).status == 409


def test_a_foreign_currency_invoice_needs_its_rate(api: Api):
    draft = api.create(INVOICE | {"currency": "USD"}, headers={}).json()
    assert codes(check(api, draft["id"]).json()["blocking"]) == ["exchange_rate_missing"]
    assert api.update(draft["id"], {"exchange_rate": "0.92"}).status == 200
    assert check(api, draft["id"]).json()["finalizable"] is True
    assert api.create(INVOICE | {"exchange_rate": "0.92"}, headers={}).status == 422  # euros have none
