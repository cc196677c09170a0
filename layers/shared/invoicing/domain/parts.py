"""The parts documents are made of: the parties, the lines, the totals, and the references that
link one document to another. Every part is a frozen contract that refuses unknown fields."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    ConfigDict,
    EmailStr,
    Field,
    StrictBool,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from invoicing.domain.base import Contract
from invoicing.domain.fields import (
    NULL_SCHEMA,
    PERCENT_SCHEMA,
    PRESENT_SCHEMA,
    Amount,
    Country,
    LineTitle,
    LongText,
    Name,
    Percent,
    Quantity,
    ShortText,
    Siren,
    Siret,
    Unit,
    UnitPrice,
    VatNumber,
    VatRate,
)
from invoicing.domain.reporting_calendar import VatRegime
from invoicing.domain.vat import VAT_CODES, ZERO_RATED, VatCategory

Language = Literal["fr", "en"]
OperationNature = Literal["goods", "services", "mixed"]
PaymentMethod = Literal["transfer", "card", "direct_debit", "check", "cash", "other", "refund"]
LineKind = Literal["item", "section", "comment"]
_T = TypeVar("_T")


class Address(Contract):
    line1: Name
    line2: Name | None = None
    postal_code: ShortText
    city: Name
    country: Country = "FR"


def _directory_values(schema: dict[str, Any]) -> None:
    """For the OpenAPI document: a directory address (0225, the default) in the directory's letters."""
    schema["if"] = {"properties": {"scheme": {"const": "0225"}}}
    schema["then"] = {"properties": {"value": {"pattern": DIRECTORY_ADDRESS.pattern}}}


