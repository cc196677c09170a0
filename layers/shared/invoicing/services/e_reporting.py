"""E-reporting as it happens: each consumer or international document added to its day's totals
once it is finalized (and each payment of services taxed on receipts to its month's), from the
table's stream; each period closed on its due date and transmitted to the tenant's platform; a
document that arrives for a period already transmitted makes a corrective transmission of it.

Everything here is safe to repeat: a contribution is added once under its key, a transmission is
found on the platform by its tracking id before anything is sent, and the platform's answer on a
transmission replaces what was recorded of it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final

from aws_lambda_powertools import Logger

from invoicing.domain.e_invoicing import REPORTED_RULES
from invoicing.domain.e_reporting import (
    Contribution,
    PeriodState,
    Transmission,
    payment_contribution,
    transactions_contribution,
)
from invoicing.domain.errors import BrokenInvariant
from invoicing.domain.model import Document
from invoicing.domain.reporting_calendar import Period
from invoicing.services.identifiers import utc_now
from invoicing.services.ports import (
    Contention,
    Dependencies,
    DocumentChange,
    NotReady,
    Platform,
    PlatformFlow,
    PlatformTask,
)
from invoicing.services.retry import Backoff

logger = Logger(child=True)

ADD_BUDGET_SECONDS = 20.0
# A closing run that failed is made up by the next: each run closes what fell due in the last week.
CLOSING_LOOKBACK_DAYS = 7
_TRACKING_ID: Final = re.compile(r"^((?:transactions|payments)-\d{4}-\d{2}-\d{2})\.r(\d+)$")
# What the Flow Service calls the e-reporting flows a seller sends (XP Z12-013, FlowType).
REPORT_FLOW_TYPES: Final = frozenset(
    {
        "AggregatedCustomerTransactionReport",
        "UnitaryCustomerTransactionReport",
        "AggregatedCustomerPaymentReport",
        "UnitaryCustomerPaymentReport",
        "MultiFlowReport",
    }
)


def report_change(deps: Dependencies, change: DocumentChange) -> int:
    """Add what a committed change to an e-reported document brings to its periods: the document
    itself once it is finalized, each payment once recorded. How many contributions were added."""
    new, old = change.new, change.old
    if new is None or new.get("e_rule") not in REPORTED_RULES or new.get("status") == "draft":
        return 0
    finalized = old is None or old.get("status") == "draft"
    paid = old is not None and old.get("amount_paid") != new.get("amount_paid")
    if not finalized and not paid:
        return 0
    stored = deps.documents.get(change.tenant_id, str(new["id"]))
    document = stored.document if stored is not None else None
    if not isinstance(document, Document):
        return 0
    contributions = [transactions_contribution(document)] if finalized else []
    contributions += [payment_contribution(document, payment) for payment in document.payments]
    added = 0
    for contribution in contributions:
        if contribution is not None and add_contribution(deps, change.tenant_id, contribution):
            added += 1
    return added


def add_contribution(deps: Dependencies, tenant_id: str, contribution: Contribution) -> bool:
    """Add it once (trying again while other documents of the same day hold its rows); a period
    already closed then has something new to transmit."""
    backoff = Backoff(budget=ADD_BUDGET_SECONDS, busy="the day's totals are busy; retry", code="report_busy")
    while True:
        try:
            added = deps.reports.add(tenant_id, contribution)
        except Contention:
            backoff.pause()
            continue
        break
    if added:
        state = deps.reports.period(tenant_id, contribution.period.id)
        if state is not None and state.needs_transmission:
            logger.info("late contribution", extra={"period_id": state.period.id, "key": contribution.key})
            queue_transmission(deps, tenant_id, state)
    return added


def queue_transmission(deps: Dependencies, tenant_id: str, state: PeriodState) -> None:
    deps.platform_tasks.send(
        PlatformTask("transmit", tenant_id, period_id=state.period.id, revision=state.revision)
    )


def close_due(deps: Dependencies, today: date) -> int:
    """Close every period due by `today` (in the last week) and queue its transmission. How many
    were closed now."""
    closed = 0
    for back in range(CLOSING_LOOKBACK_DAYS):
        for tenant_id, period_id in deps.reports.due(today - timedelta(days=back)):
            state = deps.reports.period(tenant_id, period_id)
            if state is None:
                continue
            if state.closed_at is None:
                state = close_period(deps, tenant_id, state.period)
                closed += 1
            if state.needs_transmission:
                queue_transmission(deps, tenant_id, state)
    return closed


def close_period(deps: Dependencies, tenant_id: str, period: Period) -> PeriodState:
    deps.reports.close(tenant_id, period, utc_now())
    state = deps.reports.period(tenant_id, period.id)
    if state is None:
        raise BrokenInvariant("state is missing")
    logger.info("period closed", extra={"tenant_id": tenant_id, "period_id": period.id})
    return state


def report_key(tenant_id: str, period: Period, transmission_id: str) -> str:
    """Where a transmitted report is kept, unchangeable, beside the tenant's documents."""
    return f"tenants/{tenant_id}/e-reporting/{period.id}/{transmission_id}.xml"


