"""Document ids and the clock the use cases share.

An id says which resource it belongs to (`inv_` for the documents of the books, `quo_` for quotes),
so a quote's id read at /v1/invoices is a 404 before any read.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Final

from invoicing.domain.kinds import Resource
from invoicing.services.ports import Dependencies

PREFIXES: Final[dict[Resource, str]] = {"invoices": "inv_", "quotes": "quo_"}
# What one document of each resource is called in the messages that name it.
SINGULAR: Final[dict[Resource, str]] = {"invoices": "invoice", "quotes": "quote"}


def new_document_id(resource: Resource = "invoices") -> str:
    return f"{PREFIXES[resource]}{uuid.uuid4().hex}"


def is_document_id(value: str, resource: Resource = "invoices") -> bool:
    prefix = PREFIXES[resource]
    body = value.removeprefix(prefix)
    return value.startswith(prefix) and len(body) == 32 and all(c in "0123456789abcdef" for c in body)


def resource_path(document_id: str) -> str:
    """Where the API serves a document: quotes under /v1/quotes, everything else under /v1/invoices."""
    resource: Resource = "quotes" if document_id.startswith(PREFIXES["quotes"]) else "invoices"
    return f"/v1/{resource}/{document_id}"


def utc_now() -> datetime:
    return datetime.now(UTC)


def tenant_today(deps: Dependencies, tenant_id: str) -> date:
    """Today where the tenant is (Europe/Paris by default): the day due dates and validity count in."""
    return utc_now().astimezone(deps.tenants.settings(tenant_id).zone).date()
