"""Quotes: the customer's decision, and the final or deposit invoices made from an accepted quote."""

from __future__ import annotations

from decimal import Decimal

from invoicing.adapters.dynamodb.documents import StoredDocument
from invoicing.domain.quotes import Decision, check_decision, deposit_from_quote, invoice_from_quote
from invoicing.services.dependencies import Dependencies
from invoicing.services.deposits import with_deposits
from invoicing.services.identifiers import QUOTE_PREFIX, new_document_id, tenant_today, utc_now
from invoicing.services.invoices import get_document


def get_quote(deps: Dependencies, tenant_id: str, quote_id: str) -> StoredDocument:
    return get_document(deps, tenant_id, quote_id, QUOTE_PREFIX)


def decide_quote(deps: Dependencies, tenant_id: str, quote_id: str, decision: Decision) -> StoredDocument:
    stored = get_quote(deps, tenant_id, quote_id)
    check_decision(stored.document, decision, tenant_today(deps, tenant_id))
    return deps.quotes.decide(tenant_id, stored, decision, at=utc_now())


def invoice_quote(
    deps: Dependencies, tenant_id: str, quote_id: str, *, deposit_percent: Decimal | None
) -> StoredDocument:
    """A draft invoice made from an accepted quote: a deposit of `deposit_percent`, or else the final
    invoice of the whole quote, which deducts the deposits made before it."""
    stored = get_quote(deps, tenant_id, quote_id)
    document_id, now = new_document_id(), utc_now()
    if deposit_percent is not None:
        draft, link = deposit_from_quote(stored.document, deposit_percent, document_id=document_id, now=now)
    else:
        draft, link = invoice_from_quote(stored.document, document_id=document_id, now=now)
        draft = with_deposits(deps, tenant_id, draft)
    return deps.quotes.add_invoice(tenant_id, stored, draft, link)
