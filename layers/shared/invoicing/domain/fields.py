"""Bounded field types: every text, number and list the API accepts has a sane limit."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Annotated

from babel import Locale
from pydantic import AfterValidator, Field, StringConstraints
from stdnum.eu import vat as eu_vat
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret

from invoicing.domain.money import is_currency

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f]")


def _single_line(value: str) -> str:
    if _CONTROL_OR_NEWLINE.search(value):
        raise ValueError("must be a single line without control characters")
    return value


def _multi_line(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return value


Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), AfterValidator(_single_line)
]
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), AfterValidator(_single_line)
]
LineTitle = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), AfterValidator(_single_line)
]
LongText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000), AfterValidator(_multi_line)
]
Unit = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30), AfterValidator(_single_line)
]

# Amounts typed by a person: up to a billion, with up to 6 decimals for unit prices (0.0125 per SMS).
UnitPrice = Annotated[Decimal, Field(ge=Decimal("-1e9"), le=Decimal("1e9"), max_digits=16, decimal_places=6)]
Quantity = Annotated[Decimal, Field(ge=Decimal("-1e7"), le=Decimal("1e7"), max_digits=14, decimal_places=6)]
Amount = Annotated[Decimal, Field(ge=0, le=Decimal("1e10"), max_digits=16, decimal_places=6)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=6, decimal_places=3)]
VatRate = Annotated[Decimal, Field(ge=0, lt=100, max_digits=5, decimal_places=3)]


def _currency(value: str) -> str:
    code = value.upper()
    if not is_currency(code):
        raise ValueError("must be an ISO 4217 currency code")
    return code


Currency = Annotated[str, StringConstraints(min_length=3, max_length=3), AfterValidator(_currency)]
ExchangeRate = Annotated[Decimal, Field(gt=0, le=Decimal("1e6"), max_digits=16, decimal_places=8)]


@lru_cache(maxsize=1)
def _territories() -> frozenset[str]:
    codes = (str(code) for code in Locale("en").territories)
    return frozenset(code for code in codes if len(code) == 2 and code.isalpha())


def _country(value: str) -> str:
    code = value.upper()
    if code not in _territories():
        raise ValueError("must be an ISO 3166-1 alpha-2 country code")
    return code


Country = Annotated[str, StringConstraints(min_length=2, max_length=2), AfterValidator(_country)]


def _siren(value: str) -> str:
    if not fr_siren.is_valid(value):
        raise ValueError("must be a valid 9-digit SIREN")
    return str(fr_siren.compact(value))


Siren = Annotated[str, StringConstraints(max_length=20), AfterValidator(_siren)]


def _siret(value: str) -> str:
    if not fr_siret.is_valid(value):
        raise ValueError("is not a valid SIRET (14 digits, Luhn checked)")
    return str(fr_siret.compact(value))


Siret = Annotated[str, StringConstraints(max_length=24), AfterValidator(_siret)]

_VAT_SHAPE = re.compile(r"^[A-Z]{2}[A-Z0-9]{2,18}$")


def _vat_number(value: str) -> str:
    compact = re.sub(r"[\s.\-]", "", value).upper()
    if not _VAT_SHAPE.match(compact):
        raise ValueError("must be a VAT number starting with its country code")
    prefix = compact[:2]
    if (prefix.lower() in eu_vat.MEMBER_STATES or prefix == "EL") and not eu_vat.is_valid(compact):
        raise ValueError("is not a valid EU VAT number")
    return compact


VatNumber = Annotated[str, StringConstraints(max_length=30), AfterValidator(_vat_number)]

_METADATA_KEY = re.compile(r"^[A-Za-z0-9_.:\-]{1,40}$")


def _metadata(value: dict[str, str]) -> dict[str, str]:
    if len(value) > 50:
        raise ValueError("at most 50 keys")
    for key, item in value.items():
        if not _METADATA_KEY.match(key):
            raise ValueError(f"key {key!r} must be 1 to 40 letters, digits or _.:-")
        if len(item) > 500 or _CONTROL.search(item):
            raise ValueError(f"value of {key!r} must be at most 500 characters without control characters")
    return value


Metadata = Annotated[dict[str, str], AfterValidator(_metadata)]
