"""POST /v1/invoices/{id}/finalize through the finalize function's handler."""

import json
import os
from datetime import datetime
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import boto3

from tests.support.lambdas import SELLER_SETTINGS, Api, new_tenant, sample_event

INVOICE = json.loads(sample_event("create_invoice")["body"])
TODAY = datetime.now(ZoneInfo("Europe/Paris")).date()  # the tenant's calendar, not the machine's
YEAR = TODAY.year


def draft(api: Api, **fields) -> str:
    response = api.create({**INVOICE, **fields}, headers={})
    assert response.status == 201, response.text
    return response.json()["id"]


def stored_keys(tenant: str) -> list[str]:
    listing = boto3.client("s3").list_objects_v2(
        Bucket=os.environ["DOCUMENTS_BUCKET"], Prefix=f"tenants/{tenant}/"
    )
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_finalizing_numbers_freezes_and_renders(api: Api, aws_calls):
    invoice_id = draft(api)
    response = api.finalize(invoice_id)
    assert response.status == 200, response.text
    body = response.json()
    assert body["number"] == f"F{YEAR}-00001"
    assert (body["status"], body["issue_date"]) == ("open", TODAY.isoformat())
    assert body["seller"]["siren"] == "552100554"
    assert body["payment_terms"] == "30"
    assert stored_keys(api.tenant) == [
        f"tenants/{api.tenant}/documents/{invoice_id}/F{YEAR}-00001.html",
        f"tenants/{api.tenant}/documents/{invoice_id}/F{YEAR}-00001.pdf",
        f"tenants/{api.tenant}/documents/{invoice_id}/F{YEAR}-00001.ubl.xml",
        f"tenants/{api.tenant}/documents/{invoice_id}/F{YEAR}-00001.xml",
    ]
    assert aws_calls["dynamodb.TransactWriteItems"] == 1
    assert aws_calls["s3.PutObject"] == 4


def test_the_links_are_short_lived_sigv4_with_the_number_as_filename(api: Api):
    body = api.finalize(draft(api)).json()
    for fmt, disposition, suffix in (
        ("pdf", "attachment", "pdf"),
        ("html", "inline", "html"),
        ("cii", "attachment", "xml"),
        ("ubl", "attachment", "ubl.xml"),
    ):
        url = urlparse(body["links"][fmt])
        query = parse_qs(url.query)
        assert url.path.endswith(f"/F{YEAR}-00001.{suffix}")
        assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
        assert query["X-Amz-Expires"] == ["900"]
        assert query["response-content-disposition"] == [f'{disposition}; filename="F{YEAR}-00001.{suffix}"']
        assert "X-Amz-Signature" in query


def test_numbers_follow_each_other_and_credit_notes_have_their_own_series(api: Api):
    numbers = [api.finalize(draft(api)).json()["number"] for _ in range(3)]
    credit = api.finalize(draft(api, type="credit_note")).json()["number"]
    deposit = api.finalize(draft(api, type="deposit")).json()["number"]
    assert numbers == [f"F{YEAR}-00001", f"F{YEAR}-00002", f"F{YEAR}-00003"]
    assert credit == f"AV{YEAR}-00001"
    assert deposit == f"F{YEAR}-00004"


def test_each_tenant_has_its_own_series(api: Api):
    other = Api(new_tenant())
    other.put_settings(json.loads(SELLER_SETTINGS))
    api.finalize(draft(api))
    assert other.finalize(draft(other)).json()["number"] == f"F{YEAR}-00001"


def test_the_settings_pattern_shapes_the_number(api: Api):
    settings = json.loads(SELLER_SETTINGS) | {"numbering": {"invoice": "FAC-{YY}{MM}-{SEQ:3}"}}
    assert api.put_settings(settings).status == 200
    today = TODAY
    assert api.finalize(draft(api)).json()["number"] == f"FAC-{today:%y%m}-001"


def test_a_second_finalization_is_a_conflict(api: Api):
    invoice_id = draft(api)
    api.finalize(invoice_id)
    again = api.finalize(invoice_id)
    assert again.status == 409
    assert again.json()["error"]["code"] == "already_finalized"


def test_an_issue_date_before_the_series_last_is_refused_and_takes_no_number(api: Api):
    api.finalize(draft(api, issue_date=f"{YEAR}-06-15"))
    late = api.finalize(draft(api, issue_date=f"{YEAR}-06-14"))
    assert late.status == 409
    assert late.json()["error"]["code"] == "issue_date_before_last"
    assert late.error_fields == ["issue_date"]
    assert api.finalize(draft(api, issue_date=f"{YEAR}-06-15")).json()["number"] == f"F{YEAR}-00002"


def test_a_new_year_restarts_the_sequence(api: Api):
    assert api.finalize(draft(api, issue_date="2025-12-31")).json()["number"] == "F2025-00001"
    assert api.finalize(draft(api, issue_date="2026-01-02")).json()["number"] == "F2026-00001"


def test_without_the_seller_identity_finalization_is_refused(aws):
    newcomer = Api(new_tenant())
    response = newcomer.finalize(draft(newcomer))
    assert response.status == 409
    assert response.json()["error"]["code"] == "seller_identity_missing"


def test_another_tenants_invoice_is_not_found(api: Api):
    invoice_id = draft(api)
    stranger = Api(new_tenant())
    stranger.put_settings(json.loads(SELLER_SETTINGS))
    assert stranger.finalize(invoice_id).status == 404
    assert stranger.read(invoice_id).status == 404
    assert api.read(invoice_id).json()["status"] == "draft"


def test_ids_that_cannot_exist_are_not_found_without_a_lookup(api: Api, aws_calls):
    for invoice_id in ("inv_../../x", "' OR 1=1 --", "inv_" + "0" * 31, "x" * 2000):
        assert api.finalize(invoice_id).status == 404
    assert aws_calls["dynamodb.GetItem"] == 0


def test_a_finalized_invoice_is_read_with_fresh_links(api: Api):
    invoice_id = draft(api)
    finalized = api.finalize(invoice_id).json()
    read = api.read(invoice_id).json()
    assert read["number"] == finalized["number"]
    assert read["totals"] == finalized["totals"]
    assert read["links"]["pdf"].split("?")[0] == finalized["links"]["pdf"].split("?")[0]
