"""E-reporting flows (FRR, flux 10 of the AIFE external specifications, annex 6) as a seller sends
them to its platform: a `Report` whose `ReportDocument` names it (IN for the first transmission of
a period, RE for a corrective one that replaces it) and the seller, then either

- a `TransactionsReport`: an `Invoice` record per invoice to a business abroad (10.1) and a
  `Transactions` block per day, currency, category and VAT rate of consumer sales (10.3), or
- a `PaymentsReport`: an `Invoice` per invoice paid by a business abroad (10.2) and a
  `Transactions` block per day of consumer collections (10.4).

Dates are written YYYYMMDD and amounts to the currency's minor unit, as the published examples do.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # builds XML; what is parsed goes through defusedxml  # nosec B405
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Final

from invoicing.domain.e_invoicing import billing_framework
from invoicing.domain.e_reporting import (
    PaymentRow,
    PeriodContent,
    PeriodState,
    ReportedInvoice,
    ReportedPayment,
    TransactionRow,
)
from invoicing.domain.parts import Seller
from invoicing.einvoice.cii import amount_text, decimal_text

SIREN_SCHEME: Final = "0002"
# How a business abroad is identified (French CIUS, ICD): by its EU VAT number, or from outside the EU.
EU_BUYER_SCHEME: Final = "0223"
NON_EU_BUYER_SCHEME: Final = "0227"
EU_COUNTRIES: Final = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
EREPORTING_PROCESS: Final = "urn.cpro.gouv.fr:1p0:ereporting"
_NATURE_OF_CATEGORY: Final = {"TLB1": "goods", "TPS1": "services"}


def _add(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, name, attributes)
    if text is not None:
        element.text = text
    return element


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


class FrrReports:
    def report(
        self,
        seller: Seller,
        state: PeriodState,
        content: PeriodContent,
        *,
        report_id: str,
        corrective: bool,
        now: datetime,
    ) -> bytes:
        root = ET.Element("Report")
        document = _add(root, "ReportDocument")
        _add(document, "Id", report_id)
        _add(_add(document, "IssueDateTime"), "DateTimeString", now.astimezone(UTC).strftime("%Y%m%d%H%M%S"))
        _add(document, "TypeCode", "RE" if corrective else "IN")
        for role, element in (("SE", "Sender"), ("SE", "Issuer")):
            party = _add(document, element)
            _add(party, "Id", seller.siren, schemeId=SIREN_SCHEME)
            _add(party, "Name", seller.name)
            _add(party, "RoleCode", role)
            if seller.email:
                _add(_add(party, "URIUniversalCommunication"), "URIID", seller.email)
        period = state.period
        if period.kind == "transactions":
            body = _add(root, "TransactionsReport")
            _period(body, period.start, period.end)
            for invoice in content.invoices:
                _invoice(body, seller, invoice)
            for row in content.transactions:
                _transactions(body, row)
        else:
            body = _add(root, "PaymentsReport")
            _period(body, period.start, period.end)
            for paid in content.paid_invoices:
                _paid_invoice(body, paid)
            by_day: dict[date, list[PaymentRow]] = defaultdict(list)
            for payment in content.payments:
                by_day[payment.day].append(payment)
            for day, rows in sorted(by_day.items()):
                _collections(body, day, rows)
        ET.indent(root)
        return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _period(parent: ET.Element, start: date, end: date) -> None:
    period = _add(parent, "ReportPeriod")
    _add(period, "StartDate", _day(start))
    _add(period, "EndDate", _day(end))


def _invoice(parent: ET.Element, seller: Seller, invoice: ReportedInvoice) -> None:
    """An invoice to a business abroad (10.1): the invoice's own data, but no lines."""
    element = _add(parent, "Invoice")
    currency = invoice.currency
    _add(element, "ID", invoice.number)
    _add(element, "IssueDate", _day(invoice.issue_date))
    _add(element, "TypeCode", invoice.type_code)
    _add(element, "CurrencyCode", currency)
    if invoice.due_date:
        _add(element, "DueDate", _day(invoice.due_date))
    process = _add(element, "BusinessProcess")
    nature = _NATURE_OF_CATEGORY.get(invoice.category, "goods")
    _add(
        process,
        "ID",
        billing_framework("services" if nature == "services" else "goods", deducts_deposits=False),
    )
    _add(process, "TypeID", EREPORTING_PROCESS)
    seller_element = _add(element, "Seller")
    _add(seller_element, "CompanyId", seller.siren, schemeId=SIREN_SCHEME)
    if seller.vat_number:
        _add(seller_element, "TaxRegistrationId", seller.vat_number, qualifyingId="VAT")
    _add(_add(seller_element, "PostalAddress"), "CountryId", seller.address.country)
    buyer = _add(element, "Buyer")
    if invoice.buyer_vat_number:
        scheme = EU_BUYER_SCHEME if invoice.buyer_country in EU_COUNTRIES else NON_EU_BUYER_SCHEME
        _add(buyer, "CompanyId", invoice.buyer_vat_number, schemeId=scheme)
        _add(buyer, "TaxRegistrationId", invoice.buyer_vat_number, qualifyingId="VAT")
    _add(buyer, "Name", invoice.buyer_name)
    _add(_add(buyer, "PostalAddress"), "CountryId", invoice.buyer_country)
    if invoice.delivery_date:
        _add(_add(element, "Delivery"), "Date", _day(invoice.delivery_date))
    totals = _add(element, "MonetaryTotal")
    _add(totals, "TaxExclusiveAmount", amount_text(invoice.total_excl_tax, currency))
    _add(totals, "TaxAmount", amount_text(invoice.total_vat, currency), CurrencyCode=currency)
    for subtotal in invoice.subtotals:
        tax = _add(element, "TaxSubTotal")
        _add(tax, "TaxableAmount", amount_text(subtotal.base, currency))
        _add(tax, "TaxAmount", amount_text(subtotal.vat, currency))
        category = _add(tax, "TaxCategory")
        _add(category, "Code", subtotal.category)
        _add(category, "Percent", decimal_text(subtotal.vat_rate))
        if subtotal.exemption_reason:
            _add(category, "TaxExemptionReason", subtotal.exemption_reason)
        if subtotal.exemption_code:
            _add(category, "TaxExemptionReasonCode", subtotal.exemption_code)


