"""Rendering: one escaped template, French and English formats, embedded fonts, no outside resource."""

import html as html_text
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from invoicing.domain.documents import draft_document, freeze
from invoicing.domain.model import DocumentContent
from invoicing.domain.parts import Seller
from invoicing.rendering import render_html, render_pdf
from invoicing.rendering.pdf import RefusedResource, resolve_asset
from invoicing.rendering.view import Formatter

ASSETS = Path(__file__).resolve().parents[3] / "layers/shared/invoicing/rendering/assets"

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
SELLER = Seller.model_validate(
    {
        "name": "Atelier Durand SAS",
        "legal_form": "SAS",
        "share_capital": "5 000 €",
        "siren": "552100554",
        "vat_number": "FR96552100554",
        "address": {"line1": "4 place Bellecour", "postal_code": "69002", "city": "Lyon"},
    }
)
HOSTILE = '<img src="file:///etc/passwd"><script>alert(1)</script>'


def document(customer: dict | None = None, **fields):
    content = DocumentContent.model_validate(
        {
            "customer": customer or {"name": f"ACME {HOSTILE}", "siren": "732829320"},
            "lines": [
                {"title": f"Conseil {HOSTILE}", "unit_price": "1234.56", "vat_rate": "20"},
                {
                    "title": "Livres",
                    "unit_price": "0.0125",
                    "quantity": "3000",
                    "vat_rate": "5.5",
                    "unit": "SMS",
                },
            ],
            "payment_terms": "30",
        }
        | fields
    )
    draft = draft_document(content, document_id="inv_1", now=NOW)
    return draft, freeze(
        draft, seller=SELLER, number="F2026-00042", issue_date=date(2026, 11, 21), default_terms="30", now=NOW
    )


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_french_and_english_money_dates_and_rates():
    fr, en = Formatter("fr", "EUR"), Formatter("en", "EUR")
    assert fr.money(Decimal("1234.56")) == "1\u202f234,56\xa0€"
    assert en.money(Decimal("1234.56")) == "€1,234.56"
    assert fr.unit_price(Decimal("0.0125")) == "0,0125\xa0€"
    assert fr.rate(Decimal("5.5")) == "5,5\xa0%"
    assert fr.day(date(2026, 11, 21)) == "21 novembre 2026"
    assert en.day(date(2026, 11, 21)) == "21 November 2026"


def test_user_text_is_escaped_never_markup():
    _, final = document()
    html = render_html(final, "fr")
    assert "<script>" not in html
    assert '<img src="file' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_final_document_carries_the_legal_mentions():
    _, final = document()
    text = html_text.unescape(render_html(final, "fr"))
    for mention in (
        "Facture N° F2026-00042",
        "SIREN 552100554",
        "FR96552100554",
        "SAS",
        "au capital de 5 000 €",
        "21 décembre 2026",
        "40\u00a0€",
        "trois fois le taux d'intérêt légal",
        "Pas d'escompte",
        "TVA 20\xa0% sur 1\u202f234,56\xa0€",
        "Net à payer",
    ):
        assert mention in text, mention
    assert "BROUILLON" not in text


def test_consumers_get_no_b2b_penalty_mention_and_english_documents_are_in_english():
    _, final = document(customer={"name": "Jean Dupont"}, language="en")
    text = html_text.unescape(render_html(final, "en"))
    assert "Invoice No. F2026-00042" in text
    assert "40 EUR" not in text
    assert "Total incl. VAT" in text


def test_english_documents_follow_english_typography():
    _, final = document(language="en")
    text = html_text.unescape(render_html(final, "en"))
    assert "Issue date: 21 November 2026" in text
    assert "Due date: 21 December 2026" in text
    assert " :" not in text.replace("\u00a0:", " :").split("</style>", 1)[1]  # no French colon anywhere
    assert "a fixed recovery indemnity of €40" in text
    assert "€1,234.56" in text


def test_an_exemption_mention_appears_when_set():
    _, final = document(vat_exemption="TVA non applicable, art. 293 B du CGI")
    assert "art. 293 B du CGI" in render_html(final, "fr")


def test_reverse_charge_and_exports_print_their_legal_mention():
    buyer = {"name": "Weber GmbH", "vat_number": "DE136695976"}
    _, final = document(
        buyer,
        lines=[
            {"title": "Conseil", "unit_price": "900", "vat_code": "reverse_charge"},
            {"title": "Machine", "unit_price": "100", "vat_code": "extracom"},
        ],
    )
    html = render_html(final, "fr")
    assert "Autoliquidation" in html
    assert "Exonération de TVA, article 262 I du CGI" in html


