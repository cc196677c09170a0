"""Gapless numbering: the next number and the frozen document committed in one unit of work.

Writers of one series queue on a short lease held on the series' counter; taking it returns the
counter as it stands, and the holder commits the counter's move, the number's reservation and the
frozen document together, with what else the finalization changes (the invoice a credit note
corrects, the deposits a final invoice deducts). Those changes' expectations alone guarantee no gap
and no duplicate: a number is only ever taken by a committed unit of work, so a failure at any step
takes none.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from invoicing.domain.documents import check_finalizable, freeze, series_of, with_default_nature
from invoicing.domain.errors import StateConflict
from invoicing.domain.kinds import Series
from invoicing.domain.model import D, Document
from invoicing.domain.numbering import CounterState, NumberingPattern
from invoicing.domain.parts import Seller
from invoicing.domain.settings import TenantSettings
from invoicing.services.changes import Change, DocumentFinalized, NumberReserved, SeriesAdvanced
from invoicing.services.documents import commit
from invoicing.services.ports import AlreadyExists, ConditionFailed, Contention, Dependencies, Stored
from invoicing.services.retry import Backoff

logger = Logger(child=True)
metrics = Metrics()

# A writer waits its turn for at most this long, then is told to retry (503): API Gateway gives up
# at 29 s, and the document must still be rendered and stored after the commit, which on a busy
# machine (or a cold environment) takes seconds.
RETRY_BUDGET_SECONDS = 15.0
# Far longer than a commit takes; only a writer that dies holding it makes the others wait it out.
LEASE_SECONDS = 5.0
# How often a waiter asks for the lease again, at most (plus jitter).
POLL_SECONDS = 0.04
CONTENTION_RETRIES = 5

# For the frozen document, what else its finalization changes, read afresh at each attempt.
Related = Callable[[D], list[Change]]
# What the frozen document is born as, when it is created already settled (a shop's paid order).
Settled = Callable[[Document], Document]


class _LeaseLost(Exception):
    """The lease expired and another writer took the series: queue again."""


def finalize_document(
    deps: Dependencies,
    tenant_id: str,
    document: D,
    *,
    draft_version: int | None,
    settings: TenantSettings,
    now: datetime,
    related: Related[D] | None = None,
    settled: Settled | None = None,
) -> Stored[D]:
    """Number and freeze `document` (a draft at `draft_version`, or None when it is created final,
    `settled` then by what it is born with). A related change refused as already existing (another
    request reserved the same order) is raised as it is, for the caller to find what holds it."""
    document = with_default_nature(document, settings.seller)
    seller = check_finalizable(document, settings.seller)
    series = series_of(document)
    attempt = _Commit(
        deps=deps,
        tenant_id=tenant_id,
        document=document,
        draft_version=draft_version,
        series=series,
        pattern=settings.numbering.pattern(series),
        seller=seller,
        settings=settings,
        issue_date=document.issue_date or now.astimezone(settings.zone).date(),
        now=now,
        related=related,
        settled=settled,
    )
    backoff = Backoff(
        budget=RETRY_BUDGET_SECONDS,
        busy=f"the {series.replace('_', ' ')} series is busy; retry the request",
        code="numbering_busy",
        first=POLL_SECONDS,
        cap=POLL_SECONDS,
    )
    while True:
        owner = uuid.uuid4().hex
        lease = deps.numbering.take_lease(tenant_id, series, owner, now=time.time(), seconds=LEASE_SECONDS)
        wait = 0.0
        if isinstance(lease, CounterState):
            stored = attempt.under_lease(owner, lease)
            if stored is not None:
                attempts = backoff.attempts + 1
                metrics.add_metric(name="NumberingAttempts", unit=MetricUnit.Count, value=attempts)
                logger.info("finalized", extra={"number": stored.document.number, "attempts": attempts})
                return stored
        else:
            wait = lease
        backoff.pause(at_least=wait)


@dataclass(frozen=True, kw_only=True)
class _Commit(Generic[D]):
    """One finalization's commit, attempted while holding the series' lease."""

    deps: Dependencies
    tenant_id: str
    document: D
    draft_version: int | None
    series: Series
    pattern: NumberingPattern
    seller: Seller
    settings: TenantSettings
    issue_date: date
    now: datetime
    related: Related[D] | None
    settled: Settled | None

    def under_lease(self, owner: str, state: CounterState) -> Stored[D] | None:
        """The committed document, or None when the lease was lost or contended: queue again."""
        contention = Backoff(budget=LEASE_SECONDS, busy="the series is busy; retry the request")
        try:
            for _ in range(CONTENTION_RETRIES):
                try:
                    return self._commit(state, owner)
                except Contention:
                    # Another request touched an item mid-commit: the lease is still ours, try again.
                    contention.pause()
        except _LeaseLost:
            return None
        except Exception:
            self.deps.numbering.release_lease(self.tenant_id, self.series, owner)
            raise
        self.deps.numbering.release_lease(self.tenant_id, self.series, owner)
        return None

    def _commit(self, state: CounterState, owner: str) -> Stored[D]:
        if state.last_issue_date is not None and self.issue_date < state.last_issue_date:
            raise StateConflict(
                f"issue_date {self.issue_date.isoformat()} is earlier than the last "
                f"{self.series.replace('_', ' ')} of the series, issued {state.last_issue_date.isoformat()}",
                code="issue_date_before_last",
                field="issue_date",
            )
        following = state.following(self.pattern.period(self.issue_date), self.issue_date)
        number = self.pattern.format(self.issue_date, following.seq)
        frozen = freeze(
            self.document,
            seller=self.seller,
            number=number,
            issue_date=self.issue_date,
            default_terms=self.settings.payment_terms,
            quote_validity_days=self.settings.quote_validity_days,
            now=self.now,
        )
        settled = (
            self.settled(frozen)
            if self.settled and self.draft_version is None and isinstance(frozen, Document)
            else None
        )
        related = self.related(frozen) if self.related else []
        uow = self.deps.unit_of_work(self.tenant_id)
        uow.record(
            SeriesAdvanced(
                self.series, previous=state, following=following, number=number, lease_owner=owner
            ),
            NumberReserved(number, frozen.id),
            DocumentFinalized(frozen, draft_version=self.draft_version, settled=settled),
            *related,
        )
        try:
            commit(uow)
        except ConditionFailed as failed:
            raise self._refusal(failed, number) from None
        return Stored(settled if settled is not None else frozen, (self.draft_version or 0) + 1)

    def _refusal(self, failed: ConditionFailed, number: str) -> Exception:
        """What a refused commit means, by the change that was refused."""
        match failed.change:
            case SeriesAdvanced():
                return _LeaseLost()  # the lease expired and another writer took the series meanwhile
            case NumberReserved():
                return StateConflict(
                    f"number {number} already exists: the numbering pattern for {self.series} was changed "
                    "to one that repeats earlier numbers",
                    code="number_taken",
                )
            case _ if isinstance(failed, AlreadyExists):
                return failed  # the document, or what else it creates, is another request's already
            case DocumentFinalized():
                return StateConflict(
                    "the document was finalized or changed by another request", code="already_finalized"
                )
            case _:
                # What else the finalization changes moved meanwhile: read it afresh and try again.
                return Contention()
