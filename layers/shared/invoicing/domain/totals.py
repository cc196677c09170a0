"""Totals computed from lines: each line's net rounded to the cent, VAT per rate on summed bases.

This is EN 16931 BR-CO-17: the VAT of a rate is its rate applied to the sum of the nets at that
rate, never the sum of per-line VAT. A document discount is an allowance spread over the rates in
proportion to their bases, to the cent, so that the bases still add up to the total.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from invoicing.domain.errors import BrokenInvariant, InvalidDocument
from invoicing.domain.money import at_least_minor_unit, minor_unit, normalized, percent_of, round_money
from invoicing.domain.parts import Discount, Line, PricedLine, Totals, VatAmount
from invoicing.domain.vat import VatCategory, default_category


def line_net(line: Line, currency: str) -> Decimal:
    if line.unit_price is None:
        raise BrokenInvariant("line.unit_price is missing")
    gross = line.quantity * line.unit_price
    if line.discount is not None:
        if line.discount.type == "percent":
            gross -= percent_of(gross, line.discount.value)
        elif line.discount.value > abs(gross):
            raise InvalidDocument("the discount is larger than the line amount", field="discount")
        else:
            gross -= line.discount.value.copy_sign(gross)
    return round_money(gross, currency)


def price_lines(lines: Sequence[Line], currency: str) -> list[PricedLine]:
    priced = []
    for index, line in enumerate(lines):
        if line.kind != "item":
            priced.append(PricedLine(**line.model_dump(exclude_none=True)))
            continue
        if line.vat_rate is None:
            raise BrokenInvariant("line.vat_rate is missing")
        try:
            net = line_net(line, currency)
        except InvalidDocument as error:
            raise InvalidDocument(error.message, field=f"lines[{index}].discount") from None
        fields = line.model_dump(exclude_none=True)
        fields |= {
            "quantity": normalized(line.quantity),
            "unit_price": at_least_minor_unit(line.unit_price or Decimal(0), currency),
            "vat_rate": normalized(line.vat_rate),
            "vat_category": line.vat_category or default_category(line.vat_rate),
            "total_excl_tax": net,
        }
        priced.append(PricedLine(**fields))
    return priced


def allocate(total: Decimal, weights: Sequence[Decimal], unit: Decimal) -> list[Decimal]:
    """Split `total` in proportion to `weights`, in whole units, the remainders going to the largest."""
    weight_sum = sum(weights, Decimal(0))
    if not weights or weight_sum <= 0 or any(weight < 0 for weight in weights):
        raise InvalidDocument("a discount amount needs a positive base at every VAT rate", field="discount")
    units = int((total / unit).to_integral_value())
    exact = [Decimal(units) * weight / weight_sum for weight in weights]
    shares = [int(share.to_integral_value(rounding="ROUND_FLOOR")) for share in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (exact[i] - shares[i], weights[i]), reverse=True)
    for i in by_remainder[: units - sum(shares)]:
        shares[i] += 1
    return [Decimal(share) * unit for share in shares]


def with_euro_amounts(totals: Totals, exchange_rate: Decimal | None) -> Totals:
    """The VAT and total in euros of a document in another currency, at the issuer's rate."""
    if exchange_rate is None:
        return totals
    return totals.model_copy(
        update={
            "total_vat_eur": round_money(totals.total_vat * exchange_rate, "EUR"),
            "total_incl_tax_eur": round_money(totals.total_incl_tax * exchange_rate, "EUR"),
        }
    )


def compute_totals(lines: Sequence[PricedLine], discount: Discount | None, currency: str) -> Totals:
    # EN 16931 breaks VAT down by category and rate: an exempt line and a reverse-charged one, both
    # at 0 %, are two groups.
    bases: dict[tuple[Decimal, VatCategory], Decimal] = {}
    for line in lines:
        if line.total_excl_tax is not None and line.vat_rate is not None:
            group = (normalized(line.vat_rate), line.vat_category or default_category(line.vat_rate))
            bases[group] = bases.get(group, Decimal(0)) + line.total_excl_tax
    rates = sorted(bases, reverse=True)
    subtotal = round_money(sum(bases.values(), Decimal(0)), currency)

    allowances = [Decimal(0)] * len(rates)
    if discount is not None and discount.value:
        if discount.type == "percent":
            allowances = [round_money(percent_of(bases[rate], discount.value), currency) for rate in rates]
        else:
            if discount.value > subtotal:
                raise InvalidDocument("the discount is larger than the subtotal", field="discount.value")
            amount = round_money(discount.value, currency)
            allowances = allocate(amount, [bases[rate] for rate in rates], minor_unit(currency))

    vat = []
    for (rate, category), allowance in zip(rates, allowances, strict=True):
        base = round_money(bases[(rate, category)] - allowance, currency)
        amount = round_money(percent_of(base, rate), currency)
        vat.append(VatAmount(category=category, rate=rate, base=base, amount=amount))

    total_discount = round_money(sum(allowances, Decimal(0)), currency)
    total_excl_tax = subtotal - total_discount
    total_vat = round_money(sum((entry.amount for entry in vat), Decimal(0)), currency)
    total_incl_tax = total_excl_tax + total_vat
    if total_incl_tax < 0:
        raise InvalidDocument(
            "the total must not be negative: correct an invoice with a credit note", field="lines"
        )
    zero = round_money(Decimal(0), currency)
    return Totals(
        subtotal_excl_tax=subtotal,
        discount=total_discount,
        total_excl_tax=total_excl_tax,
        vat=vat,
        total_vat=total_vat,
        total_incl_tax=total_incl_tax,
        amount_paid=zero,
        amount_credited=zero,
        amount_deposits=zero,
        rounding=zero,
        amount_due=total_incl_tax,
    )
