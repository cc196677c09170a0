"""Money as Decimal: currency precision, half-up rounding and the contract's string form."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import get_currency_precision, list_currencies

HUNDRED = Decimal(100)


@lru_cache(maxsize=1)
def known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def is_currency(code: str) -> bool:
    return code in known_currencies()


@lru_cache(maxsize=64)
def minor_unit(currency: str) -> Decimal:
    """The smallest amount of the currency: 0.01 for EUR, 1 for JPY."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit (the cent for EUR)."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def at_least_minor_unit(amount: Decimal, currency: str) -> Decimal:
    """Show a unit price with at least the currency's decimals, keeping any finer ones (0.0125)."""
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -get_currency_precision(currency):
        return amount
    return amount.quantize(minor_unit(currency))


def percent_of(amount: Decimal, rate: Decimal) -> Decimal:
    return amount * rate / HUNDRED


def normalized(value: Decimal) -> Decimal:
    """20.00 -> 20, 5.50 -> 5.5: rates and quantities as a person writes them."""
    result = value.normalize()
    exponent = result.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        return result.quantize(Decimal(1))
    return result
