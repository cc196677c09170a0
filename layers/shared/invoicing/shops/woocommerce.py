"""WooCommerce webhooks: an order (`order.created` or `order.updated`) reaching `processing` or
`completed` is paid and makes its invoice; any other status makes nothing yet.

Line, shipping and fee totals are decimal strings after discounts and before tax; each line's
`taxes` name the order's `tax_lines`, which carry the rate.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from invoicing.domain.webhooks.orders import OrderLine, ShopOrder, UnreadableEvent
from invoicing.shops.amounts import currency_of, decimal_of, infer_rate
from invoicing.shops.customers import Buyer, ShopAddress, shop_customer
from invoicing.shops.dates import first_day

PAID_STATUSES = frozenset({"processing", "completed"})


def _rates(order: dict[str, Any]) -> dict[object, Decimal]:
    return {
        tax.get("rate_id"): decimal_of(tax["rate_percent"], "tax_lines.rate_percent")
        for tax in order.get("tax_lines") or []
        if tax.get("rate_percent") is not None
    }


def _line(
    item: dict[str, Any], where: str, rates: dict[object, Decimal], currency: str, title: str
) -> OrderLine:
    net = decimal_of(item.get("total"), f"{where}.total")
    tax = decimal_of(item.get("total_tax") or 0, f"{where}.total_tax")
    named = {
        rates[t.get("id")]
        for t in item.get("taxes") or []
        if t.get("id") in rates and t.get("total") not in ("", "0", "0.00", None)
    }
    rate = sum(named, Decimal(0)) if named else infer_rate(net, tax, currency)
    quantity = decimal_of(item.get("quantity") or 1, f"{where}.quantity")
    return OrderLine(str(title)[:500], quantity, net, rate, tax)


def _customer(order: dict[str, Any]) -> Buyer:
    billing = order.get("billing") or {}
    return shop_customer(
        names=(
            " ".join(str(part) for part in (billing.get("first_name"), billing.get("last_name")) if part),
        ),
        email=billing.get("email"),
        company=billing.get("company"),
        address=ShopAddress(
            billing.get("address_1"),
            billing.get("address_2"),
            billing.get("postcode"),
            billing.get("city"),
            billing.get("country"),
        ),
    )


def paid_order(order: dict[str, Any]) -> ShopOrder | None:
    if order.get("status") not in PAID_STATUSES:
        return None
    currency = currency_of(order.get("currency"), "currency")
    rates = _rates(order)
    lines = [
        _line(item, f"line_items[{n}]", rates, currency, item.get("name") or "Article")
        for n, item in enumerate(order.get("line_items") or [])
    ]
    if not lines:
        raise UnreadableEvent("the order has no line_items", field="line_items")
    lines += [
        _line(
            item | {"quantity": 1},
            f"shipping_lines[{n}]",
            rates,
            currency,
            item.get("method_title") or "Livraison",
        )
        for n, item in enumerate(order.get("shipping_lines") or [])
    ]
    lines += [
        _line(item | {"quantity": 1}, f"fee_lines[{n}]", rates, currency, item.get("name") or "Frais")
        for n, item in enumerate(order.get("fee_lines") or [])
    ]
    buyer = _customer(order)
    return ShopOrder(
        provider="woocommerce",
        keys=(f"woocommerce:order:{order.get('id')}",),
        reference=str(order.get("number") or order.get("id")),
        currency=currency,
        customer=buyer.customer,
        set_aside=buyer.set_aside,
        lines=tuple(lines),
        prices_include_tax=False,  # the REST shape gives totals before tax whatever the shop displays
        paid=decimal_of(order.get("total"), "total"),
        paid_on=first_day(
            order.get("date_paid_gmt"),
            order.get("date_paid"),
            order.get("date_created_gmt"),
            order.get("date_created"),
        ),
    )


def order_key(body: dict[str, Any]) -> str | None:
    order_id = body.get("id")
    return f"woocommerce:order:{order_id}" if isinstance(order_id, int | str | Decimal) and order_id else None


def read_event(topic: str | None, body: dict[str, Any]) -> ShopOrder | None:
    if topic in {"order.created", "order.updated"}:
        return paid_order(body)
    return None
