"""Reads, settings and the OpenAPI document through the read function's handler."""

import json

from invoicing.api.openapi_build import render
from tests.support.lambdas import SELLER_SETTINGS, Api, api_event, new_tenant


def test_settings_default_until_replaced(aws):
    tenant = Api(new_tenant())
    defaults = tenant.call(
        "read_api", api_event("replace_settings", tenant=tenant.tenant) | {"httpMethod": "GET"}
    )
    assert defaults.json() == {
        "seller": None,
        "numbering": {
            "invoice": "F{YYYY}-{SEQ:5}",
            "credit_note": "AV{YYYY}-{SEQ:5}",
            "quote": "D{YYYY}-{SEQ:5}",
        },
        "payment_terms": "30",
        "quote_validity_days": 30,
        "language": "fr",
        "timezone": "Europe/Paris",
    }
    assert tenant.put_settings(json.loads(SELLER_SETTINGS)).status == 200
    stored = tenant.call(
        "read_api", api_event("replace_settings", tenant=tenant.tenant) | {"httpMethod": "GET"}
    )
    assert stored.json()["seller"]["name"] == "Atelier Durand SAS"


def test_invalid_settings_name_each_field(api: Api):
    settings = json.loads(SELLER_SETTINGS)
    settings["seller"]["siren"] = "552100555"
    settings["numbering"] = {"invoice": "F{YYYY}"}
    settings["timezone"] = "Mars/Olympus"
    response = api.put_settings(settings)
    assert response.status == 422
    assert set(response.error_fields) == {"seller.siren", "numbering.invoice", "timezone"}


def test_the_openapi_document_is_served_and_current():
    event = api_event("read_invoice", tenant=None) | {
        "resource": "/v1/openapi.json",
        "path": "/v1/openapi.json",
        "pathParameters": None,
    }
    response = Api("").call("read_api", event)
    assert response.status == 200
    document = response.json()
    assert document == json.loads(render())
    assert {
        "/v1/invoices",
        "/v1/invoices/{invoice_id}/finalize",
        "/v1/invoices/{invoice_id}/download",
        "/v1/invoices/{invoice_id}",
        "/v1/settings",
    } <= set(document["paths"])
    create = document["paths"]["/v1/invoices"]["post"]
    assert "201" in create["responses"]
    assert any(p["name"] == "idempotency-key" for p in create["parameters"])


def test_an_unknown_route_is_a_404_in_the_contract_shape(aws):
    event = api_event("read_invoice", tenant=new_tenant()) | {"resource": "/v1/nope", "path": "/v1/nope"}
    response = Api("").call("read_api", event)
    assert (response.status, response.json()["error"]["code"]) == (404, "route_not_found")
