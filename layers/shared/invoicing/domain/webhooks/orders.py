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
from invoicing.domain.parts import Customer, PaymentMethod

Provider = Literal["stripe", "shopify", "woocommerce"]
PROVIDERS: tuple[Provider, ...] = ("stripe", "shopify", "woocommerce")


class UnreadableEvent(InvalidDocument):
    """The event is signed but lacks what an invoice needs: its delivery fails, saying what."""

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
    paid_on: date | None  # None when the shop gave no date: the delivery's day, then
    method: PaymentMethod = "card"
    # What the shop said of its buyer that the invoice could not take (an email that does not
    # validate...), kept word for word in the document's metadata.
    set_aside: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ShopRefund:
    provider: Provider
    key: str  # the refund's own id: a refund makes one credit note
    order_keys: tuple[str, ...]  # the ids of the order it refunds, any of which we may know
    currency: str
    amount: Decimal  # refunded, tax included
    refunded_on: date | None  # None when the shop gave no date: the delivery's day, then
    reason: str = "Remboursement"
    lines: tuple[OrderLine, ...] = field(default_factory=tuple)
    cumulative: bool = False  # `amount` is all refunded on the order so far, not this refund alone
