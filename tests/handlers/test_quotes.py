"""Quotes: numbered in their own series, decided once, invoiced by deposits and then in full."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import boto3
import pytest

from tests.support.lambdas import Api, new_tenant, sample_event

QUOTE = json.loads(sample_event("create_quote")["body"])  # 2 400 + 2 x 350, all at 20 %: 3 720 incl. VAT


def open_quote(api: Api, **fields: Any) -> dict[str, Any]:
    response = api.quotes("POST", body=QUOTE | fields | {"finalize": True})
    assert response.status == 201, response.text
    return response.json()


def accepted_quote(api: Api, **fields: Any) -> dict[str, Any]:
    quote = open_quote(api, **fields)
    response = api.quotes("POST", f"/{quote['id']}/accept")
    assert response.status == 200, response.text
    return response.json()


def create(api: Api, body: dict[str, Any]) -> Any:
    return api.create(body, headers={})  # no Idempotency-Key: each call a new document


def rendered_text(key_url: str) -> str:
    bucket, key = key_url.split("?", maxsplit=1)[0].split("/", 3)[2:]
    return boto3.client("s3").get_object(Bucket=bucket.split(".")[0], Key=key)["Body"].read().decode()


def test_a_quote_is_numbered_in_its_own_series_with_a_validity(api: Api):
    draft = api.quotes("POST", body=QUOTE)
    assert draft.status == 201
    body = draft.json()
    assert body["id"].startswith("quo_")
    assert draft.headers["location"] == f"/v1/quotes/{body['id']}"
    assert (body["status"], body["number"], body["totals"]["total_incl_tax"]) == ("draft", None, "3720.00")

    finalized = api.quotes("POST", f"/{body['id']}/finalize")
    assert finalized.status == 200, finalized.text
    quote = finalized.json()
    assert quote["number"].startswith("D")
    assert quote["number"].endswith("-00001")
    assert (quote["status"], quote["due_date"], quote["expired"]) == ("open", None, False)
    issued = quote["issue_date"]
    assert quote["valid_until"] > issued

    invoice = create(api, json.loads(sample_event("create_invoice")["body"]) | {"finalize": True})
    assert invoice.json()["number"].endswith("-00001"), "quotes take no number from the invoice series"


def test_a_quote_is_not_an_invoice_and_an_invoice_not_a_quote(api: Api):
    quote = open_quote(api)
    invoice = create(api, json.loads(sample_event("create_invoice")["body"])).json()
    assert api.read(quote["id"]).status == 404
    assert api.quotes("GET", f"/{invoice['id']}").status == 404
    assert create(api, QUOTE | {"type": "quote"}).status == 422
    refused = api.update(invoice["id"], {"type": "quote"})
    assert (refused.status, refused.error_fields) == (422, ["type"])
    assert [entry["id"] for entry in api.quotes("GET").json()["data"]] == [quote["id"]]
    assert quote["id"] not in [entry["id"] for entry in api.list().json()["data"]]
    assert api.list(number=quote["number"]).json()["data"] == []
    assert api.quotes("GET", number=quote["number"]).json()["data"][0]["id"] == quote["id"]


def test_the_customer_decides_once(api: Api):
    draft = api.quotes("POST", body=QUOTE).json()
    assert api.quotes("POST", f"/{draft['id']}/accept").json()["error"]["code"] == "not_finalized"

    quote = open_quote(api)
    accepted = api.quotes("POST", f"/{quote['id']}/accept")
    assert (accepted.status, accepted.json()["status"]) == (200, "accepted")
    assert accepted.json()["decided_at"] is not None
    for decision in ("accept", "decline"):
        again = api.quotes("POST", f"/{quote['id']}/{decision}")
        assert (again.status, again.json()["error"]["code"]) == (409, "quote_accepted")

    other = open_quote(api)
    declined = api.quotes("POST", f"/{other['id']}/decline").json()
    assert declined["status"] == "declined"
    refused = api.quotes("POST", f"/{other['id']}/invoice", body={})
    assert (refused.status, refused.json()["error"]["code"]) == (409, "quote_not_accepted")
    assert api.quotes("PATCH", f"/{other['id']}", body={"title": "x"}).status == 409
    assert api.quotes("DELETE", f"/{other['id']}").status == 409


def test_an_expired_quote_is_declined_but_not_accepted(api: Api):
    quote = open_quote(api, issue_date="2026-01-05", valid_until="2026-02-04")
    assert (quote["expired"], quote["valid_until"]) == (True, "2026-02-04")
    refused = api.quotes("POST", f"/{quote['id']}/accept")
    assert (refused.status, refused.json()["error"]["code"]) == (409, "quote_expired")
    assert api.quotes("GET", status="open").json()["data"][0]["expired"] is True
    assert api.quotes("POST", f"/{quote['id']}/decline").json()["status"] == "declined"


def test_deposits_then_the_final_invoice_that_deducts_them(api: Api):
    quote = accepted_quote(api)
    deposit = api.quotes("POST", f"/{quote['id']}/invoice", body={"deposit_percent": "30"})
    assert deposit.status == 201, deposit.text
    deposit_body = deposit.json()
    assert deposit.headers["location"] == f"/v1/invoices/{deposit_body['id']}"
    assert deposit_body["type"] == "deposit"
    assert deposit_body["quote"] == {"id": quote["id"], "number": quote["number"]}
    assert [(line["title"], line["unit_price"], line["vat_rate"]) for line in deposit_body["lines"]] == [
        (f"Acompte de 30 % sur le devis {quote['number']}", "930.00", "20")
    ]
    assert deposit_body["totals"]["total_incl_tax"] == "1116.00"  # 30 % of 3 720

    too_much = api.quotes("POST", f"/{quote['id']}/invoice", body={"deposit_percent": "70.01"})
    assert (too_much.status, too_much.error_fields) == (422, ["deposit_percent"])
    links = api.quotes("GET", f"/{quote['id']}").json()["invoices"]
    assert [(link["id"], link["type"], link["deposit_percent"]) for link in links] == [
        (deposit_body["id"], "deposit", "30")
    ]

    unfinalized = api.quotes("POST", f"/{quote['id']}/invoice", body={})
    assert (unfinalized.status, unfinalized.json()["error"]["code"]) == (409, "not_finalized")
    finalized_deposit = api.finalize(deposit_body["id"]).json()
    assert finalized_deposit["number"].endswith("-00001")

    final = api.quotes("POST", f"/{quote['id']}/invoice")
    assert final.status == 201, final.text
    invoice = final.json()
    assert (invoice["type"], invoice["deposit_ids"]) == ("invoice", [deposit_body["id"]])
    assert invoice["totals"]["total_incl_tax"] == "3720.00"
    assert (invoice["totals"]["amount_deposits"], invoice["totals"]["amount_due"]) == ("1116.00", "2604.00")
    assert invoice["deposits"][0]["number"] == finalized_deposit["number"]

    read_quote = api.quotes("GET", f"/{quote['id']}").json()
    assert read_quote["status"] == "invoiced"
    assert [link["id"] for link in read_quote["invoices"]] == [deposit_body["id"], invoice["id"]]
    for body in ({}, {"deposit_percent": "10"}):
        again = api.quotes("POST", f"/{quote['id']}/invoice", body=body)
        assert (again.status, again.json()["error"]["code"]) == (409, "quote_invoiced")

    finalized = api.finalize(invoice["id"]).json()
    assert (finalized["number"][-5:], finalized["totals"]["amount_due"]) == ("00002", "2604.00")
    assert api.read(deposit_body["id"]).json()["deducted_by"] == invoice["id"]
    credit = api.credit(deposit_body["id"], {"reason": "Annulation"})
    assert (credit.status, credit.json()["error"]["code"]) == (409, "deposit_deducted")
    html = api.download(invoice["id"], format="html")
    text = rendered_text(html.headers["location"])
    assert f"Acompte {finalized_deposit['number']} du" in text
    assert "-1\u202f116,00\xa0€" in text
    assert "2\u202f604,00\xa0€" in text


def test_deleting_the_final_draft_frees_the_quote(api: Api):
    quote = accepted_quote(api)
    invoice = api.quotes("POST", f"/{quote['id']}/invoice").json()
    assert api.quotes("GET", f"/{quote['id']}").json()["status"] == "invoiced"
    assert api.delete(invoice["id"]).status == 204
    freed = api.quotes("GET", f"/{quote['id']}").json()
    assert (freed["status"], freed["invoices"]) == ("accepted", [])
    assert api.quotes("POST", f"/{quote['id']}/invoice").status == 201


def test_a_deposit_on_a_quote_with_two_rates_has_a_line_per_rate(api: Api):
    lines = [
        {"title": "Livres", "quantity": "10", "unit_price": "20", "vat_rate": "5.5"},
        {"title": "Reliure", "unit_price": "100", "vat_rate": "20"},
    ]
    quote = accepted_quote(api, lines=lines, discount={"type": "percent", "value": "10"})
    deposit = api.quotes("POST", f"/{quote['id']}/invoice", body={"deposit_percent": "50"}).json()
    assert [(line["unit_price"], line["vat_rate"]) for line in deposit["lines"]] == [
        ("45.00", "20"),
        ("90.00", "5.5"),
    ]
    assert deposit["lines"][0]["title"].endswith("(TVA 20 %)")
    # Half of each VAT base after the quote's discount: VAT on the deposit is at the quote's rates.
    quote_vat = {entry["rate"]: Decimal(entry["base"]) for entry in quote["totals"]["vat"]}
    assert {entry["rate"]: Decimal(entry["base"]) * 2 for entry in deposit["totals"]["vat"]} == quote_vat


def test_deposits_named_on_an_invoice_are_checked(api: Api):
    deposit = create(
        api, json.loads(sample_event("create_invoice")["body"]) | {"type": "deposit", "finalize": True}
    ).json()
    draft_deposit = create(
        api, json.loads(sample_event("create_invoice")["body"]) | {"type": "deposit"}
    ).json()
    base = json.loads(sample_event("create_invoice")["body"])
    cases = [
        ([draft_deposit["id"]], 409, "deposit_ids[0]"),
        (["inv_" + "0" * 32], 422, "deposit_ids[0]"),
        ([deposit["id"], deposit["id"]], 422, "deposit_ids"),
    ]
    for ids, status, field in cases:
        refused = create(api, base | {"deposit_ids": ids})
        assert (refused.status, refused.error_fields) == (status, [field]), refused.text
    assert create(api, base | {"type": "deposit", "deposit_ids": [deposit["id"]]}).status == 422
    assert create(api, base | {"deposit_ids": [deposit["id"]], "currency": "USD"}).status == 422

    small = base | {"lines": [{"title": "Solde", "unit_price": "10", "vat_rate": "20"}]}
    over = create(api, small | {"deposit_ids": [deposit["id"]]})
    assert (over.status, over.error_fields) == (422, ["deposit_ids"])

    first = create(api, base | {"deposit_ids": [deposit["id"]]}).json()
    second = create(api, base | {"deposit_ids": [deposit["id"]]}).json()
    assert first["totals"]["amount_due"] == "0.00"
    assert api.finalize(first["id"]).status == 200
    refused = api.finalize(second["id"])
    assert (refused.status, refused.json()["error"]["code"]) == (409, "deposit_deducted")
    assert api.read(second["id"]).json()["status"] == "draft"


def test_another_tenants_quote_is_not_found(api: Api):
    quote = accepted_quote(api)
    stranger = Api(new_tenant())
    for method, path in (("GET", ""), ("POST", "/accept"), ("POST", "/invoice"), ("GET", "/download")):
        assert stranger.quotes(method, f"/{quote['id']}{path}").status == 404, path
    assert stranger.quotes("GET").json()["data"] == []


@pytest.mark.parametrize("percent", ["0", "-5", "100.5", "33.333", "abc", None])
def test_impossible_deposit_percentages_are_refused(api: Api, percent):
    quote = accepted_quote(api)
    refused = api.quotes(
        "POST", f"/{quote['id']}/invoice", body={"deposit_percent": percent} if percent else {"percent": 3}
    )
    assert refused.status == 422
    assert api.quotes("GET", f"/{quote['id']}").json()["invoices"] == []


def test_a_cursor_of_one_list_read_in_the_other_is_harmless(api: Api):
    for _ in range(3):
        open_quote(api)
        create(api, json.loads(sample_event("create_invoice")["body"]))
    invoices_cursor = api.list(limit="1").json()["next_cursor"]
    quotes_cursor = api.quotes("GET", limit="1").json()["next_cursor"]
    crossed = api.quotes("GET", cursor=invoices_cursor)
    assert crossed.status == 200
    assert all(entry["type"] == "quote" for entry in crossed.json()["data"])
    assert all(entry["type"] == "invoice" for entry in api.list(cursor=quotes_cursor).json()["data"])


def test_a_quote_is_refused_at_its_finalization_what_its_invoices_would_be_refused(api: Api):
    """A business customer without an address: its deposit and final invoices could not be issued
    as e-invoices (EN 16931 BR-10), so the quote says so before the customer signs it."""
    customer = {key: value for key, value in QUOTE["customer"].items() if key != "address"}
    draft = api.quotes("POST", body=QUOTE | {"customer": customer}).json()
    refused = api.quotes("POST", f"/{draft['id']}/finalize")
    assert (refused.status, refused.json()["error"]["code"]) == (422, "finalize_blocked")
    (problem,) = refused.json()["error"]["details"]
    assert problem["field"] == "customer.address"
    assert problem["message"].startswith("send the customer's address")
    completed = api.quotes("PATCH", f"/{draft['id']}", body={"customer": QUOTE["customer"]})
    assert completed.status == 200, completed.text
    assert api.quotes("POST", f"/{draft['id']}/finalize").status == 200
