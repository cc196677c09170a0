"""Proforma invoices: no legal number, no payment, and a one-time conversion into a draft invoice."""

import io
import json

from pypdf import PdfReader

from tests.support.lambdas import Api, new_tenant, object_at, pay, sample_event

INVOICE = json.loads(sample_event("create_invoice")["body"])


def proforma(api: Api) -> dict:
    response = api.create({**INVOICE, "type": "proforma"}, headers={})
    assert response.status == 201, response.text
    return response.json()


def test_a_proforma_takes_no_number_and_no_payment(api: Api):
    document = proforma(api)
    refused = api.finalize(document["id"])
    assert (refused.status, refused.json()["error"]["code"]) == (409, "not_finalizable")
    assert pay(api, document["id"], "10").status == 409


def test_a_proforma_reads_as_a_proforma_not_as_a_draft(api: Api):
    location = api.download(proforma(api)["id"]).headers["location"]
    text = PdfReader(io.BytesIO(object_at(location))).pages[0].extract_text()
    assert "Facture proforma" in text
    assert "sans valeur comptable" in text
    assert "BROUILLON" not in text


def test_a_proforma_turns_once_into_a_draft_invoice_linked_both_ways(api: Api):
    document = proforma(api)
    converted = api.convert(document["id"])
    assert converted.status == 201, converted.text
    invoice = converted.json()
    assert converted.headers["location"] == f"/v1/invoices/{invoice['id']}"
    assert (invoice["type"], invoice["status"], invoice["converted_from"]) == (
        "invoice",
        "draft",
        document["id"],
    )
    assert invoice["totals"] == document["totals"]
    assert api.read(document["id"]).json()["converted_to"] == invoice["id"]
    again = api.convert(document["id"])
    assert (again.status, again.json()["error"]["code"]) == (409, "converted")
    assert api.update(document["id"], {"title": "x"}).json()["error"]["code"] == "converted"
    assert api.delete(document["id"]).json()["error"]["code"] == "converted"
    assert api.finalize(invoice["id"]).json()["number"].endswith("-00001")


def test_only_proformas_convert_and_only_ones_own(api: Api):
    invoice = api.create(INVOICE, headers={}).json()
    assert api.convert(invoice["id"]).json()["error"]["code"] == "not_proforma"
    assert Api(new_tenant()).convert(proforma(api)["id"]).status == 404
