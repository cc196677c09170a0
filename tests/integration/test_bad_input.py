"""Hostile and careless input over HTTP: always a 4xx in the contract's shape, never a 5xx."""

import json

import pytest
import requests

from tests.support.http import INVOICE, Client, new_client

LINE = INVOICE["lines"][0]


def assert_contract_error(response: requests.Response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["message"]
    if field is not None:
        assert field in [detail["field"] for detail in error["details"]], error
    return error


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**INVOICE, "totals": {"total_incl_tax": "0.01"}}, "totals"),
        ({**INVOICE, "status": "paid"}, "status"),
        ({**INVOICE, "lines": []}, "lines"),
        ({**INVOICE, "lines": [LINE] * 1001}, "lines"),
        ({**INVOICE, "lines": [{**LINE, "title": "x" * 100_000}]}, "lines[0].title"),
        ({**INVOICE, "lines": [{**LINE, "quantity": "1e400"}]}, "lines[0].quantity"),
        ({**INVOICE, "lines": [{**LINE, "unit_price": "abc"}]}, "lines[0].unit_price"),
        ({**INVOICE, "lines": [{**LINE, "unit_price": True}]}, "lines[0].unit_price"),
        ({**INVOICE, "lines": [{**LINE, "vat_rate": "120"}]}, "lines[0].vat_rate"),
        ({**INVOICE, "lines": [{**LINE, "kind": "subtotal"}]}, "lines[0].kind"),
        ({**INVOICE, "lines": "not a list"}, "lines"),
        ({**INVOICE, "customer": None}, "customer"),
        ({**INVOICE, "customer": {"name": "A", "address": {"line1": "x"}}}, "customer.address.postal_code"),
        ({**INVOICE, "issue_date": "2026-02-30"}, "issue_date"),
        (
            {**INVOICE, "issue_date": "2026-11-21", "due_date": "2026-11-01", "payment_terms": None},
            "due_date",
        ),
        ({**INVOICE, "language": "de"}, "language"),
        ({**INVOICE, "type": "receipt"}, "type"),
        ({**INVOICE, "finalize": "yes please"}, "finalize"),
        ({**INVOICE, "metadata": {"k": {"nested": "object"}}}, "metadata.k"),
        ({**INVOICE, "title": "<script>\u0000</script>"}, "title"),
    ],
)
def test_invalid_bodies_are_422_with_the_field(client: Client, body, field):
    assert_contract_error(client.create(body), 422, field)


@pytest.mark.parametrize(
    ("data", "headers", "status"),
    [
        ("{", {"Content-Type": "application/json"}, 400),
        (b"\xff\xfe\x00garbage", {"Content-Type": "application/json"}, 400),
        ("[1, 2]", {"Content-Type": "application/json"}, 422),
        ("null", {"Content-Type": "application/json"}, 422),
        ("a=b", {"Content-Type": "application/x-www-form-urlencoded"}, 415),
        ("<invoice/>", {"Content-Type": "application/xml"}, 415),
        (json.dumps({**INVOICE, "notes": "x" * 1_100_000}), {"Content-Type": "application/json"}, 413),
    ],
)
def test_malformed_payloads_are_4xx(client: Client, data, headers, status):
    assert_contract_error(client.request("POST", "/v1/invoices", data=data, headers=headers), status)


def test_a_body_over_api_gateways_own_limit_is_refused_before_any_function(client: Client):
    response = client.request(
        "POST",
        "/v1/invoices",
        data=b"x" * (10 * 1024 * 1024 + 1),
        headers={"Content-Type": "application/json"},
    )
    assert_contract_error(response, 413)


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer sk_not-a-key",
        "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
        "Bearer " + "sk_" + "x" * 4000,
    ],
)
def test_without_a_valid_key_every_route_is_401(stack, authorization):
    anonymous = Client(stack.url, None)
    headers = {} if authorization is None else {"Authorization": authorization}
    for method, path in [
        ("POST", "/v1/invoices"),
        ("GET", "/v1/invoices/inv_" + "0" * 32),
        ("GET", "/v1/settings"),
        ("PUT", "/v1/settings"),
        ("POST", "/v1/invoices/x/finalize"),
    ]:
        error = assert_contract_error(anonymous.request(method, path, headers=headers, json={}), 401)
        assert error["code"] == "unauthorized"


def test_another_tenants_documents_do_not_exist_for_you(stack, client: Client):
    invoice_id = client.draft_id()
    stranger = new_client(stack)
    assert_contract_error(stranger.request("GET", f"/v1/invoices/{invoice_id}"), 404)
    assert_contract_error(stranger.finalize(invoice_id), 404)
    assert_contract_error(stranger.request("GET", f"/v1/invoices/{invoice_id}/download"), 404)
    assert client.request("GET", f"/v1/invoices/{invoice_id}").json()["status"] == "draft"


@pytest.mark.parametrize(
    "invoice_id",
    ["inv_" + "0" * 32, "nope", "inv_%2e%2e%2fsettings", "%00", "inv_" + "a" * 5000, "' OR '1'='1"],
)
def test_unknown_or_malformed_ids_are_404(client: Client, invoice_id):
    assert_contract_error(client.request("GET", f"/v1/invoices/{invoice_id}"), 404)
    assert_contract_error(client.finalize(invoice_id), 404)


def test_unknown_routes_and_methods_are_404(client: Client):
    assert assert_contract_error(client.request("GET", "/v1/nothing"), 404)["code"] == "route_not_found"
    assert_contract_error(client.request("DELETE", "/v1/invoices"), 404)


def test_bad_query_and_headers_name_the_parameter(client: Client):
    invoice_id = client.draft_id()
    assert_contract_error(
        client.request("GET", f"/v1/invoices/{invoice_id}/download", params={"format": "exe"}),
        422,
        "query.format",
    )
    assert_contract_error(
        client.create(INVOICE, headers={"Idempotency-Key": "é" * 10}), 422, "header.idempotency-key"
    )


def test_state_conflicts_are_409(stack, client: Client):
    invoice_id = client.draft_id()
    assert client.finalize(invoice_id).status_code == 200
    assert assert_contract_error(client.finalize(invoice_id), 409)["code"] == "already_finalized"
    newcomer = new_client(stack, with_settings=False)
    assert (
        assert_contract_error(newcomer.finalize(newcomer.draft_id()), 409)["code"]
        == "seller_identity_missing"
    )


def test_invalid_settings_are_refused_and_change_nothing(client: Client):
    before = client.request("GET", "/v1/settings").json()
    response = client.request("PUT", "/v1/settings", json={**before, "payment_terms": "365"})
    assert_contract_error(response, 422, "payment_terms")
    assert client.request("GET", "/v1/settings").json() == before
