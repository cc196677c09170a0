"""E-reporting flows (FRR) as we send them: a period with every category, international invoices
and collections, passing the structure the AIFE's specifications and published flows show (the
e-reporting XSD is not published where this machine can reach it)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from lxml import etree

from devserver.validation import frr_failures
from invoicing.domain.e_invoicing import CollectedAmount
from invoicing.domain.e_reporting import (
    PaymentRow,
    PeriodContent,
    PeriodState,
    ReportedInvoice,
    ReportedPayment,
    TaxSubtotal,
    TransactionRow,
)
from invoicing.domain.reporting_calendar import period_of
from invoicing.einvoice.frr import FrrReports
from tests.support.documents import SELLER

NOW = datetime(2026, 12, 20, 1, 30, tzinfo=UTC)
DAY = date(2026, 12, 3)
TRANSACTIONS = PeriodState(period_of("normal_monthly", "transactions", DAY), revision=6)
PAYMENTS = PeriodState(period_of("normal_monthly", "payments", DAY), revision=2)
EVERY_CATEGORY = tuple(
    TransactionRow(DAY, "EUR", category, Decimal(rate), Decimal(base), Decimal(vat), count)
    for category, rate, base, vat, count in [
        ("TLB1", "20", "1250.00", "250.00", 31),
        ("TLB1", "5.5", "-10.00", "-0.55", 1),
        ("TPS1", "10", "300.00", "30.00", 4),
        ("TNT1", "0", "89.90", "0.00", 2),
        ("TMA1", "0", "450.00", "0.00", 1),
    ]
)
ABROAD = ReportedInvoice(
    document_id="inv_1",
    number="F2026-00042",
    issue_date=DAY,
    type_code="380",
    currency="EUR",
    due_date=date(2027, 1, 2),
    buyer_name="Libreria Rossi Srl",
    buyer_vat_number="IT04119190371",
    buyer_country="IT",
    category="TNT1",
    total_excl_tax=Decimal("1000.00"),
    total_vat=Decimal("0.00"),
    subtotals=[
        TaxSubtotal(
            category="AE",
            vat_rate=Decimal(0),
            base=Decimal("1000.00"),
            vat=Decimal("0.00"),
            exemption_code="VATEX-EU-AE",
            exemption_reason="Autoliquidation",
        )
    ],
)


def report(state: PeriodState, content: PeriodContent, *, corrective: bool = False) -> bytes:
    return FrrReports().report(SELLER, state, content, report_id="r-1", corrective=corrective, now=NOW)


def test_a_transactions_period_with_every_category_and_a_sale_abroad_is_well_formed():
    xml = report(TRANSACTIONS, PeriodContent(transactions=EVERY_CATEGORY, invoices=(ABROAD,)))
    assert frr_failures(xml) == []
    root = etree.fromstring(xml)
    assert root.findtext("ReportDocument/TypeCode") == "IN"
    assert root.findtext("ReportDocument/Issuer/Id") == SELLER.siren
    assert root.findtext("TransactionsReport/ReportPeriod/StartDate") == "20261201"
    assert root.findtext("TransactionsReport/ReportPeriod/EndDate") == "20261210"
    blocks = root.findall("TransactionsReport/Transactions")
    assert [block.findtext("CategoryCode") for block in blocks] == ["TLB1", "TLB1", "TPS1", "TNT1", "TMA1"]
    assert [block.findtext("TransactionsCount") for block in blocks] == ["31", "1", "4", "2", "1"]
    assert blocks[1].findtext("TaxExclusiveAmount") == "-10.00"
    assert blocks[0].findtext("TaxSubtotal/TaxPercent") == "20"
    invoice = root.find("TransactionsReport/Invoice")
    assert invoice is not None
    assert invoice.findtext("Buyer/CompanyId") == "IT04119190371"
    assert invoice.find("Buyer/CompanyId").get("schemeId") == "0223"
    assert invoice.findtext("TaxSubTotal/TaxCategory/TaxExemptionReasonCode") == "VATEX-EU-AE"


def test_a_corrective_transmission_says_so():
    xml = report(TRANSACTIONS, PeriodContent(transactions=EVERY_CATEGORY), corrective=True)
    assert etree.fromstring(xml).findtext("ReportDocument/TypeCode") == "RE"
    assert frr_failures(xml) == []


def test_a_payments_period_reports_consumer_days_and_each_invoice_paid_from_abroad():
    rows = (
        PaymentRow(DAY, "EUR", Decimal(20), Decimal("240.00"), 3),
        PaymentRow(DAY, "EUR", Decimal(10), Decimal("55.00"), 1),
        PaymentRow(date(2026, 12, 9), "USD", Decimal(20), Decimal("12.00"), 1),
    )
    paid = ReportedPayment(
        document_id="inv_1",
        number="F2026-00042",
        issue_date=date(2026, 11, 28),
        paid_on=DAY,
        currency="EUR",
        amounts=[CollectedAmount(vat_rate=Decimal(20), amount=Decimal("60.00"))],
    )
    xml = report(PAYMENTS, PeriodContent(payments=rows, paid_invoices=(paid,)))
    assert frr_failures(xml) == []
    root = etree.fromstring(xml)
    days = root.findall("PaymentsReport/Transactions/Payment")
    assert [day.findtext("Date") for day in days] == ["20261203", "20261209"]
    assert [sub.findtext("Amount") for sub in days[0].findall("SubTotals")] == ["55.00", "240.00"]
    assert root.findtext("PaymentsReport/Invoice/InvoiceID") == "F2026-00042"
    assert root.findtext("PaymentsReport/Invoice/Payment/SubTotals/Amount") == "60.00"


@pytest.mark.parametrize(
    ("change", "failure"),
    [
        (
            lambda root: root.find("TransactionsReport/Transactions/CategoryCode").__setattr__(
                "text", "TXX1"
            ),
            "CategoryCode",
        ),
        (
            lambda root: root.find("TransactionsReport/Transactions/Date").__setattr__("text", "20261215"),
            "outside",
        ),
        (
            lambda root: root.find("TransactionsReport/Transactions/TaxTotal").__setattr__("text", "1.00"),
            "TaxTotal",
        ),
        (lambda root: root.find("ReportDocument/TypeCode").__setattr__("text", "XX"), "TypeCode"),
        (
            lambda root: root.find("TransactionsReport/Invoice").remove(
                root.find("TransactionsReport/Invoice/Buyer")
            ),
            "Buyer",
        ),
        (
            lambda root: root.find("TransactionsReport/Transactions").insert(
                0, root.find("TransactionsReport/Transactions/TransactionsCount")
            ),
            "out of order",
        ),
    ],
)
def test_the_structure_check_catches_what_a_platform_would_refuse(change, failure):
    root = etree.fromstring(
        report(TRANSACTIONS, PeriodContent(transactions=EVERY_CATEGORY, invoices=(ABROAD,)))
    )
    change(root)
    failures = frr_failures(etree.tostring(root))
    assert any(failure in text for text in failures), failures
