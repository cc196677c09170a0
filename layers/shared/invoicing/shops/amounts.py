"""Amounts as shops write them: minor units (Stripe), decimal strings or numbers (Shopify,
WooCommerce), and the VAT rate behind a tax amount when a shop gives only amounts."""

from __future__ import annotations

from decimal import Decimal

from invoicing.domain.money import is_currency, minor_unit, round_money
from invoicing.domain.webhooks.orders import UnreadableEvent

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


def currency_of(value: object, field_name: str) -> str:
    """The ISO 4217 code a shop wrote (in either case); refused, saying which, when it is not one."""
    if value is None or value == "":
        raise UnreadableEvent("the event gives no currency", field=field_name)
    code = str(value).strip().upper()
    if not is_currency(code):
        raise UnreadableEvent(
            f"{str(value)[:20]!r} is not a currency code (ISO 4217, such as EUR)", field=field_name
        )
    return code