class ElectronicAddress(Contract):
    """Where a party receives its e-invoices (BT-34, BT-49): for a French company, its address in the
    platforms' directory (scheme 0225: its SIREN, or SIREN_SIRET, or SIREN_SIRET_routing code)."""

    model_config = ConfigDict(json_schema_extra=_directory_values)

    scheme: Annotated[str, StringConstraints(pattern=r"^(0[0-9]{3}|9[0-9]{3}|EM)$")] = Field(
        default="0225", description="Its EAS code: 0225 for the French directory, EM for an email."
    )
    value: Annotated[str, StringConstraints(min_length=1, max_length=125, pattern=r"^[^\s\x00-\x1f\x7f]+$")]

    @field_validator("value")
    @classmethod
    def _directory_format(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("scheme", "0225") == "0225" and not DIRECTORY_ADDRESS.match(value):
            raise ValueError("a directory address (0225) holds letters, digits and + - _ . only")
        return value


class Customer(Contract):
    name: Name
    email: EmailStr | None = Field(default=None, max_length=254)
    address: Address | None = None
    siren: Siren | None = None
    siret: Siret | None = Field(
        default=None, validate_default=True, description="The establishment invoiced."
    )
    vat_number: VatNumber | None = None
    electronic_address: ElectronicAddress | None = Field(
        default=None,
        validate_default=True,
        description="Where it receives e-invoices; a French company's SIREN in the directory by default.",
    )

    @field_validator("siret")
    @classmethod
    def _siret_of_siren(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _establishment_of(value, info.data.get("siren"))

    @field_validator("electronic_address")
    @classmethod
    def _address_of_siren(
        cls, value: ElectronicAddress | None, info: ValidationInfo
    ) -> ElectronicAddress | None:
        return _directory_address_of(value, info.data.get("siren"))

    @property
    def is_business(self) -> bool:
        """A customer with a company identifier is a business: B2B rules (terms cap, penalties) apply."""
        return self.siren is not None or self.vat_number is not None

    @property
    def french_siren(self) -> str | None:
        """The SIREN of a French company: given, or read from its SIRET or its French VAT number."""
        return _siren_of(self.siren, self.siret, self.vat_number)

    @property
    def receiving_address(self) -> ElectronicAddress | None:
        """Where its e-invoices go (BT-49): the one it gave, its SIREN in the directory for a French
        company, its email otherwise."""
        siren = self.french_siren
        if self.electronic_address is not None:
            return self.electronic_address
        if siren is not None:
            return ElectronicAddress(value=siren)
        return ElectronicAddress(scheme="EM", value=self.email) if self.email else None


def _percent_at_most_100_schema(schema: dict[str, Any]) -> None:
    schema["if"] = {"properties": {"type": {"const": "percent"}}}
    schema["then"] = {"properties": {"value": PERCENT_SCHEMA}}


class Discount(Contract):
    model_config = ConfigDict(json_schema_extra=_percent_at_most_100_schema)

    type: Literal["percent", "amount"]
    value: Amount

    @field_validator("value")
    @classmethod
    def _percent_at_most_100(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        if info.data.get("type") == "percent" and value > 100:
            raise ValueError("a percent discount is at most 100")
        return value


# A rate of zero however it is written: "0", "0.0", 0.
_ZERO_RATE = {"anyOf": [{"type": "string", "pattern": r"^0{1,2}(\.0{1,3})?$"}, {"const": 0}]}
_ITEM_ONLY = ("unit", "unit_price", "vat_rate", "vat_category", "discount", "nature")


def _line_variants(schema: dict[str, Any]) -> None:
    """The rules of `Line` for the OpenAPI document: an item has a price and a rate, its category
    goes with its rate; a section or a comment has only a title and a description (in allOf, so
    that code generators keep the properties beside the variants)."""
    schema["allOf"] = [
        {
            "anyOf": [
                {
                    "properties": {
                        "kind": {"const": "item"},
                        "unit_price": PRESENT_SCHEMA,
                        "vat_rate": PRESENT_SCHEMA,
                    },
                    "required": ["unit_price", "vat_rate"],
                    "anyOf": [
                        {"properties": {"vat_category": NULL_SCHEMA}},
                        {"properties": {"vat_category": {"const": "S"}, "vat_rate": {"not": _ZERO_RATE}}},
                        {
                            "properties": {
                                "vat_category": {"enum": sorted(ZERO_RATED)},
                                "vat_rate": _ZERO_RATE,
                            }
                        },
                    ],
                },
                {
                    "properties": {"kind": {"enum": ["section", "comment"]}}
                    | dict.fromkeys(_ITEM_ONLY, NULL_SCHEMA),
                    "required": ["kind"],
                },
            ]
        }
    ]


class Line(Contract):
    model_config = ConfigDict(json_schema_extra=_line_variants)

    kind: LineKind = "item"
    title: LineTitle
    description: LongText | None = None
    quantity: Quantity = Decimal(1)
    unit: Unit | None = None
    unit_price: UnitPrice | None = Field(default=None, validate_default=True)
    vat_rate: VatRate | None = Field(default=None, validate_default=True)
    vat_category: VatCategory | None = Field(
        default=None,
        description="EN 16931 VAT category: S (standard), Z, E (exempt), AE (reverse charge), K (intra-EU "
        "goods), G (export); S or E from the rate by default. A line may instead give "
        "`vat_code`, a Pennylane-style alias of rate and category: FR_200, FR_100, FR_85, FR_55, FR_21, "
        "FR_0, exempt, intracom, extracom, reverse_charge.",
    )
    discount: Discount | None = None
    nature: Literal["goods", "services"] | None = Field(
        default=None,
        description="What the line sells, when the document is mixed: it sorts the line's amounts between "
        "goods and services in the e-reporting; the document's nature by default.",
    )

    @model_validator(mode="before")
    @classmethod
    def _vat_code(cls, data: Any) -> Any:
        """`vat_code` (such as FR_200 or intracom) stands for a rate and a category."""
        if not isinstance(data, dict) or "vat_code" not in data:
            return data
        data = dict(data)
        code = data.pop("vat_code")
        if code not in VAT_CODES:
            raise ValueError(f"vat_code must be one of {', '.join(VAT_CODES)}")
        rate, category = VAT_CODES[code]
        if data.get("vat_rate") is not None and Decimal(str(data["vat_rate"])) != rate:
            raise ValueError(f"vat_code {code} is a rate of {rate} %, not {data['vat_rate']}")
        return data | {"vat_rate": rate, "vat_category": category}

    @field_validator("vat_category")
    @classmethod
    def _category_fits_rate(cls, value: VatCategory | None, info: ValidationInfo) -> VatCategory | None:
        rate = info.data.get("vat_rate")
        if value is not None and rate is not None and (value in ZERO_RATED) != (rate == 0):
            raise ValueError(f"category {value} does not go with a rate of {rate} %")
        return _text_only(value, info)

    @field_validator("unit_price", "vat_rate")
    @classmethod
    def _required_on_items(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        if info.data.get("kind", "item") == "item" and value is None:
            raise ValueError(f"an item line needs a {info.field_name}")
        return _text_only(value, info)

    @field_validator("unit", "discount", "nature")
    @classmethod
    def _only_on_items(cls, value: Any, info: ValidationInfo) -> Any:
        return _text_only(value, info)


def _text_only(value: _T, info: ValidationInfo) -> _T:
    kind = info.data.get("kind", "item")
    if kind != "item" and value is not None:
        raise ValueError(f"a {kind} line carries text only")
    return value


class PricedLine(Line):
    total_excl_tax: Decimal | None = None


class VatAmount(Contract):
    category: VatCategory = "S"
    rate: Decimal
    base: Decimal
    amount: Decimal


class Totals(Contract):
    subtotal_excl_tax: Decimal
    discount: Decimal
    total_excl_tax: Decimal
    vat: list[VatAmount]
    total_vat: Decimal
    total_incl_tax: Decimal
    amount_paid: Decimal
    amount_credited: Decimal = Decimal(0)
    amount_deposits: Decimal = Field(
        default=Decimal(0), description="Deposit invoices deducted by this final invoice, incl. tax."
    )
    total_vat_eur: Decimal | None = Field(
        default=None, description="The VAT in euros, for an invoice in another currency (BT-111)."
    )
    total_incl_tax_eur: Decimal | None = Field(default=None, description="Its total in euros, for reporting.")
    rounding: Decimal = Field(
        default=Decimal(0),
        description="EN 16931 BT-114: what brings the amount due to what a shop charged, when its own "
        "rounding of VAT differs from the per-rate computation; zero on documents made through the API.",
    )
    amount_due: Decimal

    @property
    def payable(self) -> Decimal:
        """What the document asks to be paid before any payment or credit note (EN 16931 BT-115 at
        issue): the total with the rounding amount, less the deposits a final invoice deducts."""
        return self.total_incl_tax + self.rounding - self.amount_deposits


class Seller(Contract):
    """The tenant's legal identity, frozen into each finalized document."""

    name: Name
    legal_form: ShortText | None = None
    share_capital: ShortText | None = None
    address: Address
    siren: Siren
    siret: Siret | None = Field(default=None, description="The establishment that invoices.")
    vat_number: VatNumber | None = None
    email: EmailStr | None = Field(default=None, max_length=254)
    phone: ShortText | None = None
    legal_mentions: LongText | None = None
    late_penalty_rate: Percent | None = None
    vat_on_debits: StrictBool = Field(
        default=False,
        description="The seller opted to pay VAT on debits (option pour le paiement de la taxe d'après les "
        "débits): a mention of the 2026 reform, printed on its invoices of services.",
    )
    electronic_address: ElectronicAddress | None = Field(
        default=None,
        validate_default=True,
        description="Where it receives e-invoices (BT-34), as its platform registered it in the directory; "
        "its SIREN by default.",
    )
    operation_nature: OperationNature | None = Field(
        default=None,
        description="What it sells (goods, services or mixed): the nature its documents state unless one "
        "says otherwise, a mandatory mention and what an e-invoice's billing framework is made of.",
    )
    vat_regime: VatRegime = Field(
        default="normal_monthly",
        description="Its VAT regime, which sets the e-reporting calendar: normal_monthly (transactions by "
        "ten days, payments by month), normal_quarterly and simplified (both by month), franchise (both by "
        "two months).",
    )

    @field_validator("siret")
    @classmethod
    def _siret_of_siren(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _establishment_of(value, info.data.get("siren"))

    @field_validator("electronic_address")
    @classmethod
    def _address_of_siren(
        cls, value: ElectronicAddress | None, info: ValidationInfo
    ) -> ElectronicAddress | None:
        return _directory_address_of(value, info.data.get("siren"))

    @property
    def receiving_address(self) -> ElectronicAddress:
        return self.electronic_address or ElectronicAddress(value=self.siren)


DIRECTORY_ADDRESS = re.compile(r"^[A-Za-z0-9+\-_.]{1,125}$")


def _establishment_of(siret: str | None, siren: str | None) -> str | None:
    """A SIRET is its company's SIREN followed by the establishment's number."""
    if siret is not None and siren is not None and not siret.startswith(siren):
        raise ValueError(f"the SIRET of SIREN {siren} starts with it")
    return siret


def _directory_address_of(address: ElectronicAddress | None, siren: str | None) -> ElectronicAddress | None:
    """A company's address in the French directory starts with its SIREN (BR-FR-21)."""
    if (
        address is not None
        and address.scheme == "0225"
        and siren is not None
        and not address.value.startswith(siren)
    ):
        raise ValueError(f"a directory address (0225) of SIREN {siren} starts with it")
    return address


def _siren_of(siren: str | None, siret: str | None, vat_number: str | None) -> str | None:
    if siren is not None:
        return siren
    if siret is not None:
        return siret[:9]
    if vat_number is not None and vat_number.startswith("FR") and vat_number[4:].isdigit():
        return vat_number[4:]  # FR, two check characters, then the SIREN
    return None


class Payment(Contract):
    id: str
    amount: Decimal
    date: date
    method: PaymentMethod
    reference: ShortText | None = None
    recorded_at: datetime


class CreditNoteRef(Contract):
    """A credit note as the invoice it corrects lists it."""

    id: str
    number: str
    amount: Decimal
    issue_date: date


class CorrectedInvoice(Contract):
    """The invoice a credit note corrects, as the credit note names it."""

    id: str
    number: str
    issue_date: date


class DepositRef(Contract):
    """A deposit invoice as the final invoice that deducts it lists it."""

    id: str
    number: str
    issue_date: date
    amount_excl_tax: Decimal
    amount: Decimal = Field(description="What the final invoice deducts: the deposit's total, incl. tax.")


class DocumentRef(Contract):
    """Another document, named by id and number (the quote an invoice came from)."""

    id: str
    number: str


class QuoteInvoice(Contract):
    """A document made from a quote: its final invoice, or a deposit of a percentage."""

    id: str
    type: Literal["invoice", "deposit"]
    deposit_percent: Decimal | None = None
    created_at: datetime
