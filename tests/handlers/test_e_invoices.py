"""Finalized invoices are e-invoices: the stored PDF is a Factur-X PDF/A-3 whose embedded XML passes
the official checks, and the CII XML is downloadable on its own; drafts and quotes are not."""

from __future__ import annotations

import io
import json
import os
from urllib.parse import urlparse

import boto3
import facturx
import pytest
from botocore.exceptions import ClientError
from pypdf import PdfReader

from devserver.validation import schematron_failures, xsd_errors
from tests.support.einvoice_checks import fonts_embedded
from tests.support.lambdas import Api, sample_event

INVOICE = json.loads(sample_event("create_invoice")["body"])


def stored(url: str) -> bytes:
    key = urlparse(url).path.lstrip("/")
    return boto3.client("s3").get_object(Bucket=os.environ["DOCUMENTS_BUCKET"], Key=key)["Body"].read()


def test_the_pdf_is_a_factur_x_pdf_a3_with_valid_en16931_xml(api: Api):
    invoice = api.create(INVOICE | {"finalize": True}, headers={}).json()
    pdf = stored(invoice["links"]["pdf"])
    name, xml = facturx.get_xml_from_pdf(pdf, check_xsd=False)
    assert name == "factur-x.xml"
    assert xsd_errors(xml) == []
    assert schematron_failures(xml) == []
    assert stored(invoice["links"]["cii"]) == xml
    ubl = stored(invoice["links"]["ubl"])
    assert xsd_errors(ubl) == []
    assert schematron_failures(ubl) == []
    reader = PdfReader(io.BytesIO(pdf))
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]
    assert intent.get_object()["/S"] == "/GTS_PDFA1"
    assert len(intent.get_object()["/DestOutputProfile"].get_object().get_data()) > 0
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in xmp
    assert "EN 16931" in xmp
    assert invoice["number"].encode() in xml
    assert fonts_embedded(reader)


def test_facturx_and_cii_downloads(api: Api):
    invoice = api.create(INVOICE | {"finalize": True}, headers={}).json()
    facturx_pdf = api.download(invoice["id"], format="facturx")
    assert (facturx_pdf.status, urlparse(facturx_pdf.headers["location"]).path.endswith(".pdf")) == (
        303,
        True,
    )
    cii = api.download(invoice["id"], format="cii")
    assert stored(cii.headers["location"]).startswith(b"<?xml")
    draft = api.create(INVOICE, headers={}).json()
    refused = api.download(draft["id"], format="cii")
    assert (refused.status, refused.json()["error"]["code"]) == (409, "not_finalized")


def test_a_quote_is_no_e_invoice(api: Api):
    quote = api.quotes(
        "POST", body=json.loads(sample_event("create_quote")["body"]) | {"finalize": True}
    ).json()
    assert quote["links"]["cii"] is None
    pdf = stored(quote["links"]["pdf"])
    assert "/AF" not in PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    refused = api.quotes("GET", f"/{quote['id']}/download", format="cii")
    assert (refused.status, refused.json()["error"]["code"]) == (409, "not_e_invoice")


def test_finalized_files_are_under_object_lock_and_cannot_be_deleted(api: Api):
    invoice = api.create(INVOICE | {"finalize": True}, headers={}).json()
    s3 = boto3.client("s3")
    bucket = os.environ["DOCUMENTS_BUCKET"]
    for fmt in ("pdf", "html", "cii", "ubl"):
        key = urlparse(invoice["links"][fmt]).path.lstrip("/")
        head = s3.head_object(Bucket=bucket, Key=key)
        assert head["ObjectLockMode"] == "COMPLIANCE"
        assert head["ObjectLockRetainUntilDate"].year == int(invoice["issue_date"][:4]) + 10
        with pytest.raises(ClientError) as refused:
            s3.delete_object(Bucket=bucket, Key=key, VersionId=head["VersionId"])
        assert refused.value.response["Error"]["Code"] == "AccessDenied"
    draft = api.create(INVOICE, headers={}).json()
    preview = urlparse(api.download(draft["id"]).headers["location"]).path.lstrip("/")
    assert "ObjectLockMode" not in s3.head_object(Bucket=bucket, Key=preview)
