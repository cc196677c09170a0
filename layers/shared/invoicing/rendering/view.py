"""What the template shows, formatted for the reader's locale by Babel (`1 234,56 €`, `21 nov. 2026`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from invoicing.domain.model import AnyDocument, Document, Quote
from invoicing.domain.parts import Address
from invoicing.domain.vat import MENTIONS
from invoicing.rendering.labels import LABELS

BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


class Formatter:
    def __init__(self, locale: str, currency: str) -> None:
        self.babel_locale = BABEL_LOCALES[locale]
        self.currency = currency

    def money(self, amount: Decimal | None) -> str:
        if amount is None:
            return ""
        return str(format_currency(amount, self.currency, locale=self.babel_locale))

    def unit_price(self, amount: Decimal | None) -> str:
        """Unit prices keep their sub-cent decimals (0,0125 €)."""
        if amount is None:
            return ""
        return str(
            format_currency(
                amount,
                self.currency,
                locale=self.babel_locale,
                currency_digits=False,
                format_type="standard",
                decimal_quantization=False,
            )
        )

    def number(self, value: Decimal | None) -> str:
        return "" if value is None else str(format_decimal(value, locale=self.babel_locale))

    def rate(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        return str(format_percent(value / 100, locale=self.babel_locale, decimal_quantization=False))

    def day(self, value: date | None) -> str:
        return "" if value is None else str(format_date(value, format="long", locale=self.babel_locale))


def address_lines(address: Address | None) -> list[str]:
    if address is None:
        return []
    lines = [address.line1, address.line2, f"{address.postal_code} {address.city}"]
    if address.country != "FR":
        lines.append(address.country)
    return [line for line in lines if line]


def document_view(document: AnyDocument, locale: str, *, preview: bool) -> dict[str, Any]:
    labels = LABELS[locale]
    fmt = Formatter(locale, document.currency)
    credit = document.kind.credit
    quote = isinstance(document, Quote)
    # What only a document of the books carries: the quote it came from, its deposits, what it corrects.
    books = document if isinstance(document, Document) else None
    seller = document.seller
    penalty_rate = (
        fmt.rate(seller.late_penalty_rate)
        if seller and seller.late_penalty_rate is not None
        else labels["legal_rate"]
    )
    return {
        "lang": locale,
        "t": labels,
        "fmt": fmt,
        "doc": document,
        "preview": preview and not document.kind.convertible,
        "proforma": document.kind.convertible,
        "title": labels[document.type],
        "seller": seller,
        "seller_address": address_lines(seller.address) if seller else [],
        "customer_address": address_lines(document.customer.address),
        "vat_lines": [
            (
                labels["vat_on"].format(rate=fmt.rate(entry.rate), base=fmt.money(entry.base)),
                fmt.money(entry.amount),
            )
            for entry in document.totals.vat
        ],
        "b2b": document.customer.is_business and not credit and not quote,
        "quote": quote,
        "show_due": not credit and not quote,
        "due_label": labels["credit_total"] if credit else labels["amount_due"],
        "penalties": labels["penalties"].format(rate=penalty_rate),
        "on_receipt": document.payment_terms == "0",
        # The mention each VAT regime of the document asks for (Autoliquidation, art. 262 ter I...).
        "exchange": labels["exchange"].format(
            currency=document.currency,
            rate=Formatter(locale, "EUR").unit_price(document.exchange_rate),
            vat=Formatter(locale, "EUR").money(document.totals.total_vat_eur),
            total=Formatter(locale, "EUR").money(document.totals.total_incl_tax_eur),
        )
        if document.exchange_rate is not None
        else None,
        "operation_nature": labels[document.operation_nature] if document.operation_nature else None,
        "delivery_address": address_lines(document.delivery_address),
        "vat_on_debits": bool(seller and seller.vat_on_debits) and document.operation_nature != "goods",
        "vat_mentions": [
            MENTIONS[vat.category][0] for vat in document.totals.vat if vat.category in MENTIONS
        ],
        "from_quote": labels["from_quote"].format(number=books.quote.number)
        if books and books.quote
        else None,
        "deposits": [
            (
                labels["deposit_deducted"].format(number=deposit.number, date=fmt.day(deposit.issue_date)),
                fmt.money(deposit.amount),
            )
            for deposit in (books.deposits if books else [])
        ],
        "corrects": labels["corrects"].format(
            number=books.corrects.number, date=fmt.day(books.corrects.issue_date)
        )
        if books and books.corrects
        else None,
    }
