"""What finalizing a draft would refuse, and what it would only warn of, before it is tried."""

from __future__ import annotations

from invoicing.domain.documents import series_of, with_default_nature
from invoicing.domain.errors import DomainError, StateConflict
from invoicing.domain.finalize_check import Check, Problem, check_document
from invoicing.services.customers import with_customer_as_now
from invoicing.services.deposits import with_deposits
from invoicing.services.documents import get_invoice
from invoicing.services.ports import Dependencies


def finalize_check(deps: Dependencies, tenant_id: str, invoice_id: str) -> Check:
    """What finalizing the draft now would refuse, and what it would only warn of."""
    document = get_invoice(deps, tenant_id, invoice_id).document
    if not document.is_draft:
        raise StateConflict(
            f"the document is already finalized as {document.number}", code="already_finalized"
        )
    series_of(document)
    problems: list[Problem] = []
    try:
        document = with_deposits(deps, tenant_id, with_customer_as_now(deps, tenant_id, document))
    except DomainError as error:
        problems.append(Problem(error.code, error.field, error.message))
    settings = deps.tenants.settings(tenant_id)
    check = check_document(with_default_nature(document, settings.seller), settings.seller)
    return Check([*problems, *check.blocking], check.warnings)
