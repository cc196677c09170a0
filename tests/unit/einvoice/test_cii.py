"""CII XML of finalized documents, checked as a receiving platform would: the Factur-X EN 16931 XSD
and the official schematron, over the cases French invoices meet."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import facturx
import pytest
from lxml import etree
from pypdf import PdfReader

from devserver.validation import schematron_failures, xsd_errors
from invoicing.domain.deposits import deduct_deposits
from invoicing.domain.documents import draft_document, freeze
from invoicing.domain.model import Document, DocumentContent
from invoicing.domain.parts import CorrectedInvoice
from invoicing.einvoice.cii import NAMESPACES, cii_xml
from invoicing.einvoice.pdf import facturx_pdf
from invoicing.einvoice.ubl import ubl_xml
from invoicing.rendering import render_html, render_pdf
from tests.support.documents import BUYER, EXEMPT, NOW, SELLER, finalized, line
from tests.support.einvoice_checks import fonts_embedded

DEPOSIT = finalized("F2026-00007", type="deposit", lines=[line("Acompte 30 %", "300", "20")])
CASES: dict[str, Document] = {
    "one line at 20 %": finalized(),
    "three rates": finalized(
        lines=[
            line("Conseil", "1234.56", "20"),
            line("Repas", "45.10", "10"),
            line("Livres", "18.99", "5.5", quantity="3"),
        ]
    ),
    "press at 2.1 %": finalized(lines=[line("Journal", "1.20", "2.1", quantity="30")]),
    "line discount in percent": finalized(
        lines=[line("Licence", "49.90", "20", quantity="7", discount={"type": "percent", "value": "15"})]
    ),
    "line discount in amount": finalized(
        lines=[line("Licence", "49.90", "20", quantity="3", discount={"type": "amount", "value": "10"})]
    ),
    "document discount over two rates": finalized(
        lines=[line("Conseil", "800", "20"), line("Livres", "120", "5.5")],
        discount={"type": "percent", "value": "10"},
    ),
    "document discount of an amount": finalized(
        lines=[line("Conseil", "800", "20"), line("Livres", "120", "5.5")],
        discount={"type": "amount", "value": "50"},
    ),
    "sub-cent unit prices": finalized(lines=[line("SMS", "0.0125", "20", quantity="3000", unit="SMS")]),
    "hours and days": finalized(
        lines=[
            line("Développement", "95", "20", quantity="12.5", unit="h"),
            line("Audit", "900", "20", quantity="2", unit="jours"),
        ]
    ),
    "franchise en base (exempt)": finalized(
        lines=[line("Cours de piano", "40", "0", quantity="4")], vat_exemption=EXEMPT
    ),
    "exempt and standard lines": finalized(
        lines=[line("Formation", "500", "0"), line("Support", "80", "20")],
        vat_exemption="Exonération de TVA, art. 261-4-4° du CGI",
    ),
    "credit note": finalized("AV2026-00001", type="credit_note").model_copy(
        update={
            "corrects": CorrectedInvoice(id="inv_x", number="F2026-00001", issue_date=date(2026, 11, 2)),
            "reason": "Erreur de prix",
        }
    ),
    "deposit invoice": DEPOSIT,
    "final invoice deducting a deposit": freeze(
        deduct_deposits(
            draft_document(
                DocumentContent.model_validate(
                    {"customer": BUYER, "lines": [line("Projet", "1000", "20")], "deposit_ids": [DEPOSIT.id]}
                ),
                document_id="inv_final",
                now=NOW,
            ),
            [DEPOSIT],
        ),
        seller=SELLER,
        number="F2026-00008",
        issue_date=date(2026, 11, 21),
        default_terms="30",
        now=NOW,
    ),
    "delivery date and notes": finalized(delivery_date="2026-11-15", notes="Merci de votre confiance <&>"),
    "buyer without VAT number": finalized(
        customer={
            "name": "Jean Dupont",
            "address": {"line1": "1 rue", "postal_code": "44000", "city": "Nantes"},
        }
    ),
    "shop rounding amount": finalized(lines=[line("Tasse", "12.42", "20", quantity="3")]).model_copy(
        update={
            "totals": finalized(lines=[line("Tasse", "12.42", "20", quantity="3")]).totals.model_copy(
                update={"rounding": Decimal("0.01"), "amount_due": Decimal("44.72")}
            )
        }
    ),
    "reverse charge (autoliquidation)": finalized(
        customer=BUYER | {"vat_number": "DE136695976", "address": BUYER["address"] | {"country": "DE"}},
        lines=[line("Conseil", "1500", "0", vat_category="AE")],
    ),
    "intra-EU supply of goods": finalized(
        customer=BUYER | {"vat_number": "DE136695976", "address": BUYER["address"] | {"country": "DE"}},
        delivery_date="2026-11-18",
        lines=[{"title": "Presse", "unit_price": "9800", "vat_code": "intracom"}],
    ),
    "export outside the EU": finalized(
        customer={
            "name": "Acme Inc.",
            "address": {"line1": "1 Main St", "postal_code": "10001", "city": "New York", "country": "US"},
        },
        lines=[{"title": "Machine", "unit_price": "12000", "vat_code": "extracom"}],
    ),
    "Pennylane codes and a zero-rated line": finalized(
        lines=[
            {"title": "Conseil", "unit_price": "100", "vat_code": "FR_200"},
            {"title": "Livre", "unit_price": "20", "vat_code": "FR_55"},
            {"title": "Don", "unit_price": "5", "vat_code": "FR_0"},
        ]
    ),
    "services, VAT on receipts (2026 mentions)": finalized(operation_nature="services"),
    "goods delivered elsewhere": finalized(
        operation_nature="goods",
        delivery_date="2026-11-19",
        delivery_address={"line1": "Entrepôt 3, ZI Nord", "postal_code": "93200", "city": "Saint-Denis"},
    ),
    "seller taxed on debits": finalized(
        operation_nature="services", seller=SELLER.model_copy(update={"vat_on_debits": True})
    ),
    "in US dollars, VAT also in euros": finalized(currency="USD", exchange_rate="0.92"),
    "SIRET of both establishments": finalized(
        customer=BUYER | {"siret": "73282932000009"},
        seller=SELLER.model_copy(update={"siret": "55210055400005"}),
    ),
    "consumer without an address (country taken as France)": finalized(customer={"name": "Jeanne Martin"}),
    "negative line (a credit within an invoice)": finalized(
        lines=[line("Abonnement", "120", "20"), line("Avoir sur mois précédent", "-20", "20")]
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_factur_x_pdf_carries_xml_passing_the_xsd_and_the_en16931_schematron(case):
    document = CASES[case]
    pdf = facturx_pdf(render_pdf(render_html(document, document.language)), cii_xml(document), document)
    name, xml = facturx.get_xml_from_pdf(pdf, check_xsd=False)
    assert name == "factur-x.xml"
    assert xsd_errors(xml) == []
    assert schematron_failures(xml) == []
    reader = PdfReader(io.BytesIO(pdf))
    assert fonts_embedded(reader)
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]
    assert intent.get_object()["/S"] == "/GTS_PDFA1"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in xmp
    assert "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in xmp


@pytest.mark.parametrize("case", list(CASES))
def test_the_ubl_passes_the_xsd_and_the_en16931_schematron(case):
    xml = ubl_xml(CASES[case])
    assert xsd_errors(xml) == []
    assert schematron_failures(xml) == []


def test_the_xml_says_the_documents_own_figures():
    document = CASES["final invoice deducting a deposit"]
    root = etree.fromstring(cii_xml(document))

    def text(path: str) -> str:
        return str(root.findtext(path, namespaces=NAMESPACES))

    summation = (
        "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
        "/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
    )
    assert text("rsm:ExchangedDocument/ram:ID") == "F2026-00008"
    assert text(f"{summation}/ram:GrandTotalAmount") == "1200.00"
    assert text(f"{summation}/ram:TotalPrepaidAmount") == "360.00"
    assert text(f"{summation}/ram:DuePayableAmount") == "840.00"


def test_a_broken_ubl_total_is_caught_too():
    xml = ubl_xml(CASES["three rates"]).replace(
        b'<cbc:PayableAmount currencyID="EUR">', b'<cbc:PayableAmount currencyID="EUR">1', 1
    )
    assert xsd_errors(xml) == []
    assert any(failure.startswith("BR-CO-16") for failure in schematron_failures(xml))


def test_a_broken_total_is_caught_by_the_schematron():
    xml = cii_xml(CASES["three rates"]).replace(b"<ram:GrandTotalAmount>", b"<ram:GrandTotalAmount>1", 1)
    assert xsd_errors(xml) == []
    assert any(failure.startswith("BR-CO-15") for failure in schematron_failures(xml))
