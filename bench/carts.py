"""How often a shop's tax-included cart still needs a rounding amount (BT-114) on its invoice: over
1,000 random carts (mixed rates, quantities, discounts, shipping), against the carts whose lines'
own nets (each line's price less its VAT, as a shop rounds per line) would have needed one."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal

from invoicing.domain.money import percent_of, round_money
from invoicing.domain.parts import Customer
from invoicing.domain.webhooks.documents import invoice_from_order
from invoicing.domain.webhooks.endpoints import EndpointSettings
from invoicing.domain.webhooks.orders import OrderLine, ShopOrder

CARTS = 1000
RATES = (Decimal(20), Decimal(10), Decimal("5.5"), Decimal("2.1"))
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _cart(rng: random.Random) -> tuple[OrderLine, ...]:
    lines = []
    for n in range(rng.randint(1, 6)):
        quantity = rng.randint(1, 5)
        price = Decimal(rng.randint(50, 15_000)) / 100
        amount = price * quantity
        if rng.random() < 0.3:  # a discount on the line, in percent
            amount = round_money(amount - percent_of(amount, Decimal(rng.choice((5, 10, 15, 20)))), "EUR")
        lines.append(OrderLine(f"Article {n}", Decimal(quantity), amount, rng.choice(RATES)))
    if rng.random() < 0.7:  # shipping, at the standard rate
        lines.append(
            OrderLine("Livraison", Decimal(1), Decimal(rng.choice((490, 690, 990, 1290))) / 100, RATES[0])
        )
    return tuple(lines)


def _per_line_rounding(lines: tuple[OrderLine, ...]) -> bool:
    """Whether nets taken line by line (the shop's own rounding) miss the charge."""
    bases: dict[Decimal, Decimal] = {}
    for line in lines:
        net = round_money(line.amount * 100 / (100 + line.vat_rate), "EUR")
        bases[line.vat_rate] = bases.get(line.vat_rate, Decimal(0)) + net
    total = sum(
        (base + round_money(percent_of(base, rate), "EUR") for rate, base in bases.items()), Decimal(0)
    )
    return total != sum((line.amount for line in lines), Decimal(0))


def measure() -> list[tuple[str, str, str, str]]:
    rng = random.Random(2026)
    settings = EndpointSettings(provider="shopify")
    needed = before = 0
    for n in range(CARTS):
        lines = _cart(rng)
        paid = sum((line.amount for line in lines), Decimal(0))
        order = ShopOrder(
            "shopify",
            (str(n),),
            f"#{n}",
            "EUR",
            Customer(name="Jeanne Martin"),
            lines,
            True,
            paid,
            NOW.date(),
        )
        invoice = invoice_from_order(order, settings, document_id=f"inv_{n}", now=NOW)
        needed += invoice.totals.rounding != 0
        before += _per_line_rounding(lines)
    return [
        (
            f"tax-included carts needing a rounding amount, nets line by line (baseline), {CARTS:,} carts",
            f"{before / CARTS:.1%}",
            "1.00",
            "mixed rates, quantities, line discounts, shipping",
        ),
        (
            "the same carts, each rate's base from its tax-included sum",
            f"{needed / CARTS:.1%}",
            f"{needed / before:.2f}" if before else "-",
            "the invoice comes to the charge; a rounding amount only where no base gives it back",
        ),
    ]
