"""Bounded field types: every text, number and list the API accepts has a sane limit."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any

from babel import Locale
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from invoicing.domain.money import is_currency, known_currencies

# What the models' OpenAPI rules across fields say of a value: null (or absent), or given.
NULL_SCHEMA: dict[str, Any] = {"type": "null"}
PRESENT_SCHEMA: dict[str, Any] = {"not": NULL_SCHEMA}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f]")
# The same rules as the validators below, for the OpenAPI document: no control character, and
# something but spaces (the text is stripped before its length is counted).
_LINE_CHARACTER = r"[^\x00-\x1f\x7f]"
_TEXT_CHARACTER = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
# \x85 (NEL) is a space to Python's strip(), not to an ECMA-262 pattern's \s: named for both.
SINGLE_LINE_PATTERN = rf"^[^\S\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f\x85]{_LINE_CHARACTER}*$"
MULTI_LINE_PATTERN = (
    rf"^[^\S\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^\s\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85]{_TEXT_CHARACTER}*$"
)


class _Text:
    """A person's text: at most `max_length` characters as sent, no control character (newlines
    and tabs where `lines`), and something but spaces; kept stripped. Its OpenAPI schema states
    exactly that."""

    def __init__(self, max_length: int, *, lines: bool = False) -> None:
        self.max_length = max_length
        self.control = _CONTROL if lines else _CONTROL_OR_NEWLINE
        single = "must be a single line without control characters"
        self.problem = "must not contain control characters" if lines else single
        self.pattern = MULTI_LINE_PATTERN if lines else SINGLE_LINE_PATTERN

    def _check(self, value: str) -> str:
        if self.control.search(value):
            raise ValueError(self.problem)
        if not value.strip():
            raise ValueError("must not be empty or only spaces")
        return value.strip()

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(
            self._check, core_schema.str_schema(max_length=self.max_length)
        )

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "minLength": 1, "maxLength": self.max_length, "pattern": self.pattern}


Name = Annotated[str, _Text(200)]
ShortText = Annotated[str, _Text(100)]
LineTitle = Annotated[str, _Text(500)]
LongText = Annotated[str, _Text(5000, lines=True)]
Unit = Annotated[str, _Text(30)]


def decimal_pattern(*, digits: int, places: int, signed: bool = False, positive: bool = False) -> str:
    """A decimal written as a person writes it: up to `digits` digits, a point, up to `places`;
    `positive` leaves out every spelling of zero."""
    sign = "-?" if signed else ""
    if not positive:
        return rf"^{sign}\d{{1,{digits}}}(\.\d{{1,{places}}})?$"
    whole = rf"0*[1-9]\d{{0,{digits - 1}}}(\.\d{{1,{places}}})?"
    fractions = "|".join(rf"0{{{zeros}}}[1-9]\d{{0,{places - zeros - 1}}}" for zeros in range(places))
    return rf"^{sign}({whole}|0*\.({fractions}))$"


class DecimalText:
    """Refuses a decimal string the published pattern does not match ("1e3", " 5", "12."); numbers
    (JSON's, or Decimals from the shops' payloads) are bounded by the field's own limits."""

    def __init__(self, pattern: str) -> None:
        self.pattern = re.compile(pattern)

    def __call__(self, value: object) -> object:
        if isinstance(value, str) and not self.pattern.match(value):
            raise ValueError('must be a decimal number written as digits, such as "19.90"')
        return value


def decimal_schema(pattern: str, minimum: int, maximum: int, description: str) -> WithJsonSchema:
    """A decimal as a string matching `pattern` (as the API answers it), or a whole number: a JSON
    number with decimals is taken too, exactly, but a client should not send one (its own float
    may not be exact)."""
    return WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": pattern},
                {"type": "integer", "minimum": minimum, "maximum": maximum},
            ],
            "description": description,
        }
    )


# Amounts typed by a person: under a billion, with up to 6 decimals for unit prices (0.0125 per SMS).
UNIT_PRICE_PATTERN = decimal_pattern(digits=9, places=6, signed=True)
UnitPrice = Annotated[
    Decimal,
    BeforeValidator(DecimalText(UNIT_PRICE_PATTERN)),
    Field(gt=Decimal("-1e9"), lt=Decimal("1e9"), max_digits=15, decimal_places=6),
    decimal_schema(UNIT_PRICE_PATTERN, -999_999_999, 999_999_999, "Up to 6 decimals; negative for a rebate."),
]
QUANTITY_PATTERN = decimal_pattern(digits=7, places=6, signed=True)
Quantity = Annotated[
    Decimal,
    BeforeValidator(DecimalText(QUANTITY_PATTERN)),
    Field(gt=Decimal("-1e7"), lt=Decimal("1e7"), max_digits=13, decimal_places=6),
    decimal_schema(QUANTITY_PATTERN, -9_999_999, 9_999_999, "Up to 6 decimals."),
]
AMOUNT_PATTERN = decimal_pattern(digits=10, places=6)
POSITIVE_AMOUNT_PATTERN = decimal_pattern(digits=10, places=6, positive=True)
Amount = Annotated[
    Decimal,
    BeforeValidator(DecimalText(AMOUNT_PATTERN)),
    Field(ge=0, lt=Decimal("1e10"), max_digits=16, decimal_places=6),
    decimal_schema(AMOUNT_PATTERN, 0, 9_999_999_999, "Up to 6 decimals."),
]
PositiveAmount = Annotated[
    Decimal,
    BeforeValidator(DecimalText(POSITIVE_AMOUNT_PATTERN)),
    Field(gt=0, lt=Decimal("1e10"), max_digits=16, decimal_places=6),
    decimal_schema(POSITIVE_AMOUNT_PATTERN, 1, 9_999_999_999, "Above 0, up to 6 decimals."),
]
VAT_RATE_PATTERN = decimal_pattern(digits=2, places=3)
VatRate = Annotated[
    Decimal,
    BeforeValidator(DecimalText(VAT_RATE_PATTERN)),
    Field(ge=0, lt=100, max_digits=5, decimal_places=3),
    decimal_schema(VAT_RATE_PATTERN, 0, 99, "A percentage: 20, 5.5, 0."),
]
PERCENT_PATTERN = r"^(100(\.0{1,3})?|\d{1,2}(\.\d{1,3})?)$"
Percent = Annotated[
    Decimal,
    BeforeValidator(DecimalText(PERCENT_PATTERN)),
    Field(ge=0, le=100, max_digits=6, decimal_places=3),
    decimal_schema(PERCENT_PATTERN, 0, 100, "A percentage from 0 to 100, up to 3 decimals."),
]
PERCENT_SCHEMA = {
    "anyOf": [{"type": "string", "pattern": PERCENT_PATTERN}, {"type": "integer", "maximum": 100}]
}


