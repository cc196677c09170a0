"""The rendered PDF made a Factur-X (profile EN 16931) PDF/A-3: an sRGB output intent, then the CII
XML attached as factur-x.xml with the XMP metadata that identifies it, by the factur-x package."""

from __future__ import annotations

import io
from functools import cache

import facturx
from PIL import ImageCms
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from invoicing.domain.errors import BrokenInvariant
from invoicing.domain.model import Document

SRGB = "sRGB IEC61966-2.1"


@cache
def _srgb_profile() -> bytes:
    return bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())


def with_output_intent(pdf: bytes) -> bytes:
    """PDF/A wants the colour space of what is printed declared: sRGB, the one xhtml2pdf draws in."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    profile = DecodedStreamObject()
    profile.set_data(_srgb_profile())
    profile[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject(SRGB),
            NameObject("/Info"): TextStringObject(SRGB),
            NameObject("/DestOutputProfile"): writer._add_object(profile),
        }
    )
    writer._root_object[NameObject("/OutputIntents")] = ArrayObject([intent])
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def facturx_pdf(pdf: bytes, xml: bytes, document: Document) -> bytes:
    if document.seller is None:
        raise BrokenInvariant("document.seller is missing")
    metadata = {
        "author": document.seller.name,
        "keywords": "Factur-X, EN 16931",
        "title": f"{document.seller.name}: {document.number}",
        "subject": f"{document.number} ({document.type})",
    }
    return bytes(
        facturx.generate_from_binary(
            with_output_intent(pdf),
            xml,
            flavor="factur-x",
            level="en16931",
            check_xsd=False,  # the tests hold every case against the XSD and the schematron
            pdf_metadata=metadata,
            lang=document.language,
        )
    )