def _transactions(parent: ET.Element, row: TransactionRow) -> None:
    """A day's consumer sales in one currency, category and rate (10.3)."""
    element = _add(parent, "Transactions")
    _add(element, "Date", _day(row.day))
    _add(element, "TransactionsCurrency", row.currency)
    _add(element, "CategoryCode", row.category)
    _add(element, "TaxExclusiveAmount", amount_text(row.base, row.currency))
    _add(element, "TaxTotal", amount_text(row.vat, row.currency))
    _add(element, "TransactionsCount", str(row.documents))
    subtotal = _add(element, "TaxSubtotal")
    _add(subtotal, "TaxPercent", decimal_text(row.vat_rate))
    _add(subtotal, "TaxableAmount", amount_text(row.base, row.currency))
    _add(subtotal, "TaxTotal", amount_text(row.vat, row.currency))


def _subtotals(parent: ET.Element, rate: Decimal, currency: str, amount: Decimal) -> None:
    subtotals = _add(parent, "SubTotals")
    _add(subtotals, "TaxPercent", decimal_text(rate))
    _add(subtotals, "CurrencyCode", currency)
    _add(subtotals, "Amount", amount_text(amount, currency))


def _paid_invoice(parent: ET.Element, paid: ReportedPayment) -> None:
    """A collection from a business abroad, per VAT rate (10.2)."""
    element = _add(parent, "Invoice")
    _add(element, "InvoiceID", paid.number)
    _add(element, "IssueDate", _day(paid.issue_date))
    payment = _add(element, "Payment")
    _add(payment, "Date", _day(paid.paid_on))
    for share in paid.amounts:
        _subtotals(payment, share.vat_rate, paid.currency, share.amount)


def _collections(parent: ET.Element, day: date, rows: list[PaymentRow]) -> None:
    """A day's consumer collections, per VAT rate and currency (10.4)."""
    payment = _add(_add(parent, "Transactions"), "Payment")
    _add(payment, "Date", _day(day))
    for row in sorted(rows, key=lambda row: (row.currency, row.vat_rate)):
        _subtotals(payment, row.vat_rate, row.currency, row.amount)
