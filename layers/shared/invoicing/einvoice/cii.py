"""A finalized document as UN/CEFACT Cross Industry Invoice XML, Factur-X profile EN 16931.

Every amount is the document's own (totals are computed once, in the domain); this module only
says them in the order and with the codes the standard asks: type codes 380 (invoice), 381 (credit
note), 386 (deposit invoice); VAT categories S (standard) and E (exempt, with the document's
exemption mention); the deposits deducted as the prepaid amount (BT-113) and a shop's rounding as
the rounding amount (BT-114).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # builds XML; what is parsed goes through defusedxml  # nosec B405
from datetime import date
from decimal import Decimal
from typing import Final, NamedTuple

from invoicing.domain.errors import BrokenInvariant
from invoicing.domain.model import Document
from invoicing.domain.money import round_money
from invoicing.domain.parts import Address, ElectronicAddress, PricedLine
from invoicing.domain.vat import default_category, exemption
from invoicing.einvoice.french_rules import business_process, notes

NAMESPACES: Final = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)

EN16931_GUIDELINE = "urn:cen.eu:en16931:2017"
# UN/ECE Recommendation 20 codes for the units people write on French invoices; one (C62) otherwise.
UNIT_CODES: Final = {
    "h": "HUR",
    "heure": "HUR",
    "heures": "HUR",
    "hour": "HUR",
    "hours": "HUR",
    "j": "DAY",
    "jour": "DAY",
    "jours": "DAY",
    "day": "DAY",
    "days": "DAY",
    "mois": "MON",
    "month": "MON",
    "months": "MON",
    "kg": "KGM",
    "g": "GRM",
    "m": "MTR",
    "m2": "MTK",
    "m²": "MTK",
    "l": "LTR",
    "km": "KMT",
    "t": "TNE",
}


def qualified(namespaces: dict[str, str], name: str) -> str:
    """`prefix:local` as ElementTree names it, `{namespace}local`."""
    prefix, local = name.split(":")
    return f"{{{namespaces[prefix]}}}{local}"


def add_element(
    namespaces: dict[str, str], parent: ET.Element, name: str, text: str | None, attributes: dict[str, str]
) -> ET.Element:
    element = ET.SubElement(parent, qualified(namespaces, name), attributes)
    if text is not None:
        element.text = text
    return element


def _tag(name: str) -> str:
    return qualified(NAMESPACES, name)


def _add(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    return add_element(NAMESPACES, parent, name, text, attributes)


def amount_text(value: Decimal, currency: str) -> str:
    """An amount to the currency's minor unit, as both syntaxes write it."""
    return str(round_money(value, currency))


def _date(parent: ET.Element, name: str, value: date, *, qualified: bool = False) -> None:
    wrapper = _add(parent, name)
    _add(
        wrapper,
        "qdt:DateTimeString" if qualified else "udt:DateTimeString",
        value.strftime("%Y%m%d"),
        format="102",
    )


def decimal_text(value: Decimal) -> str:
    """A quantity, price or rate without trailing zeros or an exponent."""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


class LineFigures(NamedTuple):
    """What both syntaxes (CII, UBL) state of a priced line."""

    price: Decimal  # the net unit price, never negative: a credit line says so with its quantity
    quantity: Decimal
    unit: str  # its UN/ECE Recommendation 20 code
    vat_rate: Decimal
    category: str
    net: Decimal  # the line's total excl. tax
    allowance: Decimal  # what the line's discount takes off quantity x price (negative: a surcharge)


def line_figures(line: PricedLine, currency: str) -> LineFigures:
    if line.unit_price is None or line.vat_rate is None or line.total_excl_tax is None:
        raise BrokenInvariant(f"line {line.title[:50]!r} is not priced")
    sign = Decimal(-1) if line.unit_price < 0 else Decimal(1)
    price, quantity = line.unit_price * sign, line.quantity * sign
    return LineFigures(
        price=price,
        quantity=quantity,
        unit=UNIT_CODES.get((line.unit or "").strip().casefold(), "C62"),
        vat_rate=line.vat_rate,
        category=line.vat_category or default_category(line.vat_rate),
        net=line.total_excl_tax,
        allowance=round_money(quantity * price, currency) - line.total_excl_tax,
    )


