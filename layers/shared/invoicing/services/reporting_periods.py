"""A tenant's e-reporting periods as its API shows them: every period readable from its first day,
with what it holds so far and its transmissions; its report downloadable at any time (an open
period's as it stands); a closed one transmitted on request."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from invoicing.domain.e_reporting import PeriodContent, PeriodState, PeriodStatus
from invoicing.domain.errors import InvalidDocument, NotFound, StateConflict
from invoicing.domain.reporting_calendar import (
    VatRegime,
    period_named,
    periods_overlapping,
)
from invoicing.services.e_reporting import (
    close_period,
    draft_key,
    queue_transmission,
    report_key,
)
from invoicing.services.identifiers import tenant_today, utc_now
from invoicing.services.ports import Dependencies

MAX_RANGE_DAYS = 366


class PeriodView(NamedTuple):
    state: PeriodState
    status: PeriodStatus
    content: PeriodContent | None = None


def regime_of(deps: Dependencies, tenant_id: str) -> VatRegime:
    seller = deps.tenants.settings(tenant_id).seller
    return seller.vat_regime if seller is not None else "normal_monthly"


def status_on(state: PeriodState, today: date) -> PeriodStatus:
    """A period is open until its due date; past it, one that took nothing in is closed too."""
    if state.status == "open" and today > state.period.due_date:
        return "closed"
    return state.status


def list_periods(deps: Dependencies, tenant_id: str, first: date, last: date) -> list[PeriodView]:
    """Every period overlapping the days from `first` to `last`, oldest first."""
    if last < first:
        raise InvalidDocument("`to` must not be before `from`", field="to")
    if (last - first).days >= MAX_RANGE_DAYS:
        raise InvalidDocument(f"ask for {MAX_RANGE_DAYS} days at most", field="to")
    stored = {state.period.id: state for state in deps.reports.periods(tenant_id, first, last)}
    computed = {
        period.id: PeriodState(period)
        for period in periods_overlapping(regime_of(deps, tenant_id), first, last)
    }
    today = tenant_today(deps, tenant_id)
    states = sorted((computed | stored).values(), key=lambda state: (state.period.start, state.period.kind))
    return [PeriodView(state, status_on(state, today)) for state in states]


def _state(deps: Dependencies, tenant_id: str, period_id: str) -> PeriodState:
    stored = deps.reports.period(tenant_id, period_id[:64])
    if stored is not None:
        return stored
    period = period_named(regime_of(deps, tenant_id), period_id[:64])
    if period is None:
        raise NotFound(
            f"no e-reporting period {period_id[:64]!r}: ids are the kind and the first day, such as "
            "transactions-2026-12-01, as GET /v1/e-reporting/periods lists them",
            field="id",
        )
    return PeriodState(period)


def get_period(deps: Dependencies, tenant_id: str, period_id: str) -> PeriodView:
    state = _state(deps, tenant_id, period_id)
    content = deps.reports.content(tenant_id, state.period)
    return PeriodView(state, status_on(state, tenant_today(deps, tenant_id)), content)


def report_link(deps: Dependencies, tenant_id: str, period_id: str) -> str:
    """A link to the period's report: the last one transmitted, or what it holds so far."""
    state = _state(deps, tenant_id, period_id)
    filename = f"{state.period.id}.xml"
    if state.transmissions:
        last = state.transmissions[-1]
        return deps.files.link(
            report_key(tenant_id, state.period, last.id), filename=filename, disposition="attachment"
        )
    seller = deps.tenants.settings(tenant_id).seller
    if seller is None:
        raise StateConflict(
            "a report names its seller: set the seller with PUT /v1/settings first", code="seller_missing"
        )
    content = deps.reports.content(tenant_id, state.period)
    body = deps.report_syntax.report(
        seller, state, content, report_id=f"{state.period.id}.draft", corrective=False, now=utc_now()
    )
    key = draft_key(tenant_id, state.period)
    deps.files.put(key, body, "application/xml")
    return deps.files.link(key, filename=f"{state.period.id}.draft.xml", disposition="attachment")


def request_transmission(deps: Dependencies, tenant_id: str, period_id: str) -> PeriodView:
    """Close a period that has ended and queue the transmission of what it holds that was not sent;
    asking again changes nothing."""
    state = _state(deps, tenant_id, period_id)
    today = tenant_today(deps, tenant_id)
    if state.period.end >= today:
        raise StateConflict(
            f"the period runs until {state.period.end.isoformat()}: it can be transmitted from the day "
            f"after, and is transmitted on its due date, {state.period.due_date.isoformat()}",
            code="period_open",
        )
    if deps.platform_connections.get(tenant_id) is None:
        raise StateConflict(
            "no approved platform is connected: connect one with PUT /v1/e-invoicing/platform",
            code="platform_not_connected",
        )
    if state.closed_at is None:
        state = close_period(deps, tenant_id, state.period)
    if state.needs_transmission:
        queue_transmission(deps, tenant_id, state)
    return PeriodView(state, status_on(state, today))


def day_range(first: date | None, last: date | None, today: date) -> tuple[date, date]:
    """The days a listing covers when the query leaves them out: from the first of the month, a month."""
    start = first or (last or today).replace(day=1)
    return start, last or start + timedelta(days=30)
