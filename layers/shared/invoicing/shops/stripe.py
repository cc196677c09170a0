"""Stripe events: `invoice.paid`, `checkout.session.completed` (when paid) and `charge.refunded`.

Amounts are integers in the currency's minor unit (none for zero-decimal currencies such as JPY).
An order is known by its PaymentIntent first, so an invoice and a checkout session paid by the same
PaymentIntent make one invoice here.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from invoicing.domain.webhooks.orders import OrderLine, ShopOrder, ShopRefund, UnreadableEvent
from invoicing.shops.amounts import currency_of, decimal_of, from_minor, infer_rate
from invoicing.shops.customers import Buyer, ShopAddress, shop_customer
from invoicing.shops.dates import first_day


def _object(event: dict[str, Any]) -> dict[str, Any]:
    data = event.get("data")
    found = data.get("object") if isinstance(data, dict) else None
    if not isinstance(found, dict):
        raise UnreadableEvent("the event has no data.object", field="data.object")
    return found


def _customer(name: object, email: object, address: object, tax_ids: object) -> Buyer:
    place = address if isinstance(address, dict) else {}
    vat_numbers = [
        tax_id.get("value")
        for tax_id in (tax_ids if isinstance(tax_ids, list) else [])
        if isinstance(tax_id, dict) and tax_id.get("type") == "eu_vat"
    ]
    return shop_customer(
        names=(name,),
        email=email,
        vat_number=vat_numbers[-1] if vat_numbers else None,
        address=ShopAddress(
            place.get("line1"),
            place.get("line2"),
            place.get("postal_code"),
            place.get("city"),
            place.get("country"),
        ),
    )


def _keys(*ids: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f"stripe:{value}" for value in ids if isinstance(value, str) and value))


def order_keys(kind: object, obj: dict[str, Any]) -> tuple[str, ...]:
    """Every id Stripe names the order of an event by, its PaymentIntent first: an invoice, its
    checkout session and the charge refunded later all name it."""
    if kind == "invoice.paid":
        return _keys(_payment_intent(obj), obj.get("id"), obj.get("charge"))
    if kind in {"checkout.session.completed", "charge.refunded"}:
        return _keys(obj.get("payment_intent"), obj.get("invoice"), obj.get("id"))
    return ()


def order_key(event: dict[str, Any]) -> str | None:
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    keys = order_keys(event.get("type"), obj) if isinstance(obj, dict) else ()
    return keys[0] if keys else None


def _invoice_line(line: dict[str, Any], currency: str, position: int) -> OrderLine:
    where = f"data.object.lines.data[{position}]"
    taxes = line.get("taxes") or line.get("tax_amounts") or []
    quantity = decimal_of(line.get("quantity") or 1, f"{where}.quantity")
    title = str(line.get("description") or "Article")[:500]
    if taxes:
        taxable = sum((from_minor(tax.get("taxable_amount"), currency, where) for tax in taxes), Decimal(0))
        tax = sum((from_minor(tax.get("amount"), currency, where) for tax in taxes), Decimal(0))
        return OrderLine(title, quantity, taxable, infer_rate(taxable, tax, currency), tax)
    discounts = sum(
        (from_minor(d.get("amount"), currency, where) for d in line.get("discount_amounts") or []), Decimal(0)
    )
    return OrderLine(title, quantity, from_minor(line.get("amount"), currency, where) - discounts, Decimal(0))


def _payment_intent(invoice: dict[str, Any]) -> object:
    """The PaymentIntent that paid the invoice: a field of its own before API version 2025-03-31,
    the first of its `payments` since."""
    if invoice.get("payment_intent"):
        return invoice["payment_intent"]
    payments = (invoice.get("payments") or {}).get("data") or []
    first = payments[0].get("payment", {}) if payments and isinstance(payments[0], dict) else {}
    return first.get("payment_intent") if isinstance(first, dict) else None


def paid_invoice(event: dict[str, Any]) -> ShopOrder:
    invoice = _object(event)
    currency = currency_of(invoice.get("currency"), "data.object.currency")
    lines = invoice.get("lines", {}).get("data") if isinstance(invoice.get("lines"), dict) else None
    if not lines:
        raise UnreadableEvent("the invoice has no lines", field="data.object.lines")
    paid_at = (invoice.get("status_transitions") or {}).get("paid_at")
    buyer = _customer(
        invoice.get("customer_name"),
        invoice.get("customer_email"),
        invoice.get("customer_address"),
        invoice.get("customer_tax_ids"),
    )
    return ShopOrder(
        provider="stripe",
        keys=order_keys("invoice.paid", invoice),
        reference=str(invoice.get("number") or invoice.get("id")),
        currency=currency,
        customer=buyer.customer,
        set_aside=buyer.set_aside,
        lines=tuple(_invoice_line(line, currency, n) for n, line in enumerate(lines)),
        prices_include_tax=False,
        paid=from_minor(invoice.get("amount_paid"), currency, "data.object.amount_paid"),
        paid_on=first_day(paid_at, event.get("created")),
    )


def _session_lines(session: dict[str, Any], currency: str) -> tuple[OrderLine, ...]:
    """Line items from the session's metadata (`invoice_lines`: JSON of title, quantity, unit_amount
    in minor units excl. tax, vat_rate), else one line for the whole order."""
    raw = (session.get("metadata") or {}).get("invoice_lines")
    totals = session.get("total_details") or {}
    tax = from_minor(totals.get("amount_tax") or 0, currency, "data.object.total_details.amount_tax")
    total = from_minor(session.get("amount_total"), currency, "data.object.amount_total")
    if isinstance(raw, str):
        try:
            items = json.loads(raw, parse_float=Decimal, parse_int=Decimal)
            return tuple(
                OrderLine(
                    str(item["title"])[:500],
                    decimal_of(item.get("quantity", 1), "metadata.invoice_lines"),
                    from_minor(item["unit_amount"], currency, "metadata.invoice_lines")
                    * decimal_of(item.get("quantity", 1), "metadata.invoice_lines"),
                    decimal_of(item["vat_rate"], "metadata.invoice_lines"),
                )
                for item in items
            )
        except (ValueError, KeyError, TypeError):
            raise UnreadableEvent(
                "metadata.invoice_lines is not a JSON list of {title, quantity, unit_amount, vat_rate}",
                field="data.object.metadata.invoice_lines",
            ) from None
    net = total - tax
    return (OrderLine(f"Commande {session.get('id')}", Decimal(1), net, infer_rate(net, tax, currency), tax),)


def completed_checkout(event: dict[str, Any]) -> ShopOrder | None:
    """A checkout paid now; one paid later (bank debit) is invoiced by its own later event."""
    session = _object(event)
    if session.get("payment_status") != "paid":
        return None
    currency = currency_of(session.get("currency"), "data.object.currency")
    details = session.get("customer_details") or {}
    buyer = _customer(
        details.get("name"), details.get("email"), details.get("address"), details.get("tax_ids")
    )
    return ShopOrder(
        provider="stripe",
        keys=order_keys("checkout.session.completed", session),
        reference=str(session.get("id")),
        currency=currency,
        customer=buyer.customer,
        set_aside=buyer.set_aside,
        lines=_session_lines(session, currency),
        prices_include_tax=False,
        paid=from_minor(session.get("amount_total"), currency, "data.object.amount_total"),
        paid_on=first_day(event.get("created")),
    )


def refunded_charge(event: dict[str, Any]) -> ShopRefund:
    """The newest refund of the charge: Stripe sends the charge with every refund made so far."""
    charge = _object(event)
    currency = currency_of(charge.get("currency"), "data.object.currency")
    refunds = (charge.get("refunds") or {}).get("data") or []
    latest = max(refunds, key=lambda refund: refund.get("created") or 0, default=None)
    if not isinstance(latest, dict) or not latest.get("id"):
        # Recent API versions leave refunds unexpanded: the charge's cumulated refunded amount, then.
        refunded = from_minor(charge.get("amount_refunded"), currency, "data.object.amount_refunded")
        return ShopRefund(
            provider="stripe",
            key=f"stripe:{charge.get('id')}:refunded:{refunded}",
            order_keys=order_keys("charge.refunded", charge),
            currency=currency,
            amount=refunded,
            refunded_on=first_day(event.get("created")),
            cumulative=True,
        )
    return ShopRefund(
        provider="stripe",
        key=f"stripe:{latest['id']}",
        order_keys=order_keys("charge.refunded", charge),
        currency=currency,
        amount=from_minor(latest.get("amount"), currency, "data.object.refunds.data.amount"),
        refunded_on=first_day(latest.get("created"), event.get("created")),
        reason=str(latest.get("reason") or "Remboursement")[:200],
    )


def read_event(event: dict[str, Any]) -> ShopOrder | ShopRefund | None:
    """The order or refund an event carries; None for an event that makes no document."""
    kind = event.get("type")
    if kind == "invoice.paid":
        return paid_invoice(event)
    if kind == "checkout.session.completed":
        return completed_checkout(event)
    if kind == "charge.refunded":
        return refunded_charge(event)
    return None
