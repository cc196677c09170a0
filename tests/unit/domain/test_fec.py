"""The FEC: every entry balances, the columns are the 18 the administration reads, entries are
numbered continuously in date order, and the customers' account carries what was invoiced."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invoicing.domain.errors import StateConflict
from invoicing.domain.fec import COLUMNS, LedgerDocument, fec_file, fec_filename, fec_rows


def ledger(number: str, kind: str = "invoice", **fields) -> LedgerDocument:
    values = {
        "type": kind,
        "number": number,
        "issue_date": date(2026, 3, 1),
        "validated_on": date(2026, 3, 1),
        "customer_name": "Librairie Martin",
        "currency": "EUR",
        "total_incl_tax": Decimal("120.00"),
        "vat": ((Decimal(20), Decimal("100.00"), Decimal("20.00")),),
    }
    return LedgerDocument(**(values | fields))


def parsed(documents: list[LedgerDocument]) -> list[dict[str, str]]:
    rows = fec_rows(documents)
    assert rows[0] == list(COLUMNS)
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def test_an_invoice_is_one_balanced_entry_against_revenue_and_vat():
    lines = parsed([ledger("F1")])
    assert [(line["CompteNum"], line["Debit"], line["Credit"]) for line in lines] == [
        ("411000", "120,00", "0,00"),
        ("706000", "0,00", "100,00"),
        ("445710", "0,00", "20,00"),
    ]
    assert lines[0]["CompAuxNum"].startswith("C")
    assert lines[0]["CompAuxLib"] == "Librairie Martin"
    assert {line["PieceRef"] for line in lines} == {"F1"}


def test_a_deposit_goes_to_advances_and_the_final_invoice_moves_it_back():
    deposit = ledger(
        "F1",
        "deposit",
        total_incl_tax=Decimal("36.00"),
        vat=((Decimal(20), Decimal("30.00"), Decimal("6.00")),),
    )
    final = ledger("F2", deposits=(("F1", Decimal("30.00"), Decimal("36.00")),), issue_date=date(2026, 4, 1))
    lines = parsed([final, deposit])
    assert [line["EcritureNum"] for line in lines] == ["1"] * 3 + ["2"] * 6  # date order, not input order
    assert ("419100", "0,00", "30,00") in [
        (line["CompteNum"], line["Debit"], line["Credit"]) for line in lines[:3]
    ]
    balance = defaultdict(Decimal)
    for line in lines:
        balance[line["CompteNum"]] += amount(line["Debit"]) - amount(line["Credit"])
    assert balance["419100"] == 0  # the advance received is used up
    assert balance["411000"] == Decimal("120.00")  # the customer owes the whole work once
    assert balance["445710"] == Decimal("-20.00")  # VAT collected once, on the whole


def test_a_credit_note_reverses_and_a_rounding_amount_is_booked():
    lines = parsed([ledger("AV1", "credit_note"), ledger("F3", rounding=Decimal("0.01"))])
    credit = [
        (line["CompteNum"], line["Debit"], line["Credit"]) for line in lines if line["PieceRef"] == "AV1"
    ]
    assert credit[0] == ("411000", "0,00", "120,00")
    assert ("758000", "0,00", "0,01") in [
        (line["CompteNum"], line["Debit"], line["Credit"]) for line in lines
    ]


def test_foreign_currency_without_a_rate_is_refused_rather_than_booked_wrong():
    with pytest.raises(StateConflict) as refused:
        fec_rows([ledger("F1", currency="USD")])
    assert refused.value.code == "foreign_currency"


def test_a_foreign_currency_document_is_booked_in_euros_and_still_balances():
    document = ledger(
        "F1",
        currency="USD",
        exchange_rate=Decimal("0.9237"),
        total_incl_tax=Decimal("120.03"),
        vat=(
            (Decimal(20), Decimal("50.01"), Decimal("10.00")),
            (Decimal("5.5"), Decimal("56.89"), Decimal("3.13")),
        ),
    )
    lines = parsed([document])
    assert sum(amount(line["Debit"]) - amount(line["Credit"]) for line in lines) == 0
    assert {(line["Idevise"]) for line in lines} == {"USD"}
    customer = lines[0]
    assert (customer["Montantdevise"], customer["CompteNum"]) == ("120,03", "411000")
    assert abs(amount(customer["Debit"]) - Decimal("120.03") * Decimal("0.9237")) <= Decimal("0.02")


def test_the_file_and_its_name():
    content = fec_file(fec_rows([ledger("F1")])).decode()
    assert content.startswith("JournalCode\tJournalLib\tEcritureNum\t")
    assert all(line.count("\t") == 17 for line in content.split("\r\n") if line)
    assert fec_filename("552100554", 2026) == "552100554FEC20261231.txt"


cents = st.integers(min_value=0, max_value=10**7).map(lambda n: Decimal(n).scaleb(-2))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["invoice", "deposit", "credit_note", "external", "external_credit"]),
            st.lists(
                st.tuples(st.sampled_from(["20", "10", "5.5", "2.1", "0"]), cents), min_size=1, max_size=3
            ),
            st.integers(min_value=-3, max_value=3),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_property_every_entry_balances(documents):
    built = []
    for n, (kind, bases, rounding) in enumerate(documents):
        vat = tuple(
            (Decimal(rate), base, (base * Decimal(rate) / 100).quantize(Decimal("0.01")))
            for rate, base in bases
        )
        total = sum((base + tax for _, base, tax in vat), Decimal(0))
        built.append(
            ledger(f"D{n}", kind, vat=vat, total_incl_tax=total, rounding=Decimal(rounding).scaleb(-2))
        )
    totals = defaultdict(Decimal)
    for line in parsed(built):
        totals[line["EcritureNum"]] += amount(line["Debit"]) - amount(line["Credit"])
    assert set(totals.values()) <= {Decimal(0)}
    assert sorted(int(number) for number in totals) == list(range(1, len(totals) + 1))


def test_goods_go_to_sales_of_goods():
    lines = parsed([ledger("F1", operation_nature="goods")])
    assert [line["CompteNum"] for line in lines] == ["411000", "707000", "445710"]
