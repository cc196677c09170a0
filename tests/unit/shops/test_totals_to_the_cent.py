"""Real-shaped orders from each shop: the invoice's amount due is what the customer paid, to the
cent; with tax-included prices each rate's base is the one that gives back that rate's charge, and
a rounding difference (BT-114) is shown only for a cart where no such base exists."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invoicing.domain.parts import Customer
from invoicing.domain.webhooks.documents import credit_note_from_refund, exact_base, invoice_from_order
from invoicing.domain.webhooks.endpoints import EndpointSettings
from invoicing.domain.webhooks.orders import OrderLine, ShopOrder, UnreadableEvent
from invoicing.shops import shopify, stripe, woocommerce
from tests.support.shop_events import (
    shopify_order,
    shopify_refund,
    stripe_charge_refunded,
    stripe_checkout_completed,
    stripe_invoice_paid,
    woocommerce_order,
)

NOW = datetime(2026, 11, 21, tzinfo=UTC)
EXEMPT = "TVA non applicable, art. 293 B du CGI"
ENDPOINT = EndpointSettings(provider="shopify")
EXEMPT_ENDPOINT = EndpointSettings(provider="shopify", vat_exemption=EXEMPT)

ORDERS = {
    "shopify, tax excluded, one line": shopify.paid_order(
        shopify_order(1, [("Tasse", 1, "12.90", "0.2", "0")], taxes_included=False)
    ),
    "shopify, tax included, one line": shopify.paid_order(
        shopify_order(2, [("Tasse", 1, "14.90", "0.2", "0")], taxes_included=True)
    ),
    "shopify, tax included, 3 lines rounding apart": shopify.paid_order(
        shopify_order(
            3,
            [
                ("Carnet", 3, "4.99", "0.2", "0"),
                ("Stylo", 7, "1.19", "0.2", "0"),
                ("Gomme", 1, "0.83", "0.2", "0"),
            ],
            taxes_included=True,
        )
    ),
    "shopify, mixed 20 % and 5.5 %, tax included": shopify.paid_order(
        shopify_order(
            4,
            [("Livre", 2, "18.99", "0.055", "0"), ("Marque-page", 3, "2.49", "0.2", "0")],
            taxes_included=True,
        )
    ),
    "shopify, mixed rates, tax excluded, discounts": shopify.paid_order(
        shopify_order(
            5,
            [("Livre", 2, "17.50", "0.055", "1.75"), ("Affiche", 1, "24.17", "0.2", "2.42")],
            taxes_included=False,
        )
    ),
    "shopify, shipping, tax included": shopify.paid_order(
        shopify_order(
            6, [("Thé vert", 4, "6.95", "0.055", "0")], taxes_included=True, shipping=("4.90", "0.2")
        )
    ),
    "shopify, shipping, tax excluded": shopify.paid_order(
        shopify_order(
            7, [("Chaise", 2, "89.00", "0.2", "10.00")], taxes_included=False, shipping=("15.00", "0.2")
        )
    ),
    "shopify, 10 % restaurant rate": shopify.paid_order(
        shopify_order(8, [("Menu", 3, "16.50", "0.1", "0")], taxes_included=True)
    ),
    "shopify, many small lines": shopify.paid_order(
        shopify_order(
            9, [(f"Bonbon {n}", n, f"0.{n}7", "0.055", "0") for n in range(1, 9)], taxes_included=True
        )
    ),
    "shopify, 2.1 % press": shopify.paid_order(
        shopify_order(10, [("Journal", 5, "2.40", "0.021", "0")], taxes_included=True)
    ),
    "stripe invoice, one line": stripe.paid_invoice(
        stripe_invoice_paid("evt_1", "in_1", "pi_1", [("Pro", 1, 4990, "20")])
    ),
    "stripe invoice, seats": stripe.paid_invoice(
        stripe_invoice_paid("evt_2", "in_2", "pi_2", [("Seat", 7, 1299, "20"), ("Setup", 1, 4999, "20")])
    ),
    "stripe invoice, two rates": stripe.paid_invoice(
        stripe_invoice_paid("evt_3", "in_3", "pi_3", [("Ebook", 3, 833, "5.5"), ("Course", 1, 3333, "20")])
    ),
    "stripe invoice, JPY zero-decimal": stripe.paid_invoice(
        stripe_invoice_paid("evt_4", "in_4", "pi_4", [("Plan", 3, 1980, "10")], currency="jpy")
    ),
    "stripe checkout, metadata lines": stripe.completed_checkout(
        stripe_checkout_completed(
            "evt_5",
            "cs_5",
            "pi_5",
            3600,
            600,
            lines=[{"title": "Atelier", "quantity": 2, "unit_amount": 1500, "vat_rate": "20"}],
        )
    ),
    "stripe checkout, no lines": stripe.completed_checkout(
        stripe_checkout_completed("evt_6", "cs_6", "pi_6", 11990, 1998)
    ),
    "woocommerce, one rate": woocommerce.paid_order(woocommerce_order(701, [("Bol", 2, "31.66", "20")])),
    "woocommerce, shipping": woocommerce.paid_order(
        woocommerce_order(702, [("Bol", 3, "47.49", "20"), ("Assiette", 6, "53.94", "20")], shipping="8.25")
    ),
    "woocommerce, mixed rates": woocommerce.paid_order(
        woocommerce_order(703, [("Café", 2, "15.17", "5.5"), ("Moulin", 1, "41.58", "20")], shipping="5.79")
    ),
    "woocommerce, completed": woocommerce.paid_order(
        woocommerce_order(704, [("Lampe", 1, "66.66", "20")], status="completed")
    ),
    "woocommerce, many lines": woocommerce.paid_order(
        woocommerce_order(705, [(f"Pièce {n}", n, f"{n}.{n}3", "20") for n in range(1, 10)], shipping="3.33")
    ),
}


@pytest.mark.parametrize("name", list(ORDERS))
def test_the_invoice_comes_to_what_was_paid(name):
    order = ORDERS[name]
    assert isinstance(order, ShopOrder)
    invoice = invoice_from_order(order, EXEMPT_ENDPOINT, document_id="inv_x", now=NOW)
    totals = invoice.totals
    assert totals.amount_due == order.paid, name
    assert totals.total_incl_tax + totals.rounding == order.paid
    assert abs(totals.rounding) <= Decimal("0.01") * len(order.lines) * (
        100 if order.currency == "JPY" else 1
    )
    assert totals.total_incl_tax == totals.total_excl_tax + totals.total_vat
    nets = [line.total_excl_tax for line in invoice.lines]
    if not order.prices_include_tax:
        assert nets == [line.amount for line in order.lines]
        return
    exact = True
    for rate in {line.vat_rate for line in order.lines}:
        at_rate = [n for n, line in enumerate(order.lines) if line.vat_rate == rate]
        gross = sum(order.lines[n].amount for n in at_rate)
        base = exact_base(gross, rate, order.currency)
        exact = exact and base is not None
        if base is not None:
            assert sum(nets[n] for n in at_rate) == base
        for n in at_rate:  # spread to the cent, each line near its own tax-included price's net
            own = order.lines[n].amount * 100 / (100 + rate)
            assert abs(nets[n] - own) < Decimal("0.02") * (100 if order.currency == "JPY" else 1)
    if exact and sum(line.amount for line in order.lines) == order.paid:
        assert totals.rounding == 0, name


def test_a_cart_with_an_exact_split_totals_what_was_charged_with_no_rounding_amount():
    order = shopify.paid_order(
        shopify_order(
            11,
            [("Tasse", 2, "19.95", "0.2", "0"), ("Plateau", 1, "10.00", "0.2", "0")],
            taxes_included=True,
            shipping=("10.00", "0.2"),
        )
    )
    invoice = invoice_from_order(order, ENDPOINT, document_id="inv_x", now=NOW)
    totals = invoice.totals
    assert (totals.total_excl_tax, totals.total_vat, totals.total_incl_tax) == (
        Decimal("49.92"),
        Decimal("9.98"),
        Decimal("59.90"),
    )
    assert totals.rounding == 0
    assert totals.amount_due == Decimal("59.90")
    assert [line.total_excl_tax for line in invoice.lines] == [
        Decimal("33.25"),
        Decimal("8.34"),
        Decimal("8.33"),
    ]


def test_a_refund_makes_a_credit_note_of_exactly_the_refunded_amount():
    order = ORDERS["shopify, mixed 20 % and 5.5 %, tax included"]
    invoice = invoice_from_order(order, ENDPOINT, document_id="inv_x", now=NOW)
    refund = shopify.created_refund(shopify_refund(4, 77, "10.00"))
    note = credit_note_from_refund(refund, invoice, refund.amount, document_id="inv_c", now=NOW)
    assert note.totals.amount_due == Decimal("10.00")
    assert {line.vat_rate for line in note.lines} == {Decimal(20), Decimal("5.5")}
    stripe_refund = stripe.refunded_charge(stripe_charge_refunded("evt_r", "ch_1", "pi_1", "re_1", 1234))
    assert (stripe_refund.amount, stripe_refund.order_keys[0]) == (Decimal("12.34"), "stripe:pi_1")


def test_an_order_whose_lines_do_not_come_to_what_was_paid_is_refused():
    order = ORDERS["shopify, tax excluded, one line"]
    tampered = ShopOrder(**{**order.__dict__, "paid": order.paid + Decimal("1.00")})
    with pytest.raises(UnreadableEvent, match="charged"):
        invoice_from_order(tampered, ENDPOINT, document_id="inv_x", now=NOW)


def test_an_untaxed_line_needs_the_endpoints_exemption_mention():
    order = shopify.paid_order(shopify_order(11, [("Export", 1, "100.00", "0", "0")], taxes_included=False))
    with pytest.raises(UnreadableEvent) as refused:
        invoice_from_order(order, ENDPOINT, document_id="inv_x", now=NOW)
    assert refused.value.field == "vat_exemption"
    invoice = invoice_from_order(order, EXEMPT_ENDPOINT, document_id="inv_x", now=NOW)
    assert invoice.vat_exemption == EXEMPT


def test_events_that_make_nothing_are_recognised():
    assert woocommerce.paid_order(woocommerce_order(9, [("Bol", 1, "10.00", "20")], status="pending")) is None
    assert stripe.read_event({"type": "customer.created", "data": {"object": {}}}) is None
    unpaid = stripe_checkout_completed("evt_7", "cs_7", "pi_7", 1200, 200)
    unpaid["data"]["object"]["payment_status"] = "unpaid"
    assert stripe.read_event(unpaid) is None


def test_a_stripe_invoice_of_recent_api_versions_names_its_payment_intent_in_payments():
    event = stripe_invoice_paid("evt_9", "in_9", "pi_9", [("Pro", 1, 4990, "20")])
    invoice = event["data"]["object"]
    del invoice["payment_intent"]
    invoice["payments"] = {"data": [{"payment": {"type": "payment_intent", "payment_intent": "pi_9"}}]}
    assert stripe.paid_invoice(event).keys[0] == "stripe:pi_9"


_carts = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=5),
        st.integers(min_value=1, max_value=20_000),
        st.sampled_from(["20", "10", "5.5", "2.1"]),
    ),
    min_size=1,
    max_size=8,
)


@given(cart=_carts)
def test_any_tax_included_cart_comes_to_its_charge_with_a_rounding_amount_only_where_no_split_exists(cart):
    lines = tuple(
        OrderLine(f"Article {n}", Decimal(quantity), Decimal(quantity * cents) / 100, Decimal(rate))
        for n, (quantity, cents, rate) in enumerate(cart)
    )
    paid = sum((line.amount for line in lines), Decimal(0))
    order = ShopOrder(
        "shopify", ("o",), "#1", "EUR", Customer(name="Jeanne Martin"), lines, True, paid, NOW.date()
    )
    totals = invoice_from_order(order, ENDPOINT, document_id="inv_x", now=NOW).totals
    assert totals.amount_due == paid
    rates = {line.vat_rate for line in lines}
    splits = [
        exact_base(sum(line.amount for line in lines if line.vat_rate == rate), rate, "EUR") for rate in rates
    ]
    if all(split is not None for split in splits):
        assert totals.rounding == 0
    assert abs(totals.rounding) <= Decimal("0.01") * len(rates)
