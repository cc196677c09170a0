"""The documents a tenant issues, in two aggregates: the documents of the books (invoices, deposit
invoices, credit notes, proformas and imports), which are paid and credited, and quotes, which the
customer decides and which are invoiced. Both hold what the client wrote and what the service
computes and freezes at finalization; what each kind of document can do is in `kinds`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from invoicing.domain.base import Contract
from invoicing.domain.e_invoicing import EInvoicing
from invoicing.domain.errors import BrokenInvariant
from invoicing.domain.fields import (
    NULL_SCHEMA,
    PRESENT_SCHEMA,
    Currency,
    Day,
    ExchangeRate,
    LongText,
    Metadata,
    Name,
    ShortText,
)
from invoicing.domain.kinds import KINDS, DocumentType, Kind
from invoicing.domain.parts import (
    Address,
    CorrectedInvoice,
    CreditNoteRef,
    Customer,
    DepositRef,
    Discount,
    DocumentRef,
    Language,
    Line,
    OperationNature,
    Payment,
    PricedLine,
    QuoteInvoice,
    Seller,
    Totals,
)
from invoicing.domain.terms import PaymentTerms

InvoiceType = Literal["invoice", "credit_note", "deposit", "proforma", "external", "external_credit"]
DocumentStatus = Literal["draft", "open", "partially_paid", "paid", "credited", "applied"]
QuoteStatus = Literal["draft", "open", "accepted", "declined", "invoiced"]
# Either aggregate's, as lists filter on them.
Status = Literal[
    "draft", "open", "partially_paid", "paid", "credited", "applied", "accepted", "declined", "invoiced"
]

MAX_LINES = 1000
MAX_DEPOSITS = 20


# The types recorded as they were issued elsewhere, with their original PDF.
IMPORTED_TYPES = sorted(name for name, kind in KINDS.items() if kind.original_file)


def content_rules(schema: dict[str, Any]) -> None:
    """What `Content` checks across fields, for the OpenAPI document: an item among the lines, and
    an exchange rate only for a foreign currency (EUR when none is given)."""
    schema["properties"]["lines"]["contains"] = {"properties": {"kind": {"const": "item"}}}
    schema.setdefault("allOf", []).append(
        {
            "if": {"properties": {"currency": {"const": "EUR"}}},
            "then": {"properties": {"exchange_rate": NULL_SCHEMA}},
        }
    )


def document_rules(schema: dict[str, Any]) -> None:
    """`DocumentContent`'s own: no validity date (a quote's), an import dated and referenced as it
    was elsewhere, deposits deducted by an invoice only, each once."""
    content_rules(schema)
    schema["properties"]["valid_until"] = NULL_SCHEMA
    schema["properties"]["deposit_ids"]["uniqueItems"] = True
    deducting = sorted(name for name, kind in KINDS.items() if kind.deducts_deposits)
    schema["allOf"] += [
        {
            "if": {"properties": {"type": {"enum": IMPORTED_TYPES}}, "required": ["type"]},
            "then": {
                "properties": {"issue_date": PRESENT_SCHEMA, "external_ref": PRESENT_SCHEMA},
                "required": ["issue_date", "external_ref"],
            },
        },
        {
            "if": {"not": {"properties": {"type": {"enum": deducting}}}},
            "then": {"properties": {"deposit_ids": {"maxItems": 0}}},
        },
    ]


class Content(Contract):
    """What a client writes on any document; totals and numbers are never among it."""

    model_config = ConfigDict(json_schema_extra=content_rules)

    type: DocumentType = "invoice"
    customer: Customer
    # The published pattern is the ids the API makes; any other is answered 404, as unknown.
    customer_id: str | None = Field(
        default=None,
        max_length=40,
        json_schema_extra={"pattern": r"^cus_[0-9a-f]{32}$"},
        description="A customer of /v1/customers, copied in at finalization.",
    )
    issue_date: Day | None = Field(default=None, validate_default=True)
    delivery_date: Day | None = None
    delivery_address: Address | None = Field(
        default=None,
        description="Where the goods go or the service is done, when not the customer's address.",
    )
    operation_nature: OperationNature | None = Field(
        default=None, description="goods, services or mixed: a mandatory mention from September 2026."
    )
    currency: Currency = "EUR"
    exchange_rate: ExchangeRate | None = Field(
        default=None,
        validate_default=True,
        description="Euros for one unit of a foreign currency (1 USD = 0.92 EUR: 0.92), as the issuer "
        "converts: the VAT is then also given in euros (EN 16931 BT-111), as French law asks.",
    )
    language: Language = "fr"
    title: Name | None = None
    payment_terms: PaymentTerms | None = None
    due_date: Day | None = None
    discount: Discount | None = None
    lines: list[Line] = Field(min_length=1, max_length=MAX_LINES)
    notes: LongText | None = None
    vat_exemption: Name | None = None
    valid_until: Day | None = Field(default=None, description="A quote's last day; 30 days by default.")
    metadata: Metadata = Field(default_factory=dict)

    @field_validator("due_date")
    @classmethod
    def _not_before_issue(cls, value: date | None, info: ValidationInfo) -> date | None:
        issued = info.data.get("issue_date")
        if value is not None and issued is not None and value < issued:
            raise ValueError("due_date must not be before issue_date")
        return value

    @field_validator("exchange_rate")
    @classmethod
    def _rate_for_foreign_currency(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        if value is not None and info.data.get("currency", "EUR") == "EUR":
            raise ValueError("an invoice in euros has no exchange rate")
        return value

    @field_validator("valid_until")
    @classmethod
    def _quotes_only(cls, value: date | None, info: ValidationInfo) -> date | None:
        if value is not None and info.data.get("type") != "quote":
            raise ValueError("only a quote has a validity date")
        issued = info.data.get("issue_date")
        if value is not None and issued is not None and value < issued:
            raise ValueError("valid_until must not be before issue_date")
        return value

    @field_validator("lines")
    @classmethod
    def _some_item(cls, value: list[Line]) -> list[Line]:
        if not any(line.kind == "item" for line in value):
            raise ValueError("a document needs at least one item line")
        return value

    @property
    def kind(self) -> Kind:
        return KINDS[self.type]


class DocumentContent(Content):
    """What a client writes on a document of the books (any type but a quote)."""

    model_config = ConfigDict(json_schema_extra=document_rules)

    type: InvoiceType = "invoice"
    deposit_ids: list[
        Annotated[str, Field(max_length=40, json_schema_extra={"pattern": r"^inv_[0-9a-f]{32}$"})]
    ] = Field(
        default_factory=list,
        max_length=MAX_DEPOSITS,
        description="The finalized deposit invoices this final invoice deducts from its amount due.",
    )
    external_ref: ShortText | None = Field(default=None, validate_default=True)

    @field_validator("issue_date")
    @classmethod
    def _imports_dated(cls, value: date | None, info: ValidationInfo) -> date | None:
        if value is None and KINDS[info.data.get("type", "invoice")].original_file:
            raise ValueError("an imported document keeps the issue date it had elsewhere: give it")
        return value

    @field_validator("deposit_ids")
    @classmethod
    def _final_invoices_only(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if value and not KINDS[info.data.get("type", "invoice")].deducts_deposits:
            raise ValueError("only an invoice deducts deposit invoices")
        if len(set(value)) != len(value):
            raise ValueError("each deposit invoice is deducted once")
        return value

    @field_validator("external_ref")
    @classmethod
    def _external_needs_ref(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("type")
        if kind is not None and KINDS[kind].original_file and not value:
            raise ValueError(f"a document of type {kind} needs external_ref, the number it had elsewhere")
        return value


class QuoteContent(Content):
    """What a client writes on a quote."""

    type: Literal["quote"] = "quote"


class Computed(Contract):
    """What the service computes and freezes on any document: never written by a client."""

    id: str
    number: str | None = None
    lines: list[PricedLine] = Field(min_length=1, max_length=MAX_LINES)
    totals: Totals
    seller: Seller | None = None
    created_at: datetime
    finalized_at: datetime | None = None

    if TYPE_CHECKING:  # declared by the content and the aggregate each document mixes this with
        status: Status
        issue_date: date | None

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    def issued(self) -> tuple[str, date]:
        """The number and issue date that finalizing gave the document: what every later use of a
        finalized one (its records, its references) names it by."""
        if self.number is None or self.issue_date is None:
            raise BrokenInvariant(f"document {self.id} is not finalized: it has no number or issue date")
        return self.number, self.issue_date


class Document(Computed, DocumentContent):
    """A document of the books. A finalized one never changes: only the payments and credit notes
    recorded against it (and so its amount due and status) do."""

    status: DocumentStatus = "draft"
    payments: list[Payment] = Field(default_factory=list)
    credit_notes: list[CreditNoteRef] = Field(default_factory=list)
    corrects: CorrectedInvoice | None = None
    reason: Name | None = None
    converted_to: str | None = Field(default=None, description="The invoice this proforma became.")
    converted_from: str | None = Field(default=None, description="The proforma this invoice came from.")
    deposits: list[DepositRef] = Field(default_factory=list)
    deducted_by: str | None = Field(default=None, description="The final invoice that deducts this deposit.")
    quote: DocumentRef | None = Field(default=None, description="The quote this document was made from.")
    e_invoicing: EInvoicing | None = Field(
        default=None,
        description="The 2026 reform's flow it takes, and its life on the platforms; once finalized.",
    )


class Quote(Computed, QuoteContent):
    """A quote: numbered in its own series, then accepted or declined once by the customer, and
    invoiced (by deposits, then in full) once accepted."""

    status: QuoteStatus = "draft"
    invoices: list[QuoteInvoice] = Field(default_factory=list, description="What the quote was invoiced as.")
    decided_at: datetime | None = Field(default=None, description="When the customer accepted or declined.")


AnyDocument = Document | Quote
# A function that keeps the aggregate it is given: a quote stays a quote, a document a document.
D = TypeVar("D", Document, Quote)
