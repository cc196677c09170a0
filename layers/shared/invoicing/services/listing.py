"""Listing a tenant's documents: filters, stable newest-first order, opaque cursors."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from invoicing.adapters.dynamodb.documents import Collection, collection_of_type
from invoicing.adapters.dynamodb.listing import ListFilters
from invoicing.domain.errors import InvalidDocument
from invoicing.domain.money import round_money
from invoicing.services.dependencies import Dependencies
from invoicing.services.identifiers import tenant_today

_POSITION = re.compile(r"^\d{4}-\d{2}-\d{2}T[0-9:.+\-Z]{8,32}#(inv|quo)_[0-9a-f]{32}$")


@dataclass(frozen=True)
class Listing:
    summaries: list[dict[str, Any]]
    next_cursor: str | None
    read_units: Decimal


def encode_cursor(position: str) -> str:
    return base64.urlsafe_b64encode(position.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        position = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        position = ""
    if not _POSITION.match(position):
        raise InvalidDocument(
            "not a cursor this API gave: pass next_cursor back as it came", field="query.cursor"
        )
    return position


def list_documents(
    deps: Dependencies,
    tenant_id: str,
    filters: ListFilters,
    *,
    collection: Collection,
    overdue: bool,
    number: str | None,
    cursor: str | None,
    limit: int,
) -> Listing:
    today = tenant_today(deps, tenant_id)
    if number is not None:
        if filters.any or overdue or cursor is not None:
            raise InvalidDocument(
                "number finds one document and takes no other filter or cursor", field="query.number"
            )
        found = deps.listing.by_number(tenant_id, number)
        if found is not None and collection_of_type(found["type"]) != collection:
            found = None  # a quote's number is not an invoice's, nor the reverse
        return Listing([_summary(found, today)] if found else [], None, Decimal(0))
    if overdue:
        filters = replace(filters, overdue_on=today)
    after = decode_cursor(cursor) if cursor else None
    page = deps.listing.page(tenant_id, filters, collection=collection, after=after, limit=limit)
    next_cursor = encode_cursor(page.next_position) if page.next_position else None
    return Listing([_summary(item, today) for item in page.items], next_cursor, page.read_units)


def _summary(item: dict[str, Any], today: date) -> dict[str, Any]:
    currency = item["currency"]
    amount_due = round_money(Decimal(item["amount_due"]), currency)
    due = date.fromisoformat(item["due_date"]) if item.get("due_date") else None
    valid_until = date.fromisoformat(item["valid_until"]) if item.get("valid_until") else None
    return {
        "id": item["id"],
        "type": item["type"],
        "status": item["status"],
        "number": item.get("number"),
        "customer_name": item["customer_name"],
        "issue_date": item.get("issue_date"),
        "due_date": due,
        "currency": currency,
        "total_incl_tax": round_money(Decimal(item["total_incl_tax"]), currency),
        "amount_due": amount_due,
        "created_at": item["created_at"],
        "valid_until": valid_until,
        "expired": item["status"] == "open" and valid_until is not None and valid_until < today,
        "overdue": item["status"] in {"open", "partially_paid"}
        and due is not None
        and due < today
        and amount_due > 0,
    }
