"""E-invoices between French businesses, and to businesses abroad, checked as an approved platform
checks them on deposit: the XSD, the EN 16931 schematron and the French rules (BR-FR, FNFE-MPE
release 1.4), for CII and UBL alike, over the cases French sellers meet."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from devserver.validation import french_rule_failures, schematron_failures, xsd_errors
from invoicing.domain.credit_notes import corrected, credit_note_content
from invoicing.domain.deposits import deduct_deposits
from invoicing.domain.documents import draft_document, freeze
from invoicing.domain.model import Document, DocumentContent
from invoicing.domain.parts import CreditNoteRef
from invoicing.domain.payments import settled
from invoicing.einvoice.cii import NAMESPACES, cii_xml
from invoicing.einvoice.ubl import ubl_xml
from tests.support.documents import BUYER, EXEMPT, ISSUED, NOW, SELLER, finalized, line

FOREIGN_BUYER = {
    "name": "Buchhandlung Müller GmbH",
    "vat_number": "DE136695976",
    "email": "rechnungen@mueller.example",
    "address": {"line1": "Hauptstraße 1", "postal_code": "10115", "city": "Berlin", "country": "DE"},
}


def frozen(draft: Document, number: str) -> Document:
    return freeze(draft, seller=SELLER, number=number, issue_date=ISSUED, default_terms="30", now=NOW)


def final_invoice(number: str, deposits: list[Document], price: str = "1000") -> Document:
    content = DocumentContent.model_validate(
        {
            "customer": BUYER,
            "operation_nature": "services",
            "lines": [line("Projet", price, "20")],
            "deposit_ids": [deposit.id for deposit in deposits],
        }
    )
    draft = draft_document(content, document_id=f"inv_{number}", now=NOW)
    return frozen(deduct_deposits(draft, deposits), number)


def credit_note(
    invoice: Document, number: str, selection: list[tuple[int, Decimal | None]] | None
) -> Document:
    draft = draft_document(credit_note_content(invoice, selection), document_id=f"inv_{number}", now=NOW)
    return frozen(draft.model_copy(update={"corrects": corrected(invoice), "reason": "Erreur"}), number)


DEPOSIT = finalized("F2026-00010", type="deposit", lines=[line("Acompte de 30 %", "300", "20")])
CREDITED_DEPOSIT = settled(
    DEPOSIT.model_copy(update={"id": "inv_deposit_credited"}),
    [],
    [
        CreditNoteRef(
            id="inv_cn", number="AV2026-00003", amount=Decimal("120.00"), issue_date=date(2026, 11, 5)
        )
    ],
)
INVOICE = finalized(
    "F2026-00020",
    operation_nature="goods",
    lines=[line("Livres", "18.99", "5.5", quantity="3"), line("Affiche", "24", "20")],
)
# Every case the platform receives (processing rule B2B) and what it is e-reported as abroad (B2BInt).
CASES: dict[str, tuple[Document, str]] = {
    "services at 20 %": (finalized(), "S1"),
    "goods at three rates": (
        finalized(
            operation_nature="goods",
            lines=[
                line("Chaise", "120", "20"),
                line("Livres", "18.99", "5.5", quantity="3"),
                line("Journal", "1.20", "2.1", quantity="30"),
            ],
        ),
        "B1",
    ),
    "goods and services": (
        finalized(operation_nature="mixed", lines=[line("Poêle", "2400", "20"), line("Pose", "600", "10")]),
        "M1",
    ),
    "goods delivered elsewhere": (
        finalized(
            operation_nature="goods",
            delivery_date="2026-11-19",
            delivery_address={"line1": "Entrepôt 3, ZI Nord", "postal_code": "93200", "city": "Saint-Denis"},
        ),
        "B1",
    ),
    "deposit invoice": (DEPOSIT, "S1"),
    "final invoice deducting the deposit": (final_invoice("F2026-00011", [DEPOSIT]), "S4"),
    "final invoice deducting a partly credited deposit": (
        final_invoice("F2026-00012", [CREDITED_DEPOSIT]),
        "S4",
    ),
    "credit note of a whole invoice": (credit_note(INVOICE, "AV2026-00001", None), "B1"),
    "credit note of one line": (credit_note(INVOICE, "AV2026-00002", [(0, Decimal(1))]), "B1"),
    "domestic reverse charge (subcontracting in construction)": (
        finalized(
            lines=[line("Gros œuvre", "15000", "0", vat_category="AE")],
            notes="Autoliquidation, art. 283-2 nonies du CGI",
        ),
        "S1",
    ),
    "exempt training (art. 261-4-4°)": (
        finalized(
            lines=[line("Formation", "1500", "0")], vat_exemption="Exonération de TVA, art. 261-4-4° du CGI"
        ),
        "S1",
    ),
    "franchise en base": (
        finalized(lines=[line("Cours de piano", "40", "0", quantity="4")], vat_exemption=EXEMPT),
        "S1",
    ),
    "in US dollars, VAT also in euros": (finalized(currency="USD", exchange_rate="0.92"), "S1"),
    "line discounts": (
        finalized(
            lines=[
                line("Licence", "49.90", "20", quantity="7", discount={"type": "percent", "value": "15"}),
                line("Support", "300", "20", discount={"type": "amount", "value": "25"}),
            ]
        ),
        "S1",
    ),
    "document discount over two rates": (
        finalized(
            operation_nature="mixed",
            lines=[line("Conseil", "800", "20"), line("Livres", "120", "5.5")],
            discount={"type": "amount", "value": "50"},
        ),
        "M1",
    ),
    "sub-cent unit prices": (
        finalized(lines=[line("SMS", "0.0125", "20", quantity="3000", unit="SMS")]),
        "S1",
    ),
    "hours and days": (
        finalized(
            lines=[
                line("Développement", "95", "20", quantity="12.5", unit="h"),
                line("Audit", "900", "20", quantity="2", unit="jours"),
            ]
        ),
        "S1",
    ),
    "both establishments, a directory address with the SIRET": (
        finalized(
            customer=BUYER
            | {"siret": "73282932000074", "electronic_address": {"value": "732829320_73282932000074"}},
            seller=SELLER.model_copy(update={"siret": "55210055400005"}),
        ),
        "S1",
    ),
    "a buyer known by its VAT number alone": (
        finalized(customer=BUYER | {"siren": None, "vat_number": "FR44732829320"}),
        "S1",
    ),
    "seller taxed on debits, late penalty rate of its own": (
        finalized(
            seller=SELLER.model_copy(update={"vat_on_debits": True, "late_penalty_rate": Decimal("12")})
        ),
        "S1",
    ),
    "Corsica at 13 % and overseas at 8.5 %": (
        finalized(operation_nature="goods", lines=[line("Vin", "30", "13"), line("Rhum", "25", "8.5")]),
        "B1",
    ),
    "a credit line within an invoice": (
        finalized(lines=[line("Abonnement", "120", "20"), line("Avoir sur mois précédent", "-20", "20")]),
        "S1",
    ),
    "in English": (finalized(language="en", notes="Thank you for your business"), "S1"),
    "intra-EU supply of goods, abroad": (
        finalized(
            customer=FOREIGN_BUYER,
            operation_nature="goods",
            delivery_date="2026-11-18",
            lines=[{"title": "Presse", "unit_price": "9800", "vat_code": "intracom"}],
        ),
        "B1",
    ),
    "services to a business abroad (reverse charge)": (
        finalized(customer=FOREIGN_BUYER, lines=[line("Conseil", "1500", "0", vat_category="AE")]),
        "S1",
    ),
    "export outside the EU": (
        finalized(
            customer={
                "name": "Acme Inc.",
                "email": "ap@acme.example",
                "vat_number": "GB123456789",
                "address": {
                    "line1": "1 Main St",
                    "postal_code": "10001",
                    "city": "New York",
                    "country": "US",
                },
            },
            operation_nature="goods",
            lines=[{"title": "Machine", "unit_price": "12000", "vat_code": "extracom"}],
        ),
        "B1",
    ),
}


def test_the_corpus_covers_twenty_cases_the_platform_receives():
    rules = [document.e_invoicing.processing_rule for document, _ in CASES.values() if document.e_invoicing]
    assert rules.count("B2B") >= 20
    assert "B2BInt" in rules


@pytest.mark.parametrize("syntax", ["cii", "ubl"])
@pytest.mark.parametrize("case", list(CASES))
def test_every_case_passes_the_xsd_en16931_and_the_french_rules(case, syntax):
    document, _ = CASES[case]
    xml = cii_xml(document) if syntax == "cii" else ubl_xml(document)
    assert xsd_errors(xml) == []
    assert schematron_failures(xml) == []
    assert french_rule_failures(xml) == []


@pytest.mark.parametrize("case", list(CASES))
def test_the_billing_framework_follows_the_nature_and_the_deposits(case):
    document, framework = CASES[case]
    root = etree.fromstring(cii_xml(document))
    found = root.findtext(
        "rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID",
        namespaces=NAMESPACES,
    )
    assert found == framework
    assert (
        etree.fromstring(ubl_xml(document)).findtext(
            "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}ProfileID"
        )
        == framework
    )


def test_a_domestic_b2b_invoice_says_its_flow_its_mentions_and_where_it_goes():
    document, _ = CASES["services at 20 %"]
    root = etree.fromstring(cii_xml(document))
    notes = {
        note.findtext("ram:SubjectCode", namespaces=NAMESPACES): note.findtext(
            "ram:Content", namespaces=NAMESPACES
        )
        for note in root.iterfind("rsm:ExchangedDocument/ram:IncludedNote", NAMESPACES)
    }
    assert notes["BAR"] == "B2B"
    assert "40 €" in notes["PMT"]
    assert "trois fois le taux d'intérêt légal" in notes["PMD"]
    assert notes["AAB"] == "Pas d'escompte pour paiement anticipé."
    agreement = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
    buyer = root.find(f"{agreement}/ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID", NAMESPACES)
    seller = root.find(
        f"{agreement}/ram:SellerTradeParty/ram:URIUniversalCommunication/ram:URIID", NAMESPACES
    )
    assert (buyer.get("schemeID"), buyer.text) == ("0225", "732829320")
    assert (seller.get("schemeID"), seller.text) == ("0225", "552100554")


def test_without_the_nature_of_the_operation_the_platform_would_refuse_it():
    document = finalized().model_copy(update={"operation_nature": None})
    assert any(failure.startswith("BR-FR-08") for failure in french_rule_failures(cii_xml(document)))
    assert any(failure.startswith("BR-FR-08") for failure in french_rule_failures(ubl_xml(document)))
