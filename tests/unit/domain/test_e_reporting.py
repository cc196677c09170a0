"""What a document brings to its e-reporting periods: consumer sales as day rows by category and
rate (credit notes negative), sales to businesses abroad one record each, and collections of
services taxed on receipts."""

from datetime import UTC, date, datetime
from decimal import Decimal

from invoicing.domain.e_reporting import (
    PaymentRow,
    TransactionRow,
    payment_contribution,
    transactions_contribution,
)
from invoicing.domain.parts import Payment
from tests.support.documents import ISSUED, SELLER, finalized, line

CONSUMER = {
    "name": "Camille Petit",
    "address": {"line1": "3 rue Vieille", "postal_code": "13001", "city": "Marseille"},
}
GERMAN_CONSUMER = {
    "name": "Jonas Weber",
    "address": {"line1": "Hauptstraße 5", "postal_code": "10115", "city": "Berlin", "country": "DE"},
}
ITALIAN_COMPANY = {
    "name": "Libreria Rossi Srl",
    "vat_number": "IT04119190371",
    "address": {"line1": "Via Crispi 226", "postal_code": "90139", "city": "Palermo", "country": "IT"},
}


def payment(amount: str, day: date = date(2026, 12, 3)) -> Payment:
    return Payment(
        id="pay_1",
        amount=Decimal(amount),
        date=day,
        method="card",
        recorded_at=datetime(2026, 12, 3, tzinfo=UTC),
    )


def test_a_consumer_invoice_gives_a_row_per_category_and_rate_of_its_day():
    invoice = finalized(
        customer=CONSUMER,
        operation_nature="mixed",
        lines=[
            line("Lampe", "40", "20", nature="goods"),
            line("Pose", "60", "20", nature="services"),
            line("Livre", "10", "5.5", nature="goods"),
        ],
    )
    contribution = transactions_contribution(invoice)
    assert contribution is not None
    assert contribution.key == invoice.id
    assert contribution.period.id == "transactions-2026-11-21"
    assert contribution.rows == (
        TransactionRow(ISSUED, "EUR", "TLB1", Decimal("5.5"), Decimal("10.00"), Decimal("0.55"), 1),
        TransactionRow(ISSUED, "EUR", "TLB1", Decimal(20), Decimal("40.00"), Decimal("8.00"), 1),
        TransactionRow(ISSUED, "EUR", "TPS1", Decimal(20), Decimal("60.00"), Decimal("12.00"), 1),
    )


def test_a_credit_note_nets_into_its_own_day():
    note = finalized("AV2026-00001", type="credit_note", customer=CONSUMER, operation_nature="goods")
    contribution = transactions_contribution(note)
    assert contribution is not None
    assert contribution.rows == (
        TransactionRow(ISSUED, "EUR", "TLB1", Decimal(20), Decimal("-100.00"), Decimal("-20.00"), 1),
    )


def test_a_distance_sale_taxed_in_the_buyers_country_and_an_export_are_not_taxable_in_france():
    german = finalized(customer=GERMAN_CONSUMER, operation_nature="goods", lines=[line("Lampe", "100", "19")])
    export = finalized(
        customer=CONSUMER
        | {"address": {"line1": "1 Main St", "postal_code": "10001", "city": "New York", "country": "US"}},
        operation_nature="goods",
        lines=[line("Lampe", "100", "0", vat_code="extracom")],
    )
    for document in (german, export):
        contribution = transactions_contribution(document)
        assert contribution is not None
        assert [row.category for row in contribution.rows] == ["TNT1"]


def test_a_sale_to_a_business_abroad_is_one_record_with_its_buyer():
    invoice = finalized(
        customer=ITALIAN_COMPANY, lines=[line("Conseil", "1000", "0", vat_code="reverse_charge")]
    )
    contribution = transactions_contribution(invoice)
    assert contribution is not None
    assert contribution.rows == ()
    record = contribution.record
    assert record is not None
    assert (record.number, record.buyer_vat_number, record.buyer_country) == (
        "F2026-00001",
        "IT04119190371",
        "IT",
    )
    assert [(tax.category, tax.base, tax.exemption_code) for tax in record.subtotals] == [
        ("AE", Decimal("1000.00"), "VATEX-EU-AE")
    ]


def test_french_businesses_and_drafts_are_not_reported():
    assert transactions_contribution(finalized()) is None  # e-invoiced instead
    assert (
        transactions_contribution(finalized(customer=CONSUMER).model_copy(update={"status": "draft"})) is None
    )


def test_only_services_taxed_on_receipts_report_their_collections():
    services = finalized(customer=CONSUMER, operation_nature="services")
    contribution = payment_contribution(services, payment("120.00"))
    assert contribution is not None
    assert contribution.key == f"{services.id}:pay_1"
    assert contribution.period.id == "payments-2026-12-01"
    assert contribution.rows == (PaymentRow(date(2026, 12, 3), "EUR", Decimal(20), Decimal("120.00"), 1),)

    goods = finalized(customer=CONSUMER, operation_nature="goods")
    on_debits = finalized(
        customer=CONSUMER,
        operation_nature="services",
        seller=SELLER.model_copy(update={"vat_on_debits": True}),
    )
    assert payment_contribution(goods, payment("120.00")) is None
    assert payment_contribution(on_debits, payment("120.00")) is None
    assert payment_contribution(services, payment("-10.00")) is None  # a refund is not a collection


def test_a_business_abroad_paying_for_services_is_reported_invoice_by_invoice():
    invoice = finalized(customer=ITALIAN_COMPANY, lines=[line("Conseil", "100", "20")])
    contribution = payment_contribution(invoice, payment("60.00"))
    assert contribution is not None
    assert contribution.rows == ()
    assert contribution.record is not None
    assert [(share.vat_rate, share.amount) for share in contribution.record.amounts] == [
        (Decimal(20), Decimal("60.00"))
    ]


def test_the_sellers_regime_sets_the_period():
    quarterly = SELLER.model_copy(update={"vat_regime": "normal_quarterly"})
    contribution = transactions_contribution(finalized(customer=CONSUMER, seller=quarterly))
    assert contribution is not None
    assert (contribution.period.start, contribution.period.end) == (date(2026, 11, 1), date(2026, 11, 30))
