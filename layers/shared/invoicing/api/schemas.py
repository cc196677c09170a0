"""The API contract: request and response bodies, as the OpenAPI document publishes them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
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
from invoicing.domain.kinds import KINDS, DocumentType
from invoicing.domain.model import (
    IMPORTED_TYPES,
    Document,
    DocumentContent,
    Quote,
    QuoteContent,
    Status,
    content_rules,
    document_rules,
)
from invoicing.domain.parts import Answer, Contract, Customer, Language, Model, PaymentMethod
from invoicing.domain.webhooks.endpoints import EndpointSettings, WebhookEndpoint
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


def _optional(model: type[BaseModel], *, leaving_out: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields of a PATCH body: any of `model`'s, each optional, with its bounds; null clears a
    field that may be empty. The merged whole is then validated again, as `model`."""
    return {
        name: (
            Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation,
            Field(default=None, description=field.description),
        )
        for name, field in model.model_fields.items()
        if name not in leaving_out
    }


InvoiceUpdate: type[BaseModel] = create_model(
    "InvoiceUpdate", __config__=ConfigDict(defer_build=True, extra="forbid"), **_optional(DocumentContent)
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
    **_optional(QuoteContent, leaving_out=_NOT_ON_QUOTES),
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


class WebhookEndpointCreate(EndpointSettings):
    secret: str = Field(
        min_length=8,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="The signing secret the shop shows (Stripe's whsec_..., Shopify's app secret, "
        "WooCommerce's webhook secret); encrypted, and never returned.",
    )


class WebhookEndpointResponse(WebhookEndpoint):
    url: str = Field(description="Where the shop sends its events: give it this URL.")


class WebhookEndpointList(Model):
    data: list[WebhookEndpointResponse]


class WebhookDelivery(Model):
    id: str = Field(
        description="The shop's own id of the delivery (Stripe's event id, Shopify's "
        "X-Shopify-Webhook-Id, WooCommerce's X-WC-Webhook-Delivery-ID)."
    )
    received_at: datetime
    topic: str | None = Field(description="The event's type as the shop names it (`orders/paid`...).")
    status: Literal["queued", "invoiced", "duplicate", "ignored", "failed"] = Field(
        description="`queued`: waiting to be (or being) processed; `invoiced`: its document is made; "
        "`duplicate`: another delivery had made its order's document already; `ignored`: an event "
        "that makes no document; `failed`: it cannot make its document as it stands (see `reason`): "
        "fix the cause, then retry it."
    )
    reason: str | None = Field(description="Why it failed, or why it waits.")
    document_id: str | None = Field(description="The invoice or credit note it made, or had made.")
    attempts: int = Field(ge=0, description="How many times it was processed.")


class WebhookDeliveryList(Model):
    data: list[WebhookDelivery]
    has_more: bool
    next_cursor: str | None = Field(description="Pass it as `cursor` for the next page; null on the last.")


class DeliveryReceipt(Answer):
    received: Literal[True] = True
    duplicate: bool
    ping: bool = False


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


class FileLink(Model):
    url: str = Field(description="The presigned S3 link, valid 15 minutes; also in Location.")


DOWNLOAD_RESPONSES: dict[int, OpenAPIResponse] = {
    303: {
        "description": "See the presigned S3 link in Location, valid 15 minutes",
        "content": {"application/json": {"model": FileLink}},
    },
    409: {"description": "A draft has no files yet: finalize it first"},
}


class CustomerResponse(Customer):
    id: str
    created_at: datetime
    updated_at: datetime


class CustomerList(Model):
    data: list[CustomerResponse]
    has_more: bool
    next_cursor: str | None


class ApiKeyCreate(Contract):
    name: ShortText | None = Field(default=None, description="What the key is for, to tell keys apart.")


class ApiKeyResponse(Model):
    id: str = Field(pattern=r"^key_[0-9a-f]{32}$")
    prefix: str = Field(description="The key's first characters, to tell it apart; never the key.")
    name: str | None
    created_at: datetime
    last_used_at: datetime | None = Field(
        description="When the authorizer last let it through (within 5 minutes: it keeps its answer "
        "that long); null if never used."
    )


class NewApiKeyResponse(ApiKeyResponse):
    key: str = Field(description="The key itself, shown this once: keep it in a secret store.")


class ApiKeyList(Model):
    data: list[ApiKeyResponse] = Field(description="Newest first.")


class RevokedApiKey(Answer):
    id: str
    prefix: str
    name: str | None
    revoked: Literal[True] = True


CustomerUpdate: type[BaseModel] = create_model(
    "CustomerUpdate", __config__=ConfigDict(defer_build=True, extra="forbid"), **_optional(Customer)
)


class Links(Answer):
    pdf: str | None = Field(
        description="Presigned link, valid 15 minutes; null for a draft. An import's original PDF."
    )
    html: str | None = Field(
        description="Presigned link, valid 15 minutes; null for a draft and for an imported document."
    )
    cii: str | None = Field(
        default=None,
        description="The e-invoice's CII XML (Factur-X EN 16931), also embedded in the PDF; null but for "
        "finalized invoices, deposit invoices and credit notes.",
    )
    ubl: str | None = Field(default=None, description="The same e-invoice as UBL 2.1 (EN 16931).")


class InvoiceResponse(Document):
    links: Links


class QuoteResponse(Quote):
    links: Links
    expired: bool = Field(description="Open and past its last day of validity: it can no longer be accepted.")


class InvoiceSummary(Model):
    id: str
    type: DocumentType
    status: Status
    number: str | None
    customer_name: str
    issue_date: date | None
    due_date: date | None
    currency: str
    total_incl_tax: Decimal
    amount_due: Decimal
    created_at: datetime
    overdue: bool = Field(description="Open, past its due date, and something is still due.")


class QuoteSummary(InvoiceSummary):
    valid_until: date | None
    expired: bool = Field(description="Open and past its last day of validity.")


class QuoteList(Model):
    data: list[QuoteSummary]
    has_more: bool
    next_cursor: str | None = Field(description="Pass it as `cursor` for the next page; null on the last.")


class InvoiceList(Model):
    data: list[InvoiceSummary]
    has_more: bool
    next_cursor: str | None = Field(description="Pass it as `cursor` for the next page; null on the last.")


class FinalizeProblem(Model):
    code: str
    field: str | None
    message: str


class FinalizeCheckResponse(Model):
    finalizable: bool
    blocking: list[FinalizeProblem] = Field(description="What finalization refuses, as it would refuse it.")
    warnings: list[FinalizeProblem] = Field(description="Mentions a careful issuer adds; they block nothing.")


# A route that answers 200 says so; Powertools then documents its return type as the body.
OK: dict[int, OpenAPIResponse] = {200: {"description": "OK"}}

# The errors the contract's error body carries, as each operation can answer them (`openapi_build`).
ERRORS: dict[int, str] = {
    400: "The body is not valid JSON",
    401: "No API key, or one that is unknown or revoked",
    404: "Not found, or another tenant's",
    409: "The resource's state does not allow it",
    413: "Body over 1 MB",
    415: "The body is not sent as application/json",
    422: "Invalid input; details name each field at fault and what to send",
    429: "Over the API key's rate or the stage's; retry after Retry-After seconds",
    503: "A storage service failed or the resource is busy; retry after Retry-After seconds",
}

__all__ = ["ERRORS", "OK", "Contract", "InvoiceCreate", "InvoiceResponse", "Links"]