def _address(parent: ET.Element, address: Address | None, *, country: str | None = None) -> None:
    """The postal address; with none known, only `country` (the buyer of a French shop who gave no
    address: finalize-check warns of it)."""
    if address is None:
        if country is not None:
            _add(_add(parent, "ram:PostalTradeAddress"), "ram:CountryID", country)
        return
    postal = _add(parent, "ram:PostalTradeAddress")
    _add(postal, "ram:PostcodeCode", address.postal_code)
    _add(postal, "ram:LineOne", address.line1)
    if address.line2:
        _add(postal, "ram:LineTwo", address.line2)
    _add(postal, "ram:CityName", address.city)
    _add(postal, "ram:CountryID", address.country)


def _line(transaction: ET.Element, position: int, line: PricedLine, currency: str) -> None:
    figures = line_figures(line, currency)
    item = _add(transaction, "ram:IncludedSupplyChainTradeLineItem")
    document = _add(item, "ram:AssociatedDocumentLineDocument")
    _add(document, "ram:LineID", str(position))
    if line.description:
        note = _add(document, "ram:IncludedNote")
        _add(note, "ram:Content", line.description)
    product = _add(item, "ram:SpecifiedTradeProduct")
    _add(product, "ram:Name", line.title)
    agreement = _add(item, "ram:SpecifiedLineTradeAgreement")
    net_price = _add(agreement, "ram:NetPriceProductTradePrice")
    _add(net_price, "ram:ChargeAmount", decimal_text(figures.price))
    delivery = _add(item, "ram:SpecifiedLineTradeDelivery")
    _add(delivery, "ram:BilledQuantity", decimal_text(figures.quantity), unitCode=figures.unit)
    settlement = _add(item, "ram:SpecifiedLineTradeSettlement")
    tax = _add(settlement, "ram:ApplicableTradeTax")
    _add(tax, "ram:TypeCode", "VAT")
    _add(tax, "ram:CategoryCode", figures.category)
    _add(tax, "ram:RateApplicablePercent", decimal_text(figures.vat_rate))
    allowance = figures.allowance
    if allowance != 0:
        charge = _add(settlement, "ram:SpecifiedTradeAllowanceCharge")
        indicator = _add(charge, "ram:ChargeIndicator")
        _add(indicator, "udt:Indicator", "false" if allowance > 0 else "true")
        _add(charge, "ram:ActualAmount", amount_text(abs(allowance), currency))
        _add(charge, "ram:Reason", "Remise" if allowance > 0 else "Majoration")
    summation = _add(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    _add(summation, "ram:LineTotalAmount", amount_text(figures.net, currency))


def _contact(party: ET.Element, email: str | None) -> None:
    """The party's contact email (BT-43, BT-58)."""
    if email:
        contact = _add(party, "ram:DefinedTradeContact")
        _add(_add(contact, "ram:EmailURIUniversalCommunication"), "ram:URIID", email)


def _electronic_address(party: ET.Element, address: ElectronicAddress | None) -> None:
    if address is not None:
        contact = _add(party, "ram:URIUniversalCommunication")
        _add(contact, "ram:URIID", address.value, schemeID=address.scheme)


def _parties(transaction: ET.Element, document: Document) -> None:
    if document.seller is None:
        raise ValueError("only a finalized document is an e-invoice")
    seller, buyer = document.seller, document.customer
    agreement = _add(transaction, "ram:ApplicableHeaderTradeAgreement")
    party = _add(agreement, "ram:SellerTradeParty")
    if seller.siret:
        _add(party, "ram:GlobalID", seller.siret, schemeID="0009")  # BT-29, the invoicing establishment
    _add(party, "ram:Name", seller.name)
    legal = _add(party, "ram:SpecifiedLegalOrganization")
    _add(legal, "ram:ID", seller.siren, schemeID="0002")
    _contact(party, seller.email)
    _address(party, seller.address)
    _electronic_address(party, seller.receiving_address)  # BT-34
    if seller.vat_number:
        registration = _add(party, "ram:SpecifiedTaxRegistration")
        _add(registration, "ram:ID", seller.vat_number, schemeID="VA")
    party = _add(agreement, "ram:BuyerTradeParty")
    if buyer.siret:
        _add(party, "ram:GlobalID", buyer.siret, schemeID="0009")  # BT-46
    _add(party, "ram:Name", buyer.name)
    if (siren := buyer.french_siren) is not None:
        legal = _add(party, "ram:SpecifiedLegalOrganization")
        _add(legal, "ram:ID", siren, schemeID="0002")  # BT-47
    _contact(party, buyer.email)
    _address(party, buyer.address, country=seller.address.country)
    _electronic_address(party, buyer.receiving_address)  # BT-49
    if buyer.vat_number:
        registration = _add(party, "ram:SpecifiedTaxRegistration")
        _add(registration, "ram:ID", buyer.vat_number, schemeID="VA")


def allowances_by_group(document: Document) -> dict[tuple[Decimal, str], Decimal]:
    """The document discount as the domain spread it over the VAT groups: line nets less the base."""
    nets: dict[tuple[Decimal, str], Decimal] = {}
    for line in document.lines:
        if line.kind == "item" and line.vat_rate is not None and line.total_excl_tax is not None:
            group = (line.vat_rate.normalize(), line.vat_category or default_category(line.vat_rate))
            nets[group] = nets.get(group, Decimal(0)) + line.total_excl_tax
    return {
        (vat.rate.normalize(), vat.category): nets.get((vat.rate.normalize(), vat.category), Decimal(0))
        - vat.base
        for vat in document.totals.vat
    }


def _vat_due_date_type(document: Document) -> str | None:
    """When VAT falls due (BT-8): at invoicing for a seller that opted for debits (5), at payment for
    services otherwise (72); goods say nothing, VAT being due at delivery."""
    if document.seller is None:
        raise BrokenInvariant("document.seller is missing")
    if document.seller.vat_on_debits:
        return "5"
    return "72" if document.operation_nature == "services" else None


def _vat_breakdown(settlement: ET.Element, document: Document) -> None:
    """BG-23 per category and rate, then the document allowances per group (BG-20)."""
    currency, totals = document.currency, document.totals
    for vat in totals.vat:
        tax = _add(settlement, "ram:ApplicableTradeTax")
        _add(tax, "ram:CalculatedAmount", amount_text(vat.amount, currency))
        _add(tax, "ram:TypeCode", "VAT")
        reason, code = exemption(vat.category, document.vat_exemption)
        if reason is not None:
            _add(tax, "ram:ExemptionReason", reason)
        _add(tax, "ram:BasisAmount", amount_text(vat.base, currency))
        _add(tax, "ram:CategoryCode", vat.category)
        if code is not None:
            _add(tax, "ram:ExemptionReasonCode", code)
        if vat.category == "S" and (due_type := _vat_due_date_type(document)) is not None:
            _add(tax, "ram:DueDateTypeCode", due_type)
        _add(tax, "ram:RateApplicablePercent", decimal_text(vat.rate))
    for (rate, category), allowance in allowances_by_group(document).items():
        if allowance == 0:
            continue
        charge = _add(settlement, "ram:SpecifiedTradeAllowanceCharge")
        indicator = _add(charge, "ram:ChargeIndicator")
        _add(indicator, "udt:Indicator", "false")
        _add(charge, "ram:ActualAmount", amount_text(allowance, currency))
        _add(charge, "ram:Reason", "Remise")
        tax = _add(charge, "ram:CategoryTradeTax")
        _add(tax, "ram:TypeCode", "VAT")
        _add(tax, "ram:CategoryCode", category)
        _add(tax, "ram:RateApplicablePercent", decimal_text(rate))


def _summation(settlement: ET.Element, document: Document) -> None:
    currency, totals = document.currency, document.totals
    summation = _add(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _add(summation, "ram:LineTotalAmount", amount_text(totals.subtotal_excl_tax, currency))
    if totals.discount != 0:
        _add(summation, "ram:AllowanceTotalAmount", amount_text(totals.discount, currency))
    _add(summation, "ram:TaxBasisTotalAmount", amount_text(totals.total_excl_tax, currency))
    _add(summation, "ram:TaxTotalAmount", amount_text(totals.total_vat, currency), currencyID=currency)
    if totals.total_vat_eur is not None:
        _add(summation, "ram:TaxTotalAmount", amount_text(totals.total_vat_eur, "EUR"), currencyID="EUR")
    if totals.rounding != 0:
        _add(summation, "ram:RoundingAmount", amount_text(totals.rounding, currency))
    _add(summation, "ram:GrandTotalAmount", amount_text(totals.total_incl_tax, currency))
    if totals.amount_deposits != 0:
        _add(summation, "ram:TotalPrepaidAmount", amount_text(totals.amount_deposits, currency))
    _add(summation, "ram:DuePayableAmount", amount_text(totals.payable, currency))


def _settlement(transaction: ET.Element, document: Document) -> None:
    settlement = _add(transaction, "ram:ApplicableHeaderTradeSettlement")
    if document.totals.total_vat_eur is not None:
        _add(settlement, "ram:TaxCurrencyCode", "EUR")  # BT-6: VAT accounted in euros
    _add(settlement, "ram:InvoiceCurrencyCode", document.currency)
    _vat_breakdown(settlement, document)
    if document.due_date is not None or document.payment_terms is not None:
        terms = _add(settlement, "ram:SpecifiedTradePaymentTerms")
        if document.payment_terms == "0":
            _add(terms, "ram:Description", "Paiement à réception")
        if document.due_date is not None:
            _date(terms, "ram:DueDateDateTime", document.due_date)
    _summation(settlement, document)
    references = [(document.corrects.number, document.corrects.issue_date)] if document.corrects else []
    references += [(deposit.number, deposit.issue_date) for deposit in document.deposits]
    for number, issued in references:
        referenced = _add(settlement, "ram:InvoiceReferencedDocument")
        _add(referenced, "ram:IssuerAssignedID", number)
        _date(referenced, "ram:FormattedIssueDateTime", issued, qualified=True)


def cii_xml(document: Document) -> bytes:
    """The finalized document as Factur-X EN 16931 XML, UTF-8."""
    if document.number is None or document.issue_date is None or document.seller is None:
        raise ValueError("only a finalized document is an e-invoice")
    root = ET.Element(_tag("rsm:CrossIndustryInvoice"))
    context = _add(root, "rsm:ExchangedDocumentContext")
    if (framework := business_process(document)) is not None:
        _add(_add(context, "ram:BusinessProcessSpecifiedDocumentContextParameter"), "ram:ID", framework)
    guideline = _add(context, "ram:GuidelineSpecifiedDocumentContextParameter")
    _add(guideline, "ram:ID", EN16931_GUIDELINE)
    header = _add(root, "rsm:ExchangedDocument")
    _add(header, "ram:ID", document.number)
    _add(header, "ram:TypeCode", document.kind.type_code or "380")
    _date(header, "ram:IssueDateTime", document.issue_date)
    for subject, text in notes(document):
        note = _add(header, "ram:IncludedNote")
        _add(note, "ram:Content", text)
        _add(note, "ram:SubjectCode", subject)
    transaction = _add(root, "rsm:SupplyChainTradeTransaction")
    items = [line for line in document.lines if line.kind == "item"]
    for position, line in enumerate(items, start=1):
        _line(transaction, position, line, document.currency)
    _parties(transaction, document)
    delivery = _add(transaction, "ram:ApplicableHeaderTradeDelivery")
    intra_eu = any(vat.category == "K" for vat in document.totals.vat)
    ship_to_address = document.delivery_address or (document.customer.address if intra_eu else None)
    if ship_to_address is not None:
        # Where the goods went (BG-15); an intra-EU supply always says it (BR-IC-12).
        ship_to = _add(delivery, "ram:ShipToTradeParty")
        _add(ship_to, "ram:Name", document.customer.name)
        _address(ship_to, ship_to_address)
    if document.delivery_date is not None:
        event = _add(delivery, "ram:ActualDeliverySupplyChainEvent")
        _date(event, "ram:OccurrenceDateTime", document.delivery_date)
    _settlement(transaction, document)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
