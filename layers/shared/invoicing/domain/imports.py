"""Documents issued elsewhere and imported (seed 000's `external`, Pennylane's import): recorded
final as they came, under their own number, outside our series, with their original PDF."""

from __future__ import annotations

from datetime import datetime

from invoicing.domain.documents import check_due_date, draft_document
from invoicing.domain.e_invoicing import EInvoicing
from invoicing.domain.errors import BrokenInvariant, InvalidDocument
from invoicing.domain.model import Document, DocumentContent

PDF_MAGIC = b"%PDF-"


def record_external(content: DocumentContent, *, document_id: str, now: datetime) -> Document:
    """The imported document, final at once: its number is the external_ref it had elsewhere."""
    if not content.kind.original_file:
        raise BrokenInvariant("only an import of an external document is recorded final at once")
    if content.issue_date is None:
        raise BrokenInvariant("content.issue_date is missing")
    document = draft_document(content, document_id=document_id, now=now)
    return document.model_copy(
        update={
            "status": "open",
            "number": content.external_ref,
            "due_date": check_due_date(document, content.issue_date, default_terms=None),
            "finalized_at": now,
            # Issued elsewhere: carried (or reported) from where it was issued, not from here.
            "e_invoicing": EInvoicing(processing_rule="OutOfScope"),
        }
    )


def check_original(body: bytes, field: str) -> None:
    """The original must be a PDF: it is what the customer received, and what we hand back."""
    if not body.startswith(PDF_MAGIC):
        raise InvalidDocument("the original file must be a PDF", field=field)
