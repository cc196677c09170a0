"""Shop events shaped as each provider documents them, with taxes rounded the way each shop does.

Shared by the unit tests (totals to the cent), the handler and integration tests (deliveries) and
events/ (the signed samples).
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")


def _money(value: Decimal, unit: Decimal = CENT) -> Decimal:
    return value.quantize(unit, rounding=ROUND_HALF_UP)


def shopify_order(
    order_id: int,
    items: list[tuple[str, int, str, str, str]],
    *,
    taxes_included: bool,
    shipping: tuple[str, str] | None = None,
    currency: str = "EUR",
) -> dict[str, Any]:
    """items: (title, quantity, unit price, rate as Shopify writes it such as "0.2", discount on the line)."""
    line_items, total, tax_total = [], Decimal(0), Decimal(0)
    for n, (title, quantity, price, rate, discount) in enumerate(items):
        amount = Decimal(price) * quantity - Decimal(discount)
        tax = (
            _money(amount - amount / (1 + Decimal(rate)))
            if taxes_included
            else _money(amount * Decimal(rate))
        )
        total += amount if taxes_included else amount + tax
        tax_total += tax
        line_items.append(
            {
                "id": 466157049 + n,
                "title": title,
                "name": title,
                "quantity": quantity,
                "price": price,
                "taxable": True,
                "total_discount": "0.00",
                "discount_allocations": [{"amount": discount, "discount_application_index": 0}]
                if Decimal(discount)
                else [],
                "tax_lines": [{"price": str(tax), "rate": float(rate), "title": "TVA"}],
            }
        )
    shipping_lines = []
    if shipping is not None:
        price, rate = shipping
        amount = Decimal(price)
        tax = (
            _money(amount - amount / (1 + Decimal(rate)))
            if taxes_included
            else _money(amount * Decimal(rate))
        )
        total += amount if taxes_included else amount + tax
        tax_total += tax
        shipping_lines.append(
            {
                "id": 271878346596884015,
                "title": "Colissimo",
                "price": price,
                "discount_allocations": [],
                "tax_lines": [{"price": str(tax), "rate": float(rate), "title": "TVA"}],
            }
        )
    return {
        "id": order_id,
        "name": f"#{order_id % 10000}",
        "email": "jeanne@example.com",
        "created_at": "2026-11-20T10:15:00+01:00",
        "processed_at": "2026-11-20T10:15:02+01:00",
        "currency": currency,
        "financial_status": "paid",
        "taxes_included": taxes_included,
        "total_price": str(total),
        "total_tax": str(tax_total),
        "line_items": line_items,
        "shipping_lines": shipping_lines,
        "billing_address": {
            "first_name": "Jeanne",
            "last_name": "Martin",
            "name": "Jeanne Martin",
            "company": None,
            "address1": "3 rue du Port",
            "address2": None,
            "city": "Nantes",
            "zip": "44000",
            "country_code": "FR",
        },
        "customer": {"first_name": "Jeanne", "last_name": "Martin", "email": "jeanne@example.com"},
    }


def shopify_refund(order_id: int, refund_id: int, amount: str, currency: str = "EUR") -> dict[str, Any]:
    return {
        "id": refund_id,
        "order_id": order_id,
        "created_at": "2026-11-21T09:00:00+01:00",
        "note": "Article retourné",
        "refund_line_items": [],
        "transactions": [
            {
                "id": refund_id + 1,
                "kind": "refund",
                "status": "success",
                "amount": amount,
                "currency": currency,
            }
        ],
    }


def stripe_invoice_paid(
    event_id: str,
    invoice_id: str,
    payment_intent: str,
    items: list[tuple[str, int, int, str]],
    *,
    currency: str = "eur",
    created: int = 1795256142,
) -> dict[str, Any]:
    """items: (description, quantity, unit amount in minor units, rate in percent).
    Stripe rounds the tax of each line."""
    lines, total = [], 0
    for n, (description, quantity, unit_amount, rate) in enumerate(items):
        amount = unit_amount * quantity
        tax = int(_money(Decimal(amount) * Decimal(rate) / 100, Decimal(1)))
        total += amount + tax
        lines.append(
            {
                "id": f"il_{n}",
                "object": "line_item",
                "description": description,
                "amount": amount,
                "currency": currency,
                "quantity": quantity,
                "discount_amounts": [],
                "tax_amounts": [
                    {"amount": tax, "inclusive": False, "tax_rate": "txr_1", "taxable_amount": amount}
                ],
            }
        )
    return {
        "id": event_id,
        "object": "event",
        "type": "invoice.paid",
        "created": created,
        "livemode": False,
        "data": {
            "object": {
                "id": invoice_id,
                "object": "invoice",
                "number": f"STR-{invoice_id[-4:]}",
                "currency": currency,
                "customer_name": "Atelier Bleu SARL",
                "customer_email": "compta@atelier-bleu.example",
                "customer_address": {
                    "line1": "8 quai des Chartrons",
                    "line2": None,
                    "postal_code": "33000",
                    "city": "Bordeaux",
                    "country": "FR",
                },
                "customer_tax_ids": [{"type": "eu_vat", "value": "FR40303265045"}],
                "amount_paid": total,
                "total": total,
                "payment_intent": payment_intent,
                "status_transitions": {"paid_at": created},
                "lines": {"object": "list", "data": lines},
            }
        },
    }


def stripe_checkout_completed(
    event_id: str,
    session_id: str,
    payment_intent: str,
    amount_total: int,
    amount_tax: int,
    *,
    invoice_id: str | None = None,
    lines: list[dict[str, Any]] | None = None,
    created: int = 1795256142,
) -> dict[str, Any]:
    return {
        "id": event_id,
        "object": "event",
        "type": "checkout.session.completed",
        "created": created,
        "data": {
            "object": {
                "id": session_id,
                "object": "checkout.session",
                "currency": "eur",
                "payment_status": "paid",
                "amount_total": amount_total,
                "amount_subtotal": amount_total - amount_tax,
                "total_details": {"amount_tax": amount_tax, "amount_discount": 0, "amount_shipping": 0},
                "payment_intent": payment_intent,
                "invoice": invoice_id,
                "customer_details": {
                    "name": "Atelier Bleu SARL",
                    "email": "compta@atelier-bleu.example",
                    "address": None,
                    "tax_ids": [],
                },
                "metadata": {"invoice_lines": json.dumps(lines)} if lines else {},
            }
        },
    }


def stripe_charge_refunded(
    event_id: str,
    charge_id: str,
    payment_intent: str,
    refund_id: str,
    amount: int,
    *,
    created: int = 1795256142,
) -> dict[str, Any]:
    return {
        "id": event_id,
        "object": "event",
        "type": "charge.refunded",
        "created": created,
        "data": {
            "object": {
                "id": charge_id,
                "object": "charge",
                "currency": "eur",
                "payment_intent": payment_intent,
                "amount_refunded": amount,
                "refunds": {
                    "object": "list",
                    "data": [
                        {
                            "id": refund_id,
                            "amount": amount,
                            "created": created,
                            "reason": "requested_by_customer",
                        }
                    ],
                },
            }
        },
    }


def woocommerce_order(
    order_id: int,
    items: list[tuple[str, int, str, str]],
    *,
    status: str = "processing",
    shipping: str | None = None,
    rate: str = "20",
) -> dict[str, Any]:
    """items: (name, quantity, line total excl. tax after discount, rate percent).
    WooCommerce rounds the tax of each line."""
    line_items, tax_total, total = [], Decimal(0), Decimal(0)
    for n, (name, quantity, line_total, line_rate) in enumerate(items):
        tax = _money(Decimal(line_total) * Decimal(line_rate) / 100)
        rate_id = 1 if line_rate == rate else 2
        line_items.append(
            {
                "id": 315 + n,
                "name": name,
                "quantity": quantity,
                "subtotal": line_total,
                "total": line_total,
                "total_tax": str(tax),
                "taxes": [{"id": rate_id, "total": str(tax), "subtotal": str(tax)}],
            }
        )
        tax_total += tax
        total += Decimal(line_total) + tax
    shipping_lines = []
    if shipping is not None:
        tax = _money(Decimal(shipping) * Decimal(rate) / 100)
        shipping_lines.append(
            {
                "id": 317,
                "method_title": "Colissimo",
                "total": shipping,
                "total_tax": str(tax),
                "taxes": [{"id": 1, "total": str(tax)}],
            }
        )
        tax_total += tax
        total += Decimal(shipping) + tax
    rates = {item[3] for item in items} | {rate}
    return {
        "id": order_id,
        "number": str(order_id),
        "status": status,
        "currency": "EUR",
        "date_created_gmt": "2026-11-20T09:00:00",
        "date_paid_gmt": "2026-11-20T09:01:00",
        "prices_include_tax": False,
        "total": str(total),
        "total_tax": str(tax_total),
        "billing": {
            "first_name": "Paul",
            "last_name": "Durand",
            "company": "",
            "address_1": "1 place Carnot",
            "address_2": "",
            "city": "Lyon",
            "postcode": "69002",
            "country": "FR",
            "email": "paul@example.com",
        },
        "line_items": line_items,
        "shipping_lines": shipping_lines,
        "fee_lines": [],
        "tax_lines": [
            {
                "id": 900 + (1 if r == rate else 2),
                "rate_id": 1 if r == rate else 2,
                "label": "TVA",
                "rate_percent": float(r),
            }
            for r in sorted(rates)
        ],
    }
