"""Imported documents: recorded final under their own number, outside our series, with the original
PDF given in base64 or fetched once from a public https URL."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest

from invoicing.adapters.remote_files import PublicHttpsFiles
from invoicing.bootstrap import from_environment
from tests.support.https_files import PDF, https_file_server
from tests.support.lambdas import Api, api_event, new_tenant, sample_event

INVOICE = json.loads(sample_event("create_invoice")["body"])
IMPORT = INVOICE | {
    "type": "external",
    "external_ref": "FAC-2025-0412",
    "issue_date": "2025-12-15",
    "file": {"content_base64": base64.b64encode(PDF).decode()},
}


def create(api: Api, body: dict[str, Any]) -> Any:
    return api.create(body, headers={})


def stored_file(url: str) -> bytes:
    parts = urlsplit(url)
    bucket = parts.hostname.split(".")[0]
    return boto3.client("s3").get_object(Bucket=bucket, Key=parts.path.lstrip("/"))["Body"].read()


def test_an_import_is_final_under_its_own_number_with_its_original(api: Api):
    response = create(api, IMPORT)
    assert response.status == 201, response.text
    document = response.json()
    assert (document["status"], document["number"], document["issue_date"]) == (
        "open",
        "FAC-2025-0412",
        "2025-12-15",
    )
    assert document["due_date"] == "2026-01-14"
    assert document["links"]["html"] is None
    assert stored_file(document["links"]["pdf"]) == PDF
    assert stored_file(api.download(document["id"]).headers["location"]) == PDF
    html = api.download(document["id"], format="html")
    assert (html.status, html.json()["error"]["code"]) == (409, "original_only")

    ours = create(api, INVOICE | {"finalize": True}).json()
    assert ours["number"].endswith("-00001"), "an import takes no number from our series"
    assert [entry["id"] for entry in api.list(type="external").json()["data"]] == [document["id"]]


def test_an_external_ref_is_imported_once_per_tenant(api: Api):
    first = create(api, IMPORT).json()
    again = create(api, IMPORT | {"type": "external_credit"})
    assert (again.status, again.error_fields, again.json()["error"]["code"]) == (
        409,
        ["external_ref"],
        "external_ref_taken",
    )
    assert first["id"] in again.json()["error"]["message"]
    other = Api(new_tenant())
    assert create(other, IMPORT).status == 201


def test_an_import_is_paid_but_never_changed_credited_or_refinalized(api: Api):
    document = create(api, IMPORT).json()
    payment = api.call(
        "payments",
        _payment_event(
            api, document["id"], {"amount": document["totals"]["total_incl_tax"], "date": "2026-01-10"}
        ),
    )
    assert (payment.status, payment.json()["status"]) == (201, "paid")
    assert api.update(document["id"], {"title": "x"}).status == 409
    assert api.delete(document["id"]).status == 409
    assert api.finalize(document["id"]).status == 409
    assert api.credit(document["id"], {"reason": "Erreur"}).json()["error"]["code"] == "not_creditable"


def _payment_event(api: Api, invoice_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return api_event("record_payment", tenant=api.tenant, invoice_id=invoice_id, body=body)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"file": None}, "file_url"),
        ({"file_url": "https://files.example.test/a.pdf"}, "file_url"),
        ({"file": {"content_base64": "not base64!"}}, "file.content_base64"),
        ({"file": {"content_base64": base64.b64encode(b"<html></html>").decode()}}, "file.content_base64"),
        ({"issue_date": None}, "issue_date"),
        ({"external_ref": None}, "external_ref"),
        ({"file": {"content_base64": "JVBERi0=", "name": "x"}}, "file.name"),
        ({"file_url": "https://127.0.0.1/a.pdf", "file": None}, "file_url"),
        ({"file_url": "https://169.254.169.254/latest/meta-data/", "file": None}, "file_url"),
        ({"file_url": "http://example.com/a.pdf", "file": None}, "file_url"),
        ({"type": "invoice"}, "file_url"),
    ],
)
def test_bad_imports_are_refused_with_the_field_at_fault(api: Api, changes, field):
    body = {key: value for key, value in (IMPORT | changes).items() if value is not None}
    refused = create(api, body)
    assert refused.status == 422, refused.text
    assert field in refused.error_fields
    assert api.list().json()["data"] == []


def test_an_original_is_fetched_once_from_its_url(api: Api, tmp_path, monkeypatch):
    with https_file_server(tmp_path) as server:
        test_dns = PublicHttpsFiles(resolve=server.resolve, allowed=lambda _: True, ca_certs=server.ca_file)
        monkeypatch.setattr(from_environment(), "remote_files", test_dns)
        body = {key: value for key, value in IMPORT.items() if key != "file"}
        fetched = create(api, body | {"file_url": server.url("/invoice.pdf")})
        assert fetched.status == 201, fetched.text
        assert stored_file(fetched.json()["links"]["pdf"]) == PDF
        for path in ("/not-a-pdf", "/moved", "/missing", "/big"):
            refused = create(api, body | {"external_ref": path, "file_url": server.url(path)})
            assert (refused.status, refused.error_fields) == (422, ["file_url"]), path


def test_a_hostile_external_ref_cannot_break_the_download_header(api: Api):
    document = create(api, IMPORT | {"external_ref": 'F"1\\<b>; filename=evil.exe'}).json()
    disposition = parse_qs(urlsplit(document["links"]["pdf"]).query)["response-content-disposition"][0]
    assert disposition == 'attachment; filename="F-1--b---filename-evil.exe.pdf"'
