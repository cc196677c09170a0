"""Listing a tenant's documents: filters, stable newest-first order, opaque cursors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from invoicing.domain.kinds import KINDS, Resource
from invoicing.domain.money import round_money
from invoicing.services.cursors import decode_cursor, encode_cursor
from invoicing.services.identifiers import tenant_today
from invoicing.services.ports import Dependencies, DocumentSummary, ListFilters

_POSITION = re.compile(r"^\d{4}-\d{2}-\d{2}T[0-9:.+\-Z]{8,32}#(inv|quo)_[0-9a-f]{32}$")


@dataclass(frozen=True)
class ListingPage:
    summaries: list[dict[str, Any]]
    next_cursor: str | None
    read_units: Decimal


def list_documents(
    deps: Dependencies,
    tenant_id: str,
    filters: ListFilters,
    *,
    resource: Resource,
    overdue: bool,
    number: str | None,
    cursor: str | None,
    limit: int,
) -> ListingPage:
    today = tenant_today(deps, tenant_id)
    if overdue:
        filters = filters._replace(overdue_on=today)
    if number is not None:
        # One document at most, so one page: the other filters apply to it, a cursor pages nothing.
        found = deps.listing.by_number(tenant_id, number)
        if found is not None and (KINDS[found.type].resource != resource or not filters.matches(found)):
            found = None  # a quote's number is not an invoice's, nor the reverse
        return ListingPage([_summary(found, today)] if found else [], None, Decimal(0))
    after = decode_cursor(cursor, _POSITION) if cursor else None
    page = deps.listing.page(tenant_id, filters, resource=resource, after=after, limit=limit)
    next_cursor = encode_cursor(page.next_position) if page.next_position else None
    return ListingPage([_summary(item, today) for item in page.summaries], next_cursor, page.read_units)


def _summary(item: DocumentSummary, today: date) -> dict[str, Any]:
    """What a list shows: amounts in the currency's decimals, and whether it is overdue or expired."""
    amount_due = round_money(item.amount_due, item.currency)
    return {
        "id": item.id,
        "type": item.type,
        "status": item.status,
        "number": item.number,
        "customer_name": item.customer_name,
        "issue_date": item.issue_date,
        "due_date": item.due_date,
        "currency": item.currency,
        "total_incl_tax": round_money(item.total_incl_tax, item.currency),
        "amount_due": amount_due,
        "created_at": item.created_at,
        "valid_until": item.valid_until,
        "expired": item.status == "open" and item.valid_until is not None and item.valid_until < today,
        "overdue": item.status in {"open", "partially_paid"}
        and item.due_date is not None
        and item.due_date < today
        and amount_due > 0,
    }
