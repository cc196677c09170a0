"""The README's walkthrough, over HTTP: create, finalize, read, download, as a newcomer pastes it."""

import io
import json
import os
import subprocess
import sys
from datetime import datetime
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import requests
from pypdf import PdfReader

from tests.support.http import INVOICE, Client

YEAR = datetime.now(ZoneInfo("Europe/Paris")).year


def test_create_finalize_read_and_download(client: Client):
    created = client.create(INVOICE)
    assert created.status_code == 201
    invoice = created.json()
    assert invoice["status"] == "draft"
    assert invoice["totals"]["total_incl_tax"] == "95.49"

    finalized = client.finalize(invoice["id"])
    assert finalized.status_code == 200
    number = finalized.json()["number"]
    assert number == f"F{YEAR}-00001"

    read = client.request("GET", f"/v1/invoices/{invoice['id']}").json()
    pdf = requests.get(read["links"]["pdf"], timeout=30)  # the presigned link downloads for real
    assert pdf.status_code == 200
    assert pdf.headers["Content-Disposition"] == f'attachment; filename="{number}.pdf"'
    assert number in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    html = requests.get(read["links"]["html"], timeout=30)
    assert number in html.text
    assert html.headers["Content-Disposition"].startswith("inline")

    redirect = client.request("GET", f"/v1/invoices/{invoice['id']}/download", params={"format": "pdf"})
    assert redirect.status_code == 303
    assert parse_qs(urlparse(redirect.headers["Location"]).query)["X-Amz-Expires"] == ["900"]
    assert requests.get(redirect.headers["Location"], timeout=30).content.startswith(b"%PDF")


def test_created_finalized_in_one_call_with_an_idempotency_key(client: Client):
    body = {**INVOICE, "finalize": True}
    first = client.create(body, headers={"Idempotency-Key": "order-77"})
    again = client.create(body, headers={"Idempotency-Key": "order-77"})
    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"] == f"F{YEAR}-00001"
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_draft_preview_downloads_watermarked(client: Client):
    invoice_id = client.draft_id()
    redirect = client.request("GET", f"/v1/invoices/{invoice_id}/download", params={"locale": "en"})
    pdf = requests.get(redirect.headers["Location"], timeout=30)
    assert "DRAFT" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()


def test_the_openapi_document_needs_no_key(stack):
    response = Client(stack.url, None).request("GET", "/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Invoicing API"


def test_the_api_reference_is_a_page_that_needs_only_the_api(stack):
    page = Client(stack.url, None).request("GET", "/v1/docs")
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "SwaggerUIBundle" in page.text
    assert "<script src=" not in page.text, "its scripts are inlined: nothing loads from elsewhere"
    assert '"/v1/api-keys"' in page.text, "every route of the document, whichever function serves it"
    assert f'"servers": [{{"url": "{stack.url}"}}]' in page.text, "Try it out calls this API"


def test_the_cli_makes_a_tenant_on_the_local_stack(stack):
    environment = {**os.environ, **stack.client_environment()}
    result = subprocess.run(
        [sys.executable, "-m", "invoicing.cli", "tenant", "create", "--name", "ACME"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    api_key = json.loads(result.stdout)["api_key"]
    newcomer = Client(stack.url, api_key)
    assert newcomer.request("GET", "/v1/settings").status_code == 200
