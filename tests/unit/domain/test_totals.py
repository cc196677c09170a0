"""Totals: line nets to the cent, VAT per rate on summed bases (BR-CO-17), discounts spread exactly."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invoicing.domain.errors import InvalidDocument
from invoicing.domain.parts import Discount, Line
from invoicing.domain.totals import allocate, compute_totals, price_lines

CENT = Decimal("0.01")
RATES = [Decimal("20"), Decimal("10"), Decimal("5.5"), Decimal("2.1"), Decimal("0")]


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def item(price: str, rate: str = "20", quantity: str = "1", discount: Discount | None = None) -> Line:
    return Line(
        title="x",
        unit_price=Decimal(price),
        vat_rate=Decimal(rate),
        quantity=Decimal(quantity),
        discount=discount,
    )


def totals_of(lines: list[Line], discount: Discount | None = None, currency: str = "EUR"):
    priced = price_lines(lines, currency)
    return priced, compute_totals(priced, discount, currency)


def test_the_facturation_pro_example_adds_up():
    _, totals = totals_of([item("500"), item("200")])
    assert totals.total_excl_tax == Decimal("700.00")
    assert [(v.rate, v.base, v.amount) for v in totals.vat] == [
        (Decimal(20), Decimal("700.00"), Decimal("140.00"))
    ]
    assert totals.total_incl_tax == Decimal("840.00")
    assert totals.amount_due == Decimal("840.00")


def test_vat_is_computed_on_the_sum_of_bases_not_summed_per_line():
    # Per line, 0.33 x 20% = 0.066 -> 0.07, three times 0.21; on the base, 0.99 x 20% = 0.198 -> 0.20.
    _, totals = totals_of([item("0.33"), item("0.33"), item("0.33")])
    assert totals.vat[0].base == Decimal("0.99")
    assert totals.total_vat == Decimal("0.20")


def test_half_up_rounding_where_binary_floats_would_round_down():
    priced, _ = totals_of([item("2.675"), item("1.005")])
    assert [line.total_excl_tax for line in priced] == [Decimal("2.68"), Decimal("1.01")]


def test_zero_decimal_currency_rounds_to_the_yen():
    priced, totals = totals_of([item("1234.5", rate="10")], currency="JPY")
    assert priced[0].total_excl_tax == Decimal("1235")
    assert totals.total_vat == Decimal("124")  # 123.5 rounded half up
    assert totals.total_incl_tax == Decimal("1359")


def test_rates_are_grouped_and_listed_highest_first():
    _, totals = totals_of([item("10", "5.5"), item("100", "20"), item("20", "5.50")])
    assert [(v.rate, v.base) for v in totals.vat] == [
        (Decimal(20), Decimal("100.00")),
        (Decimal("5.5"), Decimal("30.00")),
    ]


def test_an_amount_discount_is_spread_over_rates_to_the_cent():
    _, totals = totals_of(
        [item("680", "20"), item("37.50", "5.5")], Discount(type="amount", value=Decimal("10"))
    )
    assert totals.discount == Decimal("10.00")
    assert [v.base for v in totals.vat] == [Decimal("670.52"), Decimal("36.98")]
    assert sum(v.base for v in totals.vat) == totals.total_excl_tax == Decimal("707.50")


def test_line_discounts_by_percent_and_amount():
    priced, _ = totals_of(
        [
            item("200", discount=Discount(type="percent", value=Decimal(10))),
            item("50", quantity="2", discount=Discount(type="amount", value=Decimal("15"))),
        ]
    )
    assert [line.total_excl_tax for line in priced] == [Decimal("180.00"), Decimal("85.00")]


def test_a_line_discount_larger_than_the_line_names_the_line():
    with pytest.raises(InvalidDocument) as refused:
        totals_of([item("10"), item("5", discount=Discount(type="amount", value=Decimal("6")))])
    assert refused.value.field == "lines[1].discount"


def test_a_discount_larger_than_the_subtotal_is_refused():
    with pytest.raises(InvalidDocument) as refused:
        totals_of([item("10")], Discount(type="amount", value=Decimal("10.01")))
    assert refused.value.field == "discount.value"


def test_a_negative_total_is_refused():
    with pytest.raises(InvalidDocument, match="credit note"):
        totals_of([item("10"), item("-20")])


def test_allocate_gives_the_remainders_to_the_largest_shares():
    assert allocate(Decimal("0.10"), [Decimal(1), Decimal(1), Decimal(1)], CENT) == [
        Decimal("0.04"),
        Decimal("0.03"),
        Decimal("0.03"),
    ]


amounts = st.decimals(min_value=0, max_value=100_000, places=4, allow_nan=False, allow_infinity=False)
quantities = st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False)
percents = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
lines_strategy = st.lists(
    st.builds(
        lambda price, quantity, rate, pct: Line(
            title="item",
            unit_price=price,
            quantity=quantity,
            vat_rate=rate,
            discount=Discount(type="percent", value=pct) if pct is not None else None,
        ),
        amounts,
        quantities,
        st.sampled_from(RATES),
        st.none() | percents,
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(lines=lines_strategy)
def test_property_lines_sum_to_the_subtotal_and_vat_follows_each_rate(lines):
    priced, totals = totals_of(lines)
    for line, source in zip(priced, lines, strict=True):
        gross = source.quantity * source.unit_price
        if source.discount:
            gross -= gross * source.discount.value / 100
        assert line.total_excl_tax == cents(gross)
    assert sum(line.total_excl_tax for line in priced) == totals.subtotal_excl_tax
    assert sum(v.base for v in totals.vat) == totals.total_excl_tax == totals.subtotal_excl_tax
    for entry in totals.vat:
        expected_base = sum(line.total_excl_tax for line in priced if line.vat_rate == entry.rate)
        assert entry.base == expected_base
        assert entry.amount == cents(entry.base * entry.rate / 100)
    assert totals.total_vat == sum(v.amount for v in totals.vat)
    assert totals.total_incl_tax == totals.total_excl_tax + totals.total_vat


@settings(max_examples=300, deadline=None)
@given(lines=lines_strategy, share=st.decimals(min_value=0, max_value=1, places=4))
def test_property_an_amount_discount_is_taken_exactly_once(lines, share):
    subtotal = sum((line.total_excl_tax for line in price_lines(lines, "EUR")), Decimal(0))
    amount = cents(subtotal * share)
    if subtotal == 0:
        return
    _, totals = totals_of(lines, Discount(type="amount", value=amount))
    assert totals.discount == amount
    assert totals.total_excl_tax == totals.subtotal_excl_tax - amount
    assert sum(v.base for v in totals.vat) == totals.total_excl_tax
    assert all(v.base >= 0 for v in totals.vat)


@settings(max_examples=200, deadline=None)
@given(lines=lines_strategy, pct=percents)
def test_property_a_percent_discount_takes_that_share_of_each_rate(lines, pct):
    _, before = totals_of(lines)
    _, after = totals_of(lines, Discount(type="percent", value=pct))
    for original, discounted in zip(before.vat, after.vat, strict=True):
        assert discounted.base == original.base - cents(original.base * pct / 100)
    assert after.discount == before.total_excl_tax - after.total_excl_tax


@settings(max_examples=100, deadline=None)
@given(lines=lines_strategy, data=st.data())
def test_property_the_order_of_lines_changes_no_total(lines, data):
    shuffled = data.draw(st.permutations(lines))
    assert totals_of(lines)[1] == totals_of(shuffled)[1]
