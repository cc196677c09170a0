"""Where a document's files live in S3, and the presigned links that hand them out.

Finalized files sit under the tenant's prefix, named after the number, written once; a draft's
watermarked preview is rendered on each request under `previews/`, which a lifecycle rule expires.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from invoicing.domain.model import AnyDocument
from invoicing.domain.parts import Language
from invoicing.services.ports import Disposition

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
Format = Literal["pdf", "html", "cii", "ubl"]
FORMATS: dict[Format, tuple[str, Disposition]] = {
    "pdf": ("application/pdf", "attachment"),
    "html": ("text/html; charset=utf-8", "inline"),
    "cii": ("application/xml", "attachment"),
    "ubl": ("application/xml", "attachment"),
}
E_INVOICE_FORMATS: frozenset[Format] = frozenset({"cii", "ubl"})
DownloadFormat = Literal["pdf", "facturx", "html", "cii", "ubl"]


def stored_format(requested: DownloadFormat) -> Format:
    """An e-invoice's PDF is its Factur-X PDF: `facturx` names it for the clients that want to say so."""
    return "pdf" if requested == "facturx" else requested


def is_e_invoice(document: AnyDocument) -> bool:
    """Its PDF is a Factur-X one, and its CII and UBL XML are kept beside it."""
    return document.kind.e_invoice and not document.is_draft


def retained_until(document: AnyDocument, years: int) -> datetime | None:
    """Until when the books' documents are kept unchangeable: their finalization plus `years`
    (quotes and proformas are not accounting documents and stay free)."""
    if not document.kind.ledger or document.finalized_at is None:
        return None
    finalized = document.finalized_at
    try:
        return finalized.replace(year=finalized.year + years)
    except ValueError:  # 29 February
        return finalized.replace(year=finalized.year + years, day=28)


def filename(document: AnyDocument, locale: Language, fmt: Format) -> str:
    """A file name safe in a Content-Disposition header: an imported document's number is the
    client's text, so anything but letters, digits, `.`, `_` and `-` becomes `-`."""
    base = _UNSAFE.sub("-", document.number or f"draft-{document.id}")
    if fmt in E_INVOICE_FORMATS:  # the data says the same in every language
        return f"{base}.xml" if fmt == "cii" else f"{base}.ubl.xml"
    suffix = "" if locale == document.language else f".{locale}"
    return f"{base}{suffix}.{fmt}"


def document_key(tenant_id: str, document: AnyDocument, locale: Language, fmt: Format) -> str:
    return f"tenants/{tenant_id}/documents/{document.id}/{filename(document, locale, fmt)}"


def original_key(tenant_id: str, document: AnyDocument) -> str:
    """An imported document's original PDF, as the client gave it."""
    return f"tenants/{tenant_id}/documents/{document.id}/original.pdf"


def preview_key(tenant_id: str, document: AnyDocument, locale: Language, fmt: Format) -> str:
    return f"previews/tenants/{tenant_id}/{document.id}/{locale}.{fmt}"
