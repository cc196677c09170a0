"""Document ids and the clock the use cases share.

An id says which resource it belongs to (`inv_` for invoices and the documents listed with them,
`quo_` for quotes), so a quote's id read at /v1/invoices is a 404 before any read.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Literal

from invoicing.services.dependencies import Dependencies

IdPrefix = Literal["inv_", "quo_"]
INVOICE_PREFIX: IdPrefix = "inv_"
QUOTE_PREFIX: IdPrefix = "quo_"


def new_document_id(prefix: IdPrefix = INVOICE_PREFIX) -> str:
    return f"{prefix}{uuid.uuid4().hex}"


def is_document_id(value: str, prefix: IdPrefix = INVOICE_PREFIX) -> bool:
    body = value.removeprefix(prefix)
    return value.startswith(prefix) and len(body) == 32 and all(c in "0123456789abcdef" for c in body)


def resource_path(document_id: str) -> str:
    """Where the API serves a document: quotes under /v1/quotes, everything else under /v1/invoices."""
    collection = "quotes" if document_id.startswith(QUOTE_PREFIX) else "invoices"
    return f"/v1/{collection}/{document_id}"


def utc_now() -> datetime:
    return datetime.now(UTC)


def tenant_today(deps: Dependencies, tenant_id: str) -> date:
    """Today where the tenant is (Europe/Paris by default): the day due dates and validity count in."""
    return utc_now().astimezone(deps.tenants.settings(tenant_id).zone).date()