def test_the_2026_mentions_are_printed():
    _, final = document(
        operation_nature="services",
        delivery_address={"line1": "Entrepôt 3", "postal_code": "93200", "city": "Saint-Denis"},
    )
    html = render_html(
        final.model_copy(update={"seller": SELLER.model_copy(update={"vat_on_debits": True})}), "fr"
    )
    # French typography: a no-break space before the colon.
    assert "Nature de l&#39;opération\u00a0: prestation de services" in html
    assert "Adresse de livraison\u00a0: Entrepôt 3, 93200 Saint-Denis" in html
    assert "d&#39;après les débits" in html


def test_an_invoice_in_dollars_gives_its_vat_in_euros():
    _, final = document(currency="USD", exchange_rate="0.92")
    assert final.totals.total_vat_eur == (final.totals.total_vat * Decimal("0.92")).quantize(Decimal("0.01"))
    html = render_html(final, "fr")
    assert "Taux de change\u00a0: 1 USD = 0,92" in html
    assert "TVA en euros" in html


def test_a_shops_rounding_amount_is_shown_not_hidden():
    _, final = document()
    totals = final.totals.model_copy(
        update={"rounding": Decimal("0.01"), "amount_due": final.totals.amount_due + Decimal("0.01")}
    )
    html = render_html(final.model_copy(update={"totals": totals}), "fr")
    assert "Arrondi" in html
    assert "0,01" in html
    assert "Arrondi" not in render_html(final, "fr")


def test_a_draft_preview_is_watermarked_and_numberless():
    draft, _ = document()
    text = pdf_text(render_pdf(render_html(draft, "fr", preview=True)))
    assert "BROUILLON" in text
    assert "F2026" not in text


def test_the_pdf_embeds_its_unicode_font_and_shows_french_amounts():
    _, final = document()
    pdf = render_pdf(render_html(final, "fr"))
    reader = PdfReader(io.BytesIO(pdf))
    fonts = []
    for page in reader.pages:
        for reference in page["/Resources"]["/Font"].values():
            font = reference.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert descriptor is not None, f"{font['/BaseFont']} is not embedded"
            fonts.append((str(font["/BaseFont"]), "/FontFile2" in descriptor.get_object()))
    assert fonts
    assert all(embedded for _, embedded in fonts), fonts
    assert any("DejaVu" in name for name, _ in fonts)
    text = pdf_text(pdf)
    assert "F2026-00042" in text
    assert "1 521,03" in text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.mark.parametrize(
    "uri",
    [
        "file:///etc/passwd",
        "/etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/x.png",
        "asset:../../../etc/passwd",
        "asset:DejaVu-LICENSE.txt",
        "data:image/png;base64,AAAA",
    ],
)
def test_the_renderer_resolves_no_outside_resource(uri):
    with pytest.raises(RefusedResource):
        resolve_asset(uri)


def test_markup_that_reaches_the_pdf_renderer_still_cannot_fetch():
    with pytest.raises(RefusedResource):
        render_pdf('<html><body><img src="file:///etc/passwd"></body></html>')
    with pytest.raises(RefusedResource):
        render_pdf(
            '<html><head><style>@import url("http://169.254.169.254/");</style></head><body>x</body></html>'
        )


def test_shipped_fonts_resolve():
    assert resolve_asset("asset:DejaVuSans.ttf").endswith("DejaVuSans.ttf")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_pdf_line_headers_fit_their_columns(language: str):
    """No two headers of the lines' table overlap on the page ("Unit price excl. VAT" once ran into
    "VAT"); a header may wrap onto a second line within its column."""
    _, final = document(language=language)
    page = PdfReader(io.BytesIO(render_pdf(render_html(final, language)))).pages[0]
    pdfmetrics.registerFont(TTFont("HeaderTest-Bold", str(ASSETS / "DejaVuSans-Bold.ttf")))
    fragments: list[tuple[float, float, float, float, str]] = []

    def seen(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x, y, height = tm[4] + cm[4], tm[5] * cm[3] + cm[5], size * tm[0] * cm[0]
            width = pdfmetrics.stringWidth(text.strip(), "HeaderTest-Bold", height)
            fragments.append((y, x, x + width, height, text.strip()))

    page.extract_text(visitor_text=seen)
    quantity = next(f for f in fragments if f[4] == {"fr": "Qté", "en": "Qty"}[language])
    header = [f for f in fragments if abs(f[0] - quantity[0]) <= 20 and f[1] >= quantity[1] - 1]
    assert len(header) >= 4, header
    for i, (y, start, end, height, _) in enumerate(header):
        for other_y, other_start, other_end, _, _ in header[i + 1 :]:
            same_line = abs(y - other_y) < 0.9 * height
            assert not (same_line and start < other_end and other_start < end), header
