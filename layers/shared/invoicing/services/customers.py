"""Customers a tenant bills, and how documents name them by `customer_id`."""

from __future__ import annotations

import re
import secrets
import time
from datetime import UTC, datetime
from typing import Any

from invoicing.domain.errors import InvalidDocument, NotFound, StateConflict
from invoicing.domain.model import D
from invoicing.domain.parts import Customer
from invoicing.services.ports import ConditionFailed, Dependencies, StoredCustomer

_CUSTOMER_ID = re.compile(r"^cus_[0-9a-f]{32}$")


def new_customer_id() -> str:
    """Time-ordered, so that the tenant's customers list newest first without an index."""
    return f"cus_{time.time_ns() // 1_000_000:012x}{secrets.token_hex(10)}"


def create_customer(deps: Dependencies, tenant_id: str, customer: Customer) -> StoredCustomer:
    now = datetime.now(UTC).isoformat()
    stored = StoredCustomer(
        id=new_customer_id(), customer=customer, created_at=now, updated_at=now, version=1
    )
    deps.customers.put(tenant_id, stored, previous_version=None)
    return stored


def get_customer(
    deps: Dependencies, tenant_id: str, customer_id: str, *, field: str = "id"
) -> StoredCustomer:
    stored = deps.customers.get(tenant_id, customer_id) if _CUSTOMER_ID.match(customer_id) else None
    if stored is None:
        raise NotFound(f"no customer {customer_id[:64]!r}", field=field)
    return stored


def update_customer(
    deps: Dependencies, tenant_id: str, customer_id: str, changes: dict[str, Any]
) -> StoredCustomer:
    current = get_customer(deps, tenant_id, customer_id)
    customer = Customer.model_validate(current.customer.model_dump(mode="json", exclude_none=True) | changes)
    stored = StoredCustomer(
        id=current.id,
        customer=customer,
        created_at=current.created_at,
        updated_at=datetime.now(UTC).isoformat(),
        version=current.version + 1,
    )
    try:
        deps.customers.put(tenant_id, stored, previous_version=current.version)
    except ConditionFailed:
        raise StateConflict(
            "the customer was changed by another request: read it again", code="conflict"
        ) from None
    return stored


def list_customers(
    deps: Dependencies, tenant_id: str, *, after: str | None, limit: int
) -> tuple[list[StoredCustomer], str | None]:
    if after is not None and not _CUSTOMER_ID.match(after):
        raise InvalidDocument("not a cursor this API gave", field="query.cursor")
    return deps.customers.page(tenant_id, before=after, limit=limit)


def with_named_customer(deps: Dependencies, tenant_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Document fields where `customer_id` is filled in with that customer, as it is now."""
    customer_id = fields.get("customer_id")
    if customer_id is None:
        return fields
    if fields.get("customer") is not None:
        raise InvalidDocument("give customer or customer_id, not both", field="customer_id")
    stored = get_customer(deps, tenant_id, str(customer_id), field="customer_id")
    return fields | {"customer": stored.customer.model_dump(mode="json", exclude_none=True)}


def with_customer_as_now(deps: Dependencies, tenant_id: str, document: D) -> D:
    """The document with its named customer as it is now: a finalized one keeps it so, whatever
    becomes of the customer later."""
    if document.customer_id is None:
        return document
    customer = get_customer(deps, tenant_id, document.customer_id, field="customer_id").customer
    return document.model_copy(update={"customer": customer})
