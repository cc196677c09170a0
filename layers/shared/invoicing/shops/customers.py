"""A shop's buyer as the invoice's customer, whatever the shop let its customer type: the name the
invoice needs always found, and each other field taken only if it validates. What does not (an
email at a special-use domain such as `client@boutique.local`, a malformed VAT number, an address
without a city) is kept aside, word for word, in the document's metadata: a paid order is never
lost over a field the law does not need. One function for every provider."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from pydantic import ValidationError

from invoicing.domain.parts import Address, Customer

FALLBACK_NAME = "Client"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Buyer(NamedTuple):
    customer: Customer
    set_aside: dict[str, str]  # what did not validate, for the document's metadata


@dataclass(frozen=True)
class ShopAddress:
    line1: object
    line2: object
    postal_code: object
    city: object
    country: object


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = _CONTROL.sub(" ", value).strip()
    return cleaned or None


def _name(company: object, vat_number: object, names: tuple[object, ...], email: object) -> str:
    """A business invoiced under its VAT number is the company; anyone else goes by the first name
    given: the customer's own, the billing name, first and last names, the company, the email."""
    if _text(company) and _text(vat_number):
        return str(_text(company))
    for candidate in (*names, company, email):
        if text := _text(candidate):
            return text[:200]
    return FALLBACK_NAME


def _address(address: ShopAddress | None) -> dict[str, Any] | None:
    if address is None or not _text(address.line1) or not _text(address.city):
        return None
    return {
        "line1": _text(address.line1),
        "line2": _text(address.line2),
        "postal_code": _text(address.postal_code) or "-",
        "city": _text(address.city),
        "country": (_text(address.country) or "FR").upper(),
    }


def shop_customer(
    *,
    names: tuple[object, ...],
    email: object = None,
    company: object = None,
    vat_number: object = None,
    address: ShopAddress | None = None,
) -> Buyer:
    """The customer, and what was set aside (`customer_email`, `customer_vat_number`,
    `customer_address`) for the document's metadata."""
    customer = Customer(name=_name(company, vat_number, names, email))
    kept: dict[str, str] = {}
    optional = {
        "email": (_text(email), "customer_email"),
        "vat_number": (_text(vat_number), "customer_vat_number"),
    }
    for field, (value, aside) in optional.items():
        if value is None:
            continue
        try:
            customer = Customer.model_validate(customer.model_dump(exclude_none=True) | {field: value})
        except ValidationError:
            kept[aside] = value[:500]
    if (fields := _address(address)) is not None:
        try:
            customer = Customer.model_validate(
                customer.model_dump(exclude_none=True) | {"address": Address.model_validate(fields)}
            )
        except ValidationError:
            kept["customer_address"] = ", ".join(str(value) for value in fields.values() if value)[:500]
    return Buyer(customer, kept)
