"""A finalized document as an OASIS UBL 2.1 Invoice or CreditNote, customization EN 16931: the same
data as the CII, for the platforms that take UBL."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # builds XML; what is parsed goes through defusedxml  # nosec B405
from decimal import Decimal
from typing import Final

from invoicing.domain.model import Document
from invoicing.domain.parts import Address, Customer, PricedLine, Seller
from invoicing.domain.vat import MENTIONS
from invoicing.einvoice.cii import (
    EN16931_GUIDELINE,
    allowances_by_group,
    amount_text,
    decimal_text,
    line_figures,
)
from invoicing.einvoice.french_rules import business_process, notes

CAC: Final = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC: Final = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ROOTS: Final = {
    False: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    True: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
ET.register_namespace("cac", CAC)
ET.register_namespace("cbc", CBC)


def _el(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    prefix, local = name.split(":")
    element = ET.SubElement(parent, f"{{{CAC if prefix == 'cac' else CBC}}}{local}", attributes)
    if text is not None:
        element.text = text
    return element


def _money(parent: ET.Element, name: str, value: Decimal, currency: str) -> None:
    _el(parent, name, amount_text(value, currency), currencyID=currency)


def _tax_category(
    parent: ET.Element, name: str, category: str, rate: Decimal, document: Document | None
) -> None:
    tax = _el(parent, name)
    _el(tax, "cbc:ID", category)
    _el(tax, "cbc:Percent", decimal_text(rate))
    if document is not None and category in MENTIONS:
        _el(tax, "cbc:TaxExemptionReasonCode", MENTIONS[category][1])
        _el(tax, "cbc:TaxExemptionReason", MENTIONS[category][0])
    elif document is not None and category == "E":
        _el(tax, "cbc:TaxExemptionReason", document.vat_exemption or "Exonération")
    _el(_el(tax, "cac:TaxScheme"), "cbc:ID", "VAT")


def _address(parent: ET.Element, name: str, address: Address | None, country: str) -> None:
    postal = _el(parent, name)
    if address is not None:
        _el(postal, "cbc:StreetName", address.line1)
        if address.line2:
            _el(postal, "cbc:AdditionalStreetName", address.line2)
        _el(postal, "cbc:CityName", address.city)
        _el(postal, "cbc:PostalZone", address.postal_code)
    _el(_el(postal, "cac:Country"), "cbc:IdentificationCode", address.country if address else country)


def _party(parent: ET.Element, role: str, party: Seller | Customer, country: str) -> None:
    """A party with its electronic address (BT-34, BT-49), establishment and SIREN, each with its scheme."""
    element = _el(_el(parent, role), "cac:Party")
    address = party.receiving_address
    if address is not None:
        _el(element, "cbc:EndpointID", address.value, schemeID=address.scheme)
    if party.siret:
        _el(_el(element, "cac:PartyIdentification"), "cbc:ID", party.siret, schemeID="0009")
    _address(element, "cac:PostalAddress", party.address, country)
    if party.vat_number:
        scheme = _el(element, "cac:PartyTaxScheme")
        _el(scheme, "cbc:CompanyID", party.vat_number)
        _el(_el(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    legal = _el(element, "cac:PartyLegalEntity")
    _el(legal, "cbc:RegistrationName", party.name)
    siren = party.siren if isinstance(party, Seller) else party.french_siren
    if siren:
        _el(legal, "cbc:CompanyID", siren, schemeID="0002")
    if party.email:
        _el(_el(element, "cac:Contact"), "cbc:ElectronicMail", party.email)


def _line(root: ET.Element, position: int, line: PricedLine, document: Document, credit: bool) -> None:
    currency = document.currency
    figures = line_figures(line, currency)
    element = _el(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
    _el(element, "cbc:ID", str(position))
    if line.description:
        _el(element, "cbc:Note", line.description)
    _el(
        element,
        "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity",
        decimal_text(figures.quantity),
        unitCode=figures.unit,
    )
    _money(element, "cbc:LineExtensionAmount", figures.net, currency)
    allowance = figures.allowance
    if allowance != 0:
        charge = _el(element, "cac:AllowanceCharge")
        _el(charge, "cbc:ChargeIndicator", "false" if allowance > 0 else "true")
        _el(charge, "cbc:AllowanceChargeReason", "Remise" if allowance > 0 else "Majoration")
        _money(charge, "cbc:Amount", abs(allowance), currency)
    item = _el(element, "cac:Item")
    _el(item, "cbc:Name", line.title)
    _tax_category(item, "cac:ClassifiedTaxCategory", figures.category, figures.vat_rate, None)
    _el(_el(element, "cac:Price"), "cbc:PriceAmount", decimal_text(figures.price), currencyID=currency)


def _totals(root: ET.Element, document: Document) -> None:
    currency, totals = document.currency, document.totals
    for (rate, category), allowance in allowances_by_group(document).items():
        if allowance != 0:
            charge = _el(root, "cac:AllowanceCharge")
            _el(charge, "cbc:ChargeIndicator", "false")
            _el(charge, "cbc:AllowanceChargeReason", "Remise")
            _money(charge, "cbc:Amount", allowance, currency)
            _tax_category(charge, "cac:TaxCategory", category, rate, None)
    tax_total = _el(root, "cac:TaxTotal")
    _money(tax_total, "cbc:TaxAmount", totals.total_vat, currency)
    for vat in totals.vat:
        subtotal = _el(tax_total, "cac:TaxSubtotal")
        _money(subtotal, "cbc:TaxableAmount", vat.base, currency)
        _money(subtotal, "cbc:TaxAmount", vat.amount, currency)
        _tax_category(subtotal, "cac:TaxCategory", vat.category, vat.rate, document)
    if totals.total_vat_eur is not None:
        _money(_el(root, "cac:TaxTotal"), "cbc:TaxAmount", totals.total_vat_eur, "EUR")
    monetary = _el(root, "cac:LegalMonetaryTotal")
    _money(monetary, "cbc:LineExtensionAmount", totals.subtotal_excl_tax, currency)
    _money(monetary, "cbc:TaxExclusiveAmount", totals.total_excl_tax, currency)
    _money(monetary, "cbc:TaxInclusiveAmount", totals.total_incl_tax, currency)
    if totals.discount != 0:
        _money(monetary, "cbc:AllowanceTotalAmount", totals.discount, currency)
    if totals.amount_deposits != 0:
        _money(monetary, "cbc:PrepaidAmount", totals.amount_deposits, currency)
    if totals.rounding != 0:
        _money(monetary, "cbc:PayableRoundingAmount", totals.rounding, currency)
    _money(monetary, "cbc:PayableAmount", totals.payable, currency)


def ubl_xml(document: Document) -> bytes:
    """The finalized document as UBL 2.1 (Invoice, or CreditNote for a credit note), UTF-8."""
    if document.number is None or document.issue_date is None or document.seller is None:
        raise ValueError("only a finalized document is an e-invoice")
    credit = document.kind.credit
    root = ET.Element(f"{{{ROOTS[credit]}}}{'CreditNote' if credit else 'Invoice'}")
    _el(root, "cbc:CustomizationID", EN16931_GUIDELINE)
    if (framework := business_process(document)) is not None:
        _el(root, "cbc:ProfileID", framework)  # BT-23
    _el(root, "cbc:ID", document.number)
    _el(root, "cbc:IssueDate", document.issue_date.isoformat())
    if document.due_date is not None and not credit:
        _el(root, "cbc:DueDate", document.due_date.isoformat())
    _el(
        root,
        "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode",
        document.kind.type_code or "380",
    )
    for subject, text in notes(document):
        # UBL says a note's subject as its prefix; `#` only ever separates the two.
        _el(root, "cbc:Note", f"#{subject}#{text.replace('#', ' ')}")
    _el(root, "cbc:DocumentCurrencyCode", document.currency)
    if document.totals.total_vat_eur is not None:
        _el(root, "cbc:TaxCurrencyCode", "EUR")
    if document.seller.vat_on_debits or document.operation_nature == "services":
        # BT-8: VAT due at invoicing (3) for a seller taxed on debits, at payment (432) otherwise.
        _el(
            _el(root, "cac:InvoicePeriod"),
            "cbc:DescriptionCode",
            "3" if document.seller.vat_on_debits else "432",
        )
    references = [(document.corrects.number, document.corrects.issue_date)] if document.corrects else []
    references += [(deposit.number, deposit.issue_date) for deposit in document.deposits]
    for number, issued in references:
        reference = _el(_el(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        _el(reference, "cbc:ID", number)
        _el(reference, "cbc:IssueDate", issued.isoformat())
    country = document.seller.address.country
    _party(root, "cac:AccountingSupplierParty", document.seller, country)
    _party(root, "cac:AccountingCustomerParty", document.customer, country)
    intra_eu = any(vat.category == "K" for vat in document.totals.vat)
    ship_to = document.delivery_address or (document.customer.address if intra_eu else None)
    if document.delivery_date is not None or ship_to is not None:
        delivery = _el(root, "cac:Delivery")
        if document.delivery_date is not None:
            _el(delivery, "cbc:ActualDeliveryDate", document.delivery_date.isoformat())
        if ship_to is not None:
            _address(_el(delivery, "cac:DeliveryLocation"), "cac:Address", ship_to, country)
    if document.payment_terms == "0":
        _el(_el(root, "cac:PaymentTerms"), "cbc:Note", "Paiement à réception")
    _totals(root, document)
    for position, line in enumerate((line for line in document.lines if line.kind == "item"), start=1):
        _line(root, position, line, document, credit)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
