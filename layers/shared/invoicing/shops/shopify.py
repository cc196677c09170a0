"""Shopify webhooks: `orders/paid` makes the invoice, `refunds/create` its credit note.

Prices are decimal strings in the shop's currency, tax included or not as `taxes_included` says;
each line's `tax_lines` give its rates (0.2 for 20 %) and its `discount_allocations` what was taken
off it. Shipping lines are invoiced as lines of their own.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from invoicing.domain.webhooks.orders import OrderLine, ShopOrder, ShopRefund, UnreadableEvent
from invoicing.shops.amounts import currency_of, decimal_of
from invoicing.shops.customers import Buyer, ShopAddress, shop_customer
from invoicing.shops.dates import first_day


def _line(item: dict[str, Any], where: str, *, shipping: bool) -> OrderLine:
    tax_lines = item.get("tax_lines") or []
    rate = (
        sum((decimal_of(tax.get("rate"), f"{where}.tax_lines.rate") for tax in tax_lines), Decimal(0)) * 100
    )
    tax = sum((decimal_of(tax.get("price"), f"{where}.tax_lines.price") for tax in tax_lines), Decimal(0))
    discounts = sum(
        (
            decimal_of(d.get("amount"), f"{where}.discount_allocations")
            for d in item.get("discount_allocations") or []
        ),
        Decimal(0),
    )
    quantity = Decimal(1) if shipping else decimal_of(item.get("quantity"), f"{where}.quantity")
    price = decimal_of(item.get("price"), f"{where}.price")
    title = str(item.get("title") or item.get("name") or "Article")[:500]
    return OrderLine(title, quantity, price * quantity - discounts, rate.normalize(), tax)


def _customer(order: dict[str, Any]) -> Buyer:
    billing = order.get("billing_address") or {}
    person = order.get("customer") or {}
    return shop_customer(
        names=(
            billing.get("name"),
            " ".join(str(part) for part in (person.get("first_name"), person.get("last_name")) if part),
        ),
        email=order.get("email") or person.get("email"),
        company=billing.get("company"),
        address=ShopAddress(
            billing.get("address1"),
            billing.get("address2"),
            billing.get("zip"),
            billing.get("city"),
            billing.get("country_code"),
        ),
    )


def paid_order(order: dict[str, Any]) -> ShopOrder:
    items = order.get("line_items")
    if not isinstance(items, list) or not items:
        raise UnreadableEvent("the order has no line_items", field="line_items")
    lines = [_line(item, f"line_items[{n}]", shipping=False) for n, item in enumerate(items)]
    lines += [
        _line(item, f"shipping_lines[{n}]", shipping=True)
        for n, item in enumerate(order.get("shipping_lines") or [])
    ]
    currency = currency_of(order.get("currency"), "currency")
    buyer = _customer(order)
    return ShopOrder(
        provider="shopify",
        keys=(f"shopify:order:{order.get('id')}",),
        reference=str(order.get("name") or order.get("order_number") or order.get("id")),
        currency=currency,
        customer=buyer.customer,
        set_aside=buyer.set_aside,
        lines=tuple(line for line in lines if line.amount != 0 or line.quantity != 0),
        prices_include_tax=bool(order.get("taxes_included")),
        paid=decimal_of(order.get("total_price"), "total_price"),
        paid_on=first_day(order.get("processed_at"), order.get("created_at")),
    )


def created_refund(refund: dict[str, Any]) -> ShopRefund:
    refunded = [
        decimal_of(transaction.get("amount"), "transactions.amount")
        for transaction in refund.get("transactions") or []
        if transaction.get("kind") == "refund" and transaction.get("status", "success") == "success"
    ]
    if not refunded:
        raise UnreadableEvent("the refund has no successful refund transaction", field="transactions")
    currency = currency_of(
        next((t.get("currency") for t in refund.get("transactions") or [] if t.get("currency")), None),
        "transactions.currency",
    )
    return ShopRefund(
        provider="shopify",
        key=f"shopify:refund:{refund.get('id')}",
        order_keys=(f"shopify:order:{refund.get('order_id')}",),
        currency=currency,
        amount=sum(refunded, Decimal(0)),
        refunded_on=first_day(refund.get("processed_at"), refund.get("created_at")),
        reason=str(refund.get("note") or "Remboursement")[:200],
    )


def order_key(topic: str | None, body: dict[str, Any]) -> str | None:
    order_id = body.get("order_id") if topic == "refunds/create" else body.get("id")
    return f"shopify:order:{order_id}" if isinstance(order_id, int | str | Decimal) and order_id else None


def read_event(topic: str | None, body: dict[str, Any]) -> ShopOrder | ShopRefund | None:
    if topic == "orders/paid":
        return paid_order(body)
    if topic == "refunds/create":
        return created_refund(body)
    return None
