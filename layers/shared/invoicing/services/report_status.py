"""Where an e-reported document went, as it is read: kept apart from the periods' use cases so that
reading an invoice loads none of them (a transmission writes nothing to the documents it covers;
their status is their period's)."""

from __future__ import annotations

from invoicing.domain.e_invoicing import REPORTED_RULES
from invoicing.domain.model import Document
from invoicing.domain.reporting_calendar import period_of
from invoicing.services.ports import Dependencies, Stored


def reported(deps: Dependencies, tenant_id: str, stored: Stored[Document]) -> Stored[Document]:
    """The document with where it was e-reported, once its period went to the platform."""
    document = stored.document
    reform = document.e_invoicing
    if reform is None or reform.processing_rule not in REPORTED_RULES or document.seller is None:
        return stored
    if document.issue_date is None or document.is_draft:
        return stored
    period = period_of(document.seller.vat_regime, "transactions", document.issue_date)
    state = deps.reports.period(tenant_id, period.id)
    if state is None or not state.transmissions:
        return stored
    update = {"status": "reported", "period_id": period.id}
    return stored._replace(
        document=document.model_copy(update={"e_invoicing": reform.model_copy(update=update)})
    )
