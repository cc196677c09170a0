"""The documents as the API answers them: with their links, in lists, checked for finalization.
Apart from the request bodies (`request_schemas`), which the read-only functions do not load."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import Field

from invoicing.domain.base import Answer, Model
from invoicing.domain.kinds import DocumentType
from invoicing.domain.model import Document, Quote, Status


class FileLink(Model):
    url: str = Field(description="The presigned S3 link, valid 15 minutes; also in Location.")


DOWNLOAD_RESPONSES: dict[int, OpenAPIResponse] = {
    303: {
        "description": "See the presigned S3 link in Location, valid 15 minutes",
        "content": {"application/json": {"model": FileLink}},
    },
    409: {"description": "A draft has no files yet: finalize it first"},
}


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
