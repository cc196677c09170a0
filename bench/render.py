"""PDF rendering of 10 and 200 lines, against the same renderer on a one-line document."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bench.stats import median, timed
from invoicing.domain.documents import draft_document, freeze
from invoicing.domain.model import Document, DocumentContent
from invoicing.domain.parts import Seller
from invoicing.einvoice.cii import cii_xml
from invoicing.einvoice.pdf import facturx_pdf
from invoicing.rendering import render_html, render_pdf

SELLER = Seller.model_validate(
    {
        "name": "Atelier Durand SAS",
        "siren": "552100554",
        "vat_number": "FR96552100554",
        "address": {"line1": "4 place Bellecour", "postal_code": "69002", "city": "Lyon"},
    }
)
NOW = datetime(2026, 11, 21, tzinfo=UTC)


def document(lines: int) -> Document:
    content = DocumentContent.model_validate(
        {
            "customer": {"name": "Librairie Martin SARL", "siren": "732829320"},
            "lines": [
                {
                    "title": f"Article {i}",
                    "description": "Livre broché, édition 2026",
                    "quantity": str(i % 7 + 1),
                    "unit_price": f"{i % 90 + 9}.90",
                    "vat_rate": "5.5" if i % 3 else "20",
                }
                for i in range(lines)
            ],
        }
    )
    draft = draft_document(content, document_id="inv_bench", now=NOW)
    return freeze(
        draft, seller=SELLER, number="F2026-00001", issue_date=date(2026, 11, 21), default_terms="30", now=NOW
    )


def measure() -> list[tuple[str, str, str, str]]:
    render_pdf(render_html(document(1), "fr"))  # warm the fonts and templates once
    baseline = median(timed(lambda: render_pdf(render_html(document(1), "fr")), 15))
    rows = [("PDF render: 1 line (baseline)", f"{baseline * 1000:.0f} ms", "1.00", "")]
    for lines, repeat in ((10, 15), (200, 5)):
        doc = document(lines)
        seconds = median(timed(lambda doc=doc: render_pdf(render_html(doc, "fr")), repeat))
        pages = render_pdf(render_html(doc, "fr")).count(b"/Type /Page\n") or "?"
        rows.append(
            (
                f"PDF render: {lines} lines",
                f"{seconds * 1000:.0f} ms",
                f"{seconds / baseline:.2f}",
                f"{pages} page(s)",
            )
        )
    return rows + _facturx()


def _facturx() -> list[tuple[str, str, str, str]]:
    """What making the e-invoice adds to a plain rendering: the CII XML and the PDF/A-3 around it."""
    rows = []
    for lines in (1, 200):
        doc = document(lines)
        repeat = 15 if lines == 1 else 5
        plain = median(timed(lambda doc=doc: render_pdf(render_html(doc, "fr")), repeat))
        both = median(
            timed(lambda doc=doc: facturx_pdf(render_pdf(render_html(doc, "fr")), cii_xml(doc), doc), repeat)
        )
        rows += [
            (f"PDF render, {lines} line(s) (baseline)", f"{plain * 1000:.0f} ms", "1.00", ""),
            (
                f"Factur-X PDF/A-3 with its CII XML, {lines} line(s)",
                f"{both * 1000:.0f} ms",
                f"{both / plain:.2f}",
                f"XML {len(cii_xml(doc)) // 1000} KB",
            ),
        ]
    return rows