class Codes:
    """The OpenAPI schema of a code from a list: the list itself, built only when the document is
    (Babel's lists cost a cold start nothing then)."""

    def __init__(self, codes: Callable[[], frozenset[str]], standard: str) -> None:
        self.codes = codes
        self.standard = standard

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "enum": sorted(self.codes()),
            "description": f"An {self.standard} code.",
        }


def _currency(value: str) -> str:
    code = value.upper()
    if not is_currency(code):
        raise ValueError("must be an ISO 4217 currency code")
    return code


Currency = Annotated[
    str,
    StringConstraints(min_length=3, max_length=3),
    AfterValidator(_currency),
    Codes(known_currencies, "ISO 4217"),
]
EXCHANGE_RATE_PATTERN = decimal_pattern(digits=6, places=8, positive=True)
ExchangeRate = Annotated[
    Decimal,
    BeforeValidator(DecimalText(EXCHANGE_RATE_PATTERN)),
    Field(gt=0, lt=Decimal("1e6"), max_digits=14, decimal_places=8),
    decimal_schema(EXCHANGE_RATE_PATTERN, 1, 999_999, "Above 0, up to 8 decimals."),
]


@lru_cache(maxsize=1)
def _territories() -> frozenset[str]:
    codes = (str(code) for code in Locale("en").territories)
    return frozenset(code for code in codes if len(code) == 2 and code.isalpha())


def _country(value: str) -> str:
    code = value.upper()
    if code not in _territories():
        raise ValueError("must be an ISO 3166-1 alpha-2 country code")
    return code


Country = Annotated[
    str,
    StringConstraints(min_length=2, max_length=2),
    AfterValidator(_country),
    Codes(_territories, "ISO 3166-1 alpha-2"),
]


# python-stdnum is imported by the checks themselves: most functions never check an identifier.
def _siren(value: str) -> str:
    from stdnum.fr import siren as fr_siren  # noqa: PLC0415

    if not fr_siren.is_valid(value):
        raise ValueError("must be a valid 9-digit SIREN")
    return str(fr_siren.compact(value))


# The identifiers' checksums are beyond a pattern: the OpenAPI document names them as formats.
Siren = Annotated[
    str,
    StringConstraints(max_length=20),
    AfterValidator(_siren),
    WithJsonSchema({"type": "string", "pattern": r"^\d{3} ?\d{3} ?\d{3}$", "format": "siren"}),
]


def _siret(value: str) -> str:
    from stdnum.fr import siret as fr_siret  # noqa: PLC0415

    if not fr_siret.is_valid(value):
        raise ValueError("is not a valid SIRET (14 digits, Luhn checked)")
    return str(fr_siret.compact(value))


Siret = Annotated[
    str,
    StringConstraints(max_length=24),
    AfterValidator(_siret),
    WithJsonSchema({"type": "string", "pattern": r"^\d{3} ?\d{3} ?\d{3} ?\d{5}$", "format": "siret"}),
]

_VAT_SHAPE = re.compile(r"^[A-Z]{2}[A-Z0-9]{2,18}$")


def _vat_number(value: str) -> str:
    from stdnum.eu import vat as eu_vat  # noqa: PLC0415

    compact = re.sub(r"[\s.\-]", "", value).upper()
    if not _VAT_SHAPE.match(compact):
        raise ValueError("must be a VAT number starting with its country code")
    prefix = compact[:2]
    if (prefix.lower() in eu_vat.MEMBER_STATES or prefix == "EL") and not eu_vat.is_valid(compact):
        raise ValueError("is not a valid EU VAT number")
    return compact


VatNumber = Annotated[
    str,
    StringConstraints(max_length=30),
    AfterValidator(_vat_number),
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{2}[A-Za-z0-9]{2,18}$", "format": "vat-number"}),
]

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_day(value: object) -> object:
    """A day as YYYY-MM-DD, as the document says; not a timestamp pydantic would also take ("0")."""
    if isinstance(value, str) and not _ISO_DAY.match(value):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]

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


Metadata = Annotated[
    dict[str, str],
    AfterValidator(_metadata),
    WithJsonSchema(
        {
            "type": "object",
            "maxProperties": 50,
            "propertyNames": {"pattern": _METADATA_KEY.pattern},
            "additionalProperties": {"type": "string", "maxLength": 500, "pattern": rf"^{_TEXT_CHARACTER}*$"},
            "description": "Your own keys and values, kept as they are.",
        }
    ),
]
