"""What a shop's event says once read: an order that was paid, or a refund of one.

Each provider's module turns its event into these; everything after (the invoice, its credit
note, the amounts to the cent) is the same whichever shop sold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from invoicing.domain.errors import InvalidDocument
from invoicing.domain.model import Customer, PaymentMethod
from invoicing.domain.money import minor_unit, round_money

Provider = Literal["stripe", "shopify", "woocommerce"]
PROVIDERS: tuple[Provider, ...] = ("stripe", "shopify", "woocommerce")

# Rates tried, in this order, when a shop gives only amounts (Stripe): France's, then the EU's usual.
KNOWN_RATES = tuple(
    Decimal(rate)
    for rate in (
        "20",
        "10",
        "5.5",
        "2.1",
        "8.5",
        "1.05",
        "0.9",
        "0",
        "19",
        "21",
        "22",
        "23",
        "24",
        "25",
        "27",
        "7",
        "9",
        "12",
        "13",
        "15",
        "16",
        "17",
        "18",
        "6",
        "4",
        "3",
    )
)


class UnreadableEvent(InvalidDocument):
    """The event is signed but lacks what an invoice needs: it goes to the dead-letter queue."""

    code = "unreadable_event"


@dataclass(frozen=True)
class OrderLine:
    """A line as the shop charged it: `amount` is the line's total after its discounts, including
    tax when the order's prices include tax, excluding it otherwise."""

    title: str
    quantity: Decimal
    amount: Decimal
    vat_rate: Decimal
    tax: Decimal | None = None  # the tax the shop computed on this line, when it says


@dataclass(frozen=True)
class ShopOrder:
    provider: Provider
    keys: tuple[str, ...]  # every id the shop may later name this order by; the first one is its identity
    reference: str  # what the customer saw: "#1001", the Stripe invoice number...
    currency: str
    customer: Customer
    lines: tuple[OrderLine, ...]
    prices_include_tax: bool
    paid: Decimal  # what the customer paid, tax included
    paid_on: date
    method: PaymentMethod = "card"


@dataclass(frozen=True)
class ShopRefund:
    provider: Provider
    key: str  # the refund's own id: a refund makes one credit note
    order_keys: tuple[str, ...]  # the ids of the order it refunds, any of which we may know
    currency: str
    amount: Decimal  # refunded, tax included
    refunded_on: date
    reason: str = "Remboursement"
    lines: tuple[OrderLine, ...] = field(default_factory=tuple)
    cumulative: bool = False  # `amount` is all refunded on the order so far, not this refund alone


def from_minor(value: object, currency: str, field_name: str) -> Decimal:
    """An amount in the currency's minor unit (cents; yen, which has none) as a Decimal."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or int(value) != value:
        raise UnreadableEvent(f"{field_name} is not an amount in minor units", field=field_name)
    return Decimal(int(value)) * minor_unit(currency)


def decimal_of(value: object, field_name: str) -> Decimal:
    """A shop's decimal string or number ("12.50", 0.2), never through a float."""
    if isinstance(value, bool) or value is None:
        raise UnreadableEvent(f"{field_name} is missing", field=field_name)
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise UnreadableEvent(f"{field_name} is not a number", field=field_name) from None
    if not number.is_finite():
        raise UnreadableEvent(f"{field_name} is not a number", field=field_name)
    return number


def infer_rate(taxable: Decimal, tax: Decimal, currency: str) -> Decimal:
    """The VAT rate behind a tax amount: the first usual rate that gives exactly that tax, else the
    ratio to two decimals (the invoice's rounding line then absorbs the difference)."""
    if taxable <= 0 or tax == 0:
        return Decimal(0)
    for rate in KNOWN_RATES:
        if round_money(taxable * rate / 100, currency) == tax:
            return rate
    return (tax * 100 / taxable).quantize(Decimal("0.01"))
