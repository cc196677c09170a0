"""Payments through the payments function: amount due and status follow, mistakes can be removed."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.support.lambdas import Api, api_event, new_tenant, pay, sample_event

INVOICE = json.loads(sample_event("create_invoice")["body"])
TODAY = datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()


def finalized(api: Api) -> str:
    invoice_id = api.create(INVOICE, headers={}).json()["id"]
    assert api.finalize(invoice_id).status == 200
    return invoice_id


def remove(api: Api, invoice_id: str, payment_id: str):
    event = api_event("record_payment", tenant=api.tenant, invoice_id=invoice_id) | {
        "httpMethod": "DELETE",
        "resource": "/v1/invoices/{invoice_id}/payments/{payment_id}",
        "path": f"/v1/invoices/{invoice_id}/payments/{payment_id}",
        "body": None,
        "pathParameters": {"invoice_id": invoice_id, "payment_id": payment_id},
    }
    return api.call("payments", event)


def test_payments_bring_the_invoice_to_paid(api: Api):
    invoice_id = finalized(api)  # 95.49 due
    first = pay(api, invoice_id, "50.00", reference="VIR-1")
    assert first.status == 201, first.text
    body = first.json()
    assert (body["status"], body["totals"]["amount_paid"], body["totals"]["amount_due"]) == (
        "partially_paid",
        "50.00",
        "45.49",
    )
    assert body["payments"][0]["reference"] == "VIR-1"
    second = pay(api, invoice_id, "45.49", method="card").json()
    assert (second["status"], second["totals"]["amount_due"]) == ("paid", "0.00")
    read = api.read(invoice_id).json()
    assert (read["status"], len(read["payments"])) == ("paid", 2)
    assert [item["status"] for item in api.list(status="paid").json()["data"]] == ["paid"]


def test_a_payment_recorded_by_mistake_is_removed(api: Api):
    invoice_id = finalized(api)
    payment_id = pay(api, invoice_id, "95.49").json()["payments"][0]["id"]
    after = remove(api, invoice_id, payment_id)
    assert after.status == 200, after.text
    assert (after.json()["status"], after.json()["totals"]["amount_due"]) == ("open", "95.49")
    assert remove(api, invoice_id, payment_id).status == 404


@pytest.mark.parametrize(
    ("amount", "status", "field"),
    [("95.50", 422, "amount"), ("0", 422, "amount"), ("-1", 422, "amount"), ("1.001", 422, "amount")],
)
def test_overpayments_and_odd_amounts_are_refused(api: Api, amount, status, field):
    response = pay(api, finalized(api), amount)
    assert response.status == status
    assert field in response.error_fields


def test_drafts_and_other_tenants_invoices_take_no_payment(api: Api):
    draft_id = api.create(INVOICE, headers={}).json()["id"]
    refused = pay(api, draft_id, "10")
    assert (refused.status, refused.json()["error"]["code"]) == (409, "not_finalized")
    assert pay(Api(new_tenant()), finalized(api), "10").status == 404


def test_a_future_date_and_an_unknown_method_are_refused(api: Api):
    invoice_id = finalized(api)
    assert pay(api, invoice_id, "10", date="2999-01-01").error_fields == ["date"]
    assert pay(api, invoice_id, "10", method="bitcoin").error_fields == ["method"]
