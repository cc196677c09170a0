"""Quotes by their id: drafts created, changed, deleted and finalized; the customer's decision; and
the final or deposit invoices made from an accepted quote."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from invoicing.domain.documents import draft_document
from invoicing.domain.model import Document, Quote, QuoteContent
from invoicing.domain.quotes import (
    Decision,
    check_decision,
    deposit_from_quote,
    invoice_from_quote,
    status_once_invoiced,
)
from invoicing.services.changes import DocumentCreated, QuoteDecided, QuoteInvoiced
from invoicing.services.customers import with_named_customer
from invoicing.services.deposits import with_deposits
from invoicing.services.documents import commit_unless_changed, get_quote
from invoicing.services.drafts import create_draft, delete_draft, finalize_draft, update_draft
from invoicing.services.identifiers import new_document_id, tenant_today, utc_now
from invoicing.services.ports import Dependencies, Stored


def create_quote(
    deps: Dependencies, tenant_id: str, fields: dict[str, Any], *, finalize: bool = False
) -> Stored[Quote]:
    """A draft quote from the client's fields (a customer named by customer_id copied in), or with
    `finalize` a numbered one."""
    content = QuoteContent.model_validate(with_named_customer(deps, tenant_id, fields))
    draft = draft_document(content, document_id=new_document_id("quotes"), now=utc_now())
    return create_draft(deps, tenant_id, draft, finalize=finalize)


def update_quote(deps: Dependencies, tenant_id: str, quote_id: str, changes: dict[str, Any]) -> Stored[Quote]:
    return update_draft(deps, tenant_id, get_quote(deps, tenant_id, quote_id), changes)


def delete_quote(deps: Dependencies, tenant_id: str, quote_id: str) -> None:
    delete_draft(deps, tenant_id, quote_id, Quote)


def finalize_quote(deps: Dependencies, tenant_id: str, quote_id: str) -> Stored[Quote]:
    return finalize_draft(deps, tenant_id, get_quote(deps, tenant_id, quote_id))


def decide_quote(deps: Dependencies, tenant_id: str, quote_id: str, decision: Decision) -> Stored[Quote]:
    """Record the customer's decision on an open quote; the first decision is the only one."""
    stored = get_quote(deps, tenant_id, quote_id)
    check_decision(stored.document, decision, tenant_today(deps, tenant_id))
    at = utc_now()
    uow = deps.unit_of_work(tenant_id)
    uow.record(QuoteDecided(quote_id, stored.version, decision, at))
    commit_unless_changed(uow, changed="the quote was decided")
    decided = stored.document.model_copy(update={"status": decision, "decided_at": at})
    return Stored(decided, stored.version + 1)


def invoice_quote(
    deps: Dependencies, tenant_id: str, quote_id: str, *, deposit_percent: Decimal | None
) -> Stored[Document]:
    """A draft invoice made from an accepted quote, with the quote's link to it: a deposit of
    `deposit_percent`, or else the final invoice of the whole quote, which deducts the deposits made
    before it and leaves the quote invoiced. Refused if the quote changed since it was read."""
    stored = get_quote(deps, tenant_id, quote_id)
    document_id, now = new_document_id(), utc_now()
    if deposit_percent is not None:
        draft, link = deposit_from_quote(stored.document, deposit_percent, document_id=document_id, now=now)
    else:
        draft, link = invoice_from_quote(stored.document, document_id=document_id, now=now)
        draft = with_deposits(deps, tenant_id, draft)
    uow = deps.unit_of_work(tenant_id)
    uow.record(
        DocumentCreated(draft),
        QuoteInvoiced(quote_id, stored.version, link, status_once_invoiced(stored.document, link)),
    )
    commit_unless_changed(uow, changed="the quote was invoiced or changed")
    return Stored(draft, version=1)
