"""What callers send about documents: the bodies and queries of the document routes, as the OpenAPI
document publishes them. The answers are `answer_schemas`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, get_args

from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    create_model,
    field_validator,
)

from invoicing.api.common_schemas import optional_fields
from invoicing.domain.base import Contract
from invoicing.domain.fields import (
    NULL_SCHEMA,
    PRESENT_SCHEMA,
    Day,
    DecimalText,
    Name,
    PositiveAmount,
    Quantity,
    ShortText,
    decimal_schema,
)
from invoicing.domain.kinds import KINDS
from invoicing.domain.model import (
    IMPORTED_TYPES,
    DocumentContent,
    QuoteContent,
    content_rules,
    document_rules,
)
from invoicing.domain.parts import Customer, Language, PaymentMethod
from invoicing.services.files import DownloadFormat

# A PDF in base64 fits in the 1 MB body with room for the document; larger ones come by file_url.
MAX_BASE64_CHARS = 900_000


PDF_BASE64_PATTERN = r"^JVBERi0[A-Za-z0-9+/]([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"


class OriginalFile(Contract):
    content_base64: str = Field(
        max_length=MAX_BASE64_CHARS,
        # "%PDF-" and what follows, in whole groups of base64.
        json_schema_extra={"pattern": PDF_BASE64_PATTERN},
        description="The PDF, base64-encoded.",
    )


# A customer given in full or named by customer_id: one of them. An entry of the schema's allOf,
# never its own top-level oneOf: code generators read that as a union of the variants alone and
# drop the properties beside it.
NAMED_CUSTOMER = {
    "oneOf": [
        {"properties": {"customer": PRESENT_SCHEMA, "customer_id": NULL_SCHEMA}, "required": ["customer"]},
        {"properties": {"customer_id": PRESENT_SCHEMA, "customer": NULL_SCHEMA}, "required": ["customer_id"]},
    ]
}


def _quote_create_rules(schema: dict[str, Any]) -> None:
    content_rules(schema)
    schema.setdefault("allOf", []).append(NAMED_CUSTOMER)


def _invoice_create_rules(schema: dict[str, Any]) -> None:
    """`InvoiceCreate`'s checks across fields, for the OpenAPI document: payment terms or a due
    date, not both; an import's original PDF, file or file_url, and only an import's."""
    document_rules(schema)
    schema["allOf"] += [
        NAMED_CUSTOMER,
        {
            "not": {
                "properties": {"payment_terms": PRESENT_SCHEMA, "due_date": PRESENT_SCHEMA},
                "required": ["payment_terms", "due_date"],
            }
        },
        {
            "if": {"properties": {"type": {"enum": IMPORTED_TYPES}}, "required": ["type"]},
            "then": {
                "oneOf": [
                    {
                        "properties": {"file": {"not": NULL_SCHEMA}, "file_url": NULL_SCHEMA},
                        "required": ["file"],
                    },
                    {
                        "properties": {"file_url": {"not": NULL_SCHEMA}, "file": NULL_SCHEMA},
                        "required": ["file_url"],
                    },
                ]
            },
            "else": {"properties": {"file": NULL_SCHEMA, "file_url": NULL_SCHEMA}},
        },
    ]


class InvoiceCreate(DocumentContent):
    model_config = ConfigDict(json_schema_extra=_invoice_create_rules)

    customer: Customer | None = Field(  # type: ignore[assignment]
        default=None, description="The customer itself, or customer_id to name one of /v1/customers."
    )
    finalize: StrictBool = Field(
        default=False, description="Create the document numbered and final in one call."
    )
    file: OriginalFile | None = Field(
        default=None, description="An imported document's original PDF (external, external_credit)."
    )
    file_url: str | None = Field(
        default=None,
        max_length=2048,
        validate_default=True,
        description="Or an https URL the PDF is fetched from once (10 MB, 10 s; public hosts only).",
    )

    @field_validator("type", mode="before")
    @classmethod
    def _not_a_quote(cls, value: object) -> object:
        if value == "quote":
            raise ValueError("quotes are made with POST /v1/quotes")
        return value

    @field_validator("file_url")
    @classmethod
    def _one_original_for_imports(cls, value: str | None, info: ValidationInfo) -> str | None:
        given = (value is not None) + (info.data.get("file") is not None)
        if KINDS[info.data.get("type", "invoice")].original_file:
            if given != 1:
                raise ValueError("an imported document needs its original PDF: file or file_url, one of them")
        elif given:
            raise ValueError("only an imported document (external, external_credit) carries an original file")
        return value

    @field_validator("due_date")
    @classmethod
    def _terms_or_due_date(cls, value: date | None, info: ValidationInfo) -> date | None:
        if value is not None and info.data.get("payment_terms") is not None:
            raise ValueError("give payment_terms or due_date, not both")
        return value


def _fields(model: type[BaseModel], names: Iterable[str]) -> dict[str, Any]:
    return {name: (model.model_fields[name].annotation, model.model_fields[name]) for name in names}


InvoiceUpdate: type[BaseModel] = create_model(
    "InvoiceUpdate",
    __config__=ConfigDict(defer_build=True, extra="forbid"),
    **optional_fields(DocumentContent),
)

# A quote's content but its type (it is a quote) and a due date (its validity is `valid_until`),
# and like an invoice's, a customer given in full or named by customer_id.
_NOT_ON_QUOTES = frozenset({"type", "due_date"})
QuoteCreate: type[BaseModel] = create_model(
    "QuoteCreate",
    __config__=ConfigDict(defer_build=True, extra="forbid", json_schema_extra=_quote_create_rules),
    **_fields(QuoteContent, (name for name in QuoteContent.model_fields if name not in _NOT_ON_QUOTES))
    | _fields(InvoiceCreate, ("customer", "finalize")),
)
QuoteUpdate: type[BaseModel] = create_model(
    "QuoteUpdate",
    __config__=ConfigDict(defer_build=True, extra="forbid"),
    **optional_fields(QuoteContent, leaving_out=_NOT_ON_QUOTES),
)


DEPOSIT_PERCENT_PATTERN = r"^(100(\.0{1,2})?|0*[1-9]\d?(\.\d{1,2})?|0+\.(0[1-9]|[1-9]\d?))$"
DepositPercent = Annotated[
    Decimal,
    BeforeValidator(DecimalText(DEPOSIT_PERCENT_PATTERN)),
    Field(gt=0, le=100, decimal_places=2),
    decimal_schema(DEPOSIT_PERCENT_PATTERN, 1, 100, "Above 0, at most 100, up to 2 decimals."),
]


class QuoteInvoiceCreate(Contract):
    deposit_percent: DepositPercent | None = Field(
        default=None,
        description="Make a deposit invoice of this percentage of the quote; without it, the final "
        "invoice of the whole quote, deducting the deposits made before.",
    )


class PaymentCreate(Contract):
    amount: PositiveAmount = Field(
        description="In the invoice's currency, in its smallest unit at most (cents); at most the amount due."
    )
    date: Day
    method: PaymentMethod = Field(
        default="transfer",
        json_schema_extra={"enum": [method for method in get_args(PaymentMethod) if method != "refund"]},
    )
    reference: ShortText | None = None

    @field_validator("method")
    @classmethod
    def _not_a_refund(cls, value: PaymentMethod) -> PaymentMethod:
        if value == "refund":
            raise ValueError("a refund is recorded with a credit note, not as a payment")
        return value


class CreditedLine(Contract):
    index: int = Field(ge=0, lt=1000, description="The invoice line's position, from 0.")
    quantity: Quantity | None = Field(
        default=None, description="Part of the invoiced quantity; all of it by default."
    )


class CreditNoteCreate(Contract):
    reason: Name = Field(description="Why the invoice is corrected; printed on the credit note.")
    lines: list[CreditedLine] | None = Field(
        default=None,
        min_length=1,
        max_length=1000,
        description="The lines to credit; the whole invoice by default.",
    )


DownloadFormatQuery = Annotated[
    DownloadFormat,
    Query(description="pdf (an e-invoice's is Factur-X; facturx says the same), html, cii or ubl"),
]
LocaleQuery = Annotated[Language | None, Query(description="fr or en; the document's language by default")]


__all__ = ["Contract", "InvoiceCreate"]