def draft_key(tenant_id: str, period: Period) -> str:
    """Where an open period's report so far is written for a download, among the expiring previews."""
    return f"previews/tenants/{tenant_id}/e-reporting/{period.id}.xml"


def report_name(state: PeriodState, revision: int) -> str:
    return f"{state.period.id}.r{revision}"


def transmit(deps: Dependencies, platform: Platform, tenant_id: str, period_id: str) -> None:
    """Send what a closed period holds that no transmission sent yet: the first time as IN, after
    that as a corrective (RE) replacing the last. Its file is written, unchangeable, first."""
    state = deps.reports.period(tenant_id, period_id)
    seller = deps.tenants.settings(tenant_id).seller
    if state is None or not state.needs_transmission or seller is None:
        return
    revision = state.revision
    transmission_id = report_name(state, revision)
    corrective = bool(state.transmissions)
    key = report_key(tenant_id, state.period, transmission_id)
    # Written once: a retry (the platform was down) sends the very file kept the first time.
    body = deps.files.get(key)
    if body is None:
        now = utc_now()
        content = deps.reports.content(tenant_id, state.period)
        body = deps.report_syntax.report(
            seller, state, content, report_id=transmission_id, corrective=corrective, now=now
        )
        retained = now + timedelta(days=365 * deps.retention_years)
        if not deps.files.put_once(key, body, "application/xml", retain_until=retained):
            raise NotReady(f"{key} was written meanwhile")
    flow = platform.find(transmission_id)
    if flow is None:
        flow = platform.submit(
            f"{transmission_id}.xml",
            body,
            tracking_id=transmission_id,
            syntax="FRR",
            processing_rule="B2C",
        )
        logger.info("period transmitted", extra={"period_id": period_id, "flow_id": flow.flow_id})
    record_acknowledgement(deps, tenant_id, state, revision, flow, corrective=corrective)


def record_acknowledgement(
    deps: Dependencies,
    tenant_id: str,
    state: PeriodState,
    revision: int,
    flow: PlatformFlow,
    *,
    corrective: bool,
) -> None:
    """What the platform says of one of the period's transmissions, recorded on it."""
    transmission_id = report_name(state, revision)
    known = next((sent for sent in state.transmissions if sent.id == transmission_id), None)
    status = (
        "accepted" if flow.ack_status == "Ok" else "rejected" if flow.ack_status == "Error" else "transmitted"
    )
    if known is not None and known.status == status and known.flow_id == flow.flow_id:
        return
    deps.reports.record_transmission(
        tenant_id,
        state.period,
        Transmission(
            id=transmission_id,
            type_code=known.type_code if known else "RE" if corrective else "IN",
            revision=revision,
            at=known.at if known else flow.updated_at,
            status=status,
            flow_id=flow.flow_id,
            reasons=[reason[:300] for reason in flow.reasons],
        ),
    )


def hear_report(deps: Dependencies, tenant_id: str, flow: PlatformFlow) -> bool:
    """The platform's acknowledgement of one of our transmissions, if `flow` is one; whether it was."""
    match = _TRACKING_ID.match(flow.tracking_id or "")
    if match is None or flow.direction != "Out":
        return False
    state = deps.reports.period(tenant_id, match.group(1))
    revision = int(match.group(2))
    if state is None:
        return True
    sent = next((sent for sent in state.transmissions if sent.revision == revision), None)
    record_acknowledgement(
        deps, tenant_id, state, revision, flow, corrective=sent is not None and sent.type_code == "RE"
    )
    return True
