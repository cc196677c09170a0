"""POST /v1/invoices/{id}/credit-notes through its function: numbered avoirs that lower the amount due."""

import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from tests.support.lambdas import Api, new_tenant, object_at, pay, sample_event

INVOICE = json.loads(sample_event("create_invoice")["body"])  # 49.90 at 20 %, 3 x 12.50 -10 % at 5.5 %: 95.49
YEAR = datetime.now(ZoneInfo("Europe/Paris")).year
TODAY = datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()


def finalized(api: Api) -> dict:
    invoice_id = api.create(INVOICE, headers={}).json()["id"]
    return api.finalize(invoice_id).json()


def pdf_text(url: str) -> str:
    return PdfReader(io.BytesIO(object_at(url))).pages[0].extract_text()


def test_a_full_credit_note_is_numbered_in_its_own_series_and_settles_the_invoice(api: Api):
    invoice = finalized(api)
    response = api.credit(invoice["id"], {"reason": "Commande annulée"})
    assert response.status == 201, response.text
    note = response.json()
    assert response.headers["location"] == f"/v1/invoices/{note['id']}"
    assert (note["type"], note["number"], note["status"]) == ("credit_note", f"AV{YEAR}-00001", "applied")
    assert note["totals"]["total_incl_tax"] == invoice["totals"]["total_incl_tax"]
    # Imputed on the invoice as it is issued: nothing is due on it, now or when read again.
    assert note["totals"]["amount_due"] == "0.00"
    again = api.read(note["id"]).json()
    assert (again["status"], again["totals"]["amount_due"]) == ("applied", "0.00")
    listed = api.list(status="applied").json()["data"]
    assert [entry["id"] for entry in listed] == [note["id"]]
    assert note["corrects"] == {
        "id": invoice["id"],
        "number": invoice["number"],
        "issue_date": invoice["issue_date"],
    }
    after = api.read(invoice["id"]).json()
    assert (after["status"], after["totals"]["amount_credited"], after["totals"]["amount_due"]) == (
        "credited",
        "95.49",
        "0.00",
    )
    assert after["credit_notes"] == [
        {"id": note["id"], "number": note["number"], "amount": "95.49", "issue_date": note["issue_date"]}
    ]
    text = pdf_text(note["links"]["pdf"])
    assert "Avoir N°" in text
    assert invoice["number"] in text
    assert "Commande annulée" in text
    assert "Montant de l'avoir" in text
    assert "Net à payer" not in text


def test_a_credit_note_by_lines_credits_only_those(api: Api):
    invoice = finalized(api)
    note = api.credit(
        invoice["id"], {"reason": "Un livre retourné", "lines": [{"index": 1, "quantity": "1"}]}
    ).json()
    assert [(line["title"], line["quantity"]) for line in note["lines"]] == [("Livres", "1")]
    assert note["totals"]["total_incl_tax"] == "11.87"  # 12.50 - 10 % = 11.25, + 5.5 % VAT
    after = api.read(invoice["id"]).json()
    assert (after["status"], after["totals"]["amount_due"]) == ("open", "83.62")


def test_crediting_more_than_is_due_is_refused_and_takes_no_number(api: Api):
    invoice = finalized(api)
    api.credit(invoice["id"], {"reason": "Partiel", "lines": [{"index": 0}]})  # 59.88 credited
    refused = api.credit(invoice["id"], {"reason": "Tout", "lines": None})
    assert refused.status == 422
    assert refused.error_fields == ["lines"]
    third = api.credit(invoice["id"], {"reason": "Le reste", "lines": [{"index": 1}]})
    assert third.json()["number"] == f"AV{YEAR}-00002"
    assert api.read(invoice["id"]).json()["totals"]["amount_due"] == "0.00"


def test_a_paid_invoice_is_credited_only_up_to_what_is_still_due(api: Api):
    invoice = finalized(api)
    assert pay(api, invoice["id"], "90.00").status == 201
    refused = api.credit(invoice["id"], {"reason": "Annulation"})
    assert refused.status == 422
    assert "still due" in refused.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "reason"),
        ({"reason": "x", "lines": []}, "lines"),
        ({"reason": "x", "lines": [{"index": 9}]}, "lines[0].index"),
        ({"reason": "x", "lines": [{"index": 0, "quantity": "2"}]}, "lines[0].quantity"),
        ({"reason": "x", "lines": [{"index": 0}, {"index": 0}]}, "lines"),
        ({"reason": "x", "total": "10"}, "total"),
    ],
)
def test_invalid_requests_name_the_field(api: Api, body, field):
    response = api.credit(finalized(api)["id"], body)
    assert response.status == 422, response.text
    assert field in response.error_fields


def test_drafts_and_other_tenants_invoices_are_not_credited(api: Api):
    draft_id = api.create(INVOICE, headers={}).json()["id"]
    assert api.credit(draft_id, {"reason": "x"}).status == 409
    assert Api(new_tenant()).credit(finalized(api)["id"], {"reason": "x"}).status == 404
