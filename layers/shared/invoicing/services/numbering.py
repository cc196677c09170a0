"""Gapless numbering: the next number and the frozen document committed in one transaction.

Writers of one series queue on a short lease held on the series' counter; taking it returns the
counter as it stands, and the holder commits counter, number reservation and frozen document in
one transaction whose conditions alone guarantee no gap and no duplicate. A number is only ever
taken by a committed transaction, so a failure at any step takes none.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from invoicing.adapters.dynamodb.documents import StoredDocument
from invoicing.adapters.dynamodb.numbering import (
    CounterState,
    DocumentChanged,
    LeaseLost,
    NumberTaken,
    RelatedChanged,
    TransactionContention,
)
from invoicing.domain.documents import check_finalizable, freeze, series_of
from invoicing.domain.errors import DomainError, StateConflict
from invoicing.domain.model import Document, Seller
from invoicing.domain.numbering import NumberingPattern, Series
from invoicing.domain.settings import TenantSettings
from invoicing.services.dependencies import Dependencies

logger = Logger(child=True)
metrics = Metrics()

# A writer waits its turn for as long as the request can (API Gateway gives up at 29 s, and the
# document must still be rendered and stored after the commit).
RETRY_BUDGET_SECONDS = 20.0
# Far longer than a commit takes; only a writer that dies holding it makes the others wait it out.
LEASE_SECONDS = 5.0
POLL_SECONDS = (0.002, 0.04)
CONTENTION_RETRIES = 5


Related = Callable[[Document], list[dict[str, Any]]]


class NumberingBusy(DomainError):
    code = "numbering_busy"


def finalize_document(
    deps: Dependencies,
    tenant_id: str,
    document: Document,
    *,
    draft_version: int | None,
    settings: TenantSettings,
    now: datetime,
    related: Related | None = None,
) -> StoredDocument:
    """Number and freeze `document`; `related` gives, for the frozen document, an update to commit
    with it (read fresh at each attempt), such as the invoice a credit note corrects."""
    seller = check_finalizable(document, settings.seller)
    series = series_of(document)
    commit = _Commit(
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
    )
    deadline = time.monotonic() + RETRY_BUDGET_SECONDS
    attempts = 0
    while True:
        attempts += 1
        owner = uuid.uuid4().hex
        lease = deps.series.take_lease(tenant_id, series, owner, now=time.time(), seconds=LEASE_SECONDS)
        wait = 0.0
        if isinstance(lease, CounterState):
            stored = commit.under_lease(owner, lease)
            if stored is not None:
                metrics.add_metric(name="NumberingAttempts", unit=MetricUnit.Count, value=attempts)
                logger.info("finalized", extra={"number": stored.document.number, "attempts": attempts})
                return stored
        else:
            wait = lease
        if time.monotonic() > deadline:
            raise NumberingBusy(f"the {series.replace('_', ' ')} series is busy; retry the request")
        time.sleep(min(wait, POLL_SECONDS[1]) + random.uniform(*POLL_SECONDS))  # noqa: S311 - jitter


@dataclass(frozen=True, kw_only=True)
class _Commit:
    """One finalization's commit, attempted while holding the series' lease."""

    deps: Dependencies
    tenant_id: str
    document: Document
    draft_version: int | None
    series: Series
    pattern: NumberingPattern
    seller: Seller
    settings: TenantSettings
    issue_date: date
    now: datetime
    related: Related | None

    def under_lease(self, owner: str, state: CounterState) -> StoredDocument | None:
        """The committed document, or None when the lease was lost or contended: queue again."""
        try:
            for attempt in range(CONTENTION_RETRIES):
                try:
                    return self._commit(state, owner)
                except (TransactionContention, RelatedChanged):
                    # Another request touched an item mid-commit: the lease is still ours, try again.
                    time.sleep(random.uniform(0, POLL_SECONDS[0] * 2**attempt))  # noqa: S311 - jitter
        except LeaseLost:
            return None
        except Exception:
            self.deps.series.release_lease(self.tenant_id, self.series, owner)
            raise
        self.deps.series.release_lease(self.tenant_id, self.series, owner)
        return None

    def _commit(self, state: CounterState, owner: str) -> StoredDocument:
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
        try:
            return self.deps.series.commit_finalization(
                self.tenant_id,
                frozen,
                series=self.series,
                previous=state,
                following=following,
                draft_version=self.draft_version,
                lease_owner=owner,
                related=self.related(frozen) if self.related else None,
            )
        except DocumentChanged:
            raise StateConflict(
                "the document was finalized or changed by another request", code="already_finalized"
            ) from None
        except NumberTaken:
            raise StateConflict(
                f"number {number} already exists: the numbering pattern for {self.series} was changed to "
                "one that repeats earlier numbers",
                code="number_taken",
            ) from None
