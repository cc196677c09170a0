"""GET /v1/invoices/{id}/download through the download function's handler."""

import io
import json
from datetime import datetime
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

from pypdf import PdfReader

from tests.support.lambdas import Api, object_at, sample_event

INVOICE = json.loads(sample_event("create_invoice")["body"])
TODAY = datetime.now(ZoneInfo("Europe/Paris")).date()  # the tenant's calendar, not the machine's
YEAR = TODAY.year


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_finalized_invoice_redirects_to_its_pdf(api: Api):
    invoice_id = api.create(INVOICE, headers={}).json()["id"]
    api.finalize(invoice_id)
    response = api.download(invoice_id, format="pdf")
    assert response.status == 303
    location = response.headers["location"]
    assert parse_qs(urlparse(location).query)["X-Amz-Expires"] == ["900"]
    text = pdf_text(object_at(location))
    assert f"F{YEAR}-00001" in text
    assert "BROUILLON" not in text


def test_the_html_version_is_the_same_document(api: Api):
    invoice_id = api.create(INVOICE, headers={}).json()["id"]
    api.finalize(invoice_id)
    html = object_at(api.download(invoice_id, format="html").headers["location"]).decode()
    assert f"F{YEAR}-00001" in html
    assert "Librairie Martin SARL" in html


def test_another_locale_is_rendered_once_then_served(api: Api, aws_calls):
    invoice_id = api.create(INVOICE, headers={}).json()["id"]
    api.finalize(invoice_id)
    before = aws_calls["s3.PutObject"]
    first = api.download(invoice_id, format="pdf", locale="en")
    api.download(invoice_id, format="html", locale="en")
    assert aws_calls["s3.PutObject"] - before == 2
    assert urlparse(first.headers["location"]).path.endswith(f"F{YEAR}-00001.en.pdf")
    assert "Invoice No." in pdf_text(object_at(first.headers["location"]))


def test_a_draft_downloads_as_a_watermarked_preview(api: Api):
    invoice_id = api.create(INVOICE, headers={}).json()["id"]
    response = api.download(invoice_id)
    location = response.headers["location"]
    assert response.status == 303
    assert f"/previews/tenants/{api.tenant}/{invoice_id}/" in urlparse(location).path
    text = pdf_text(object_at(location))
    assert "BROUILLON" in text
    assert "Atelier Durand SAS" in text  # the seller as the settings hold it now


def test_an_unknown_format_or_locale_names_the_parameter(api: Api):
    invoice_id = api.create(INVOICE, headers={}).json()["id"]
    assert api.download(invoice_id, format="docx").error_fields == ["query.format"]
    assert api.download(invoice_id, locale="de").error_fields == ["query.locale"]
