"""The services' Renderer port: a document as people read it (HTML, and the PDF made from it) and
as machines do (CII and UBL XML, and the Factur-X PDF that carries the CII)."""

from __future__ import annotations

from invoicing.domain.model import AnyDocument, Document
from invoicing.domain.parts import Language
from invoicing.einvoice.cii import cii_xml
from invoicing.einvoice.pdf import facturx_pdf
from invoicing.einvoice.ubl import ubl_xml
from invoicing.rendering.html import render_html
from invoicing.rendering.pdf import render_pdf


class DocumentRenderer:
    def html(self, document: AnyDocument, locale: Language, *, preview: bool = False) -> str:
        return render_html(document, locale, preview=preview)

    def pdf(self, html: str) -> bytes:
        return render_pdf(html)

    def cii(self, document: Document) -> bytes:
        return cii_xml(document)

    def ubl(self, document: Document) -> bytes:
        return ubl_xml(document)

    def facturx(self, pdf: bytes, cii: bytes, document: Document) -> bytes:
        return facturx_pdf(pdf, cii, document)
