"""Shop buyers as invoice customers: the invoice always gets a name, and what does not validate
is kept in the document's metadata instead of losing the paid order."""

from __future__ import annotations

from datetime import UTC, datetime

from invoicing.domain.webhooks.documents import invoice_from_order
from invoicing.domain.webhooks.endpoints import EndpointSettings
from invoicing.shops import shopify, stripe, woocommerce
from invoicing.shops.customers import ShopAddress, shop_customer
from tests.support.shop_events import shopify_order, stripe_invoice_paid, woocommerce_order

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_an_email_at_a_special_use_domain_is_kept_aside_and_the_order_invoiced():
    payload = shopify_order(31, [("Tasse", 1, "14.90", "0.2", "0")], taxes_included=True)
    payload["email"] = "client@boutique.local"
    payload["customer"]["email"] = "client@boutique.local"
    order = shopify.paid_order(payload)
    assert order.customer.email is None
    assert order.set_aside == {"customer_email": "client@boutique.local"}
    invoice = invoice_from_order(order, EndpointSettings(provider="shopify"), document_id="inv_x", now=NOW)
    assert invoice.metadata["customer_email"] == "client@boutique.local"
    assert invoice.metadata["provider"] == "shopify"
    assert invoice.totals.amount_due == order.paid


def test_a_missing_name_falls_back_to_the_billing_name_the_persons_the_company_then_the_email():
    assert shop_customer(names=(None, "  "), email="a@example.com").customer.name == "a@example.com"
    assert shop_customer(names=("", "Jeanne Martin"), company="Atelier").customer.name == "Jeanne Martin"
    assert shop_customer(names=(None,), company="Atelier SARL").customer.name == "Atelier SARL"
    assert shop_customer(names=()).customer.name == "Client"
    business = shop_customer(names=("Jeanne Martin",), company="Rossi Srl", vat_number="IT04119190371")
    assert (business.customer.name, business.customer.vat_number) == ("Rossi Srl", "IT04119190371")


def test_a_malformed_vat_number_or_address_is_kept_aside_not_refused():
    buyer = shop_customer(
        names=("Jeanne Martin",),
        vat_number="FR-NOT-A-NUMBER",
        address=ShopAddress("3 rue Vieille", None, "13001", "Marseille", "Provence"),
    )
    assert (buyer.customer.vat_number, buyer.customer.address) == (None, None)
    assert buyer.set_aside == {
        "customer_vat_number": "FR-NOT-A-NUMBER",
        "customer_address": "3 rue Vieille, 13001, Marseille, PROVENCE",
    }
    assert not buyer.customer.is_business, "a consumer until a VAT number validates"


def test_every_provider_takes_its_buyer_the_same_way():
    stripe_event = stripe_invoice_paid("evt_9", "in_9", "pi_9", [("Pro", 1, 4990, "20")])
    stripe_event["data"]["object"]["customer_email"] = "bad@@example"
    woo = woocommerce_order(709, [("Bol", 1, "31.66", "20")])
    woo["billing"]["email"] = "x@test"
    woo["billing"]["first_name"] = woo["billing"]["last_name"] = ""
    orders = [stripe.paid_invoice(stripe_event), woocommerce.paid_order(woo)]
    assert [order.set_aside for order in orders] == [
        {"customer_email": "bad@@example"},
        {"customer_email": "x@test"},
    ]
    assert orders[1].customer.name not in ("", None)
