"""Gapless numbering: the next number and the frozen document committed in one transaction.

Concurrent finalizations of one series race on the counter item; the loser's cancellation reason
carries the counter as it now stands (ALL_OLD), so it retries with the right number and no extra
read, after a jittered backoff. A number is only ever taken by a committed transaction, so a
failure at any step leaves no gap and no duplicate.
"""

from __future__ import annotations

import random
import time
from datetime import date, datetime

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from invoicing.adapters.dynamodb.documents import (
    CounterMoved,
    CounterState,
    DocumentChanged,
    NumberTaken,
    StoredDocument,
    TransactionContention,
)
from invoicing.domain.documents import check_finalizable, freeze, series_of
from invoicing.domain.errors import DomainError, StateConflict
from invoicing.domain.model import Document
from invoicing.domain.settings import TenantSettings
from invoicing.services.dependencies import Dependencies

logger = Logger(child=True)
metrics = Metrics()

MAX_ATTEMPTS = 40
BACKOFF_BASE_SECONDS = 0.01
BACKOFF_CAP_SECONDS = 0.25

# The counter as this execution environment last committed it: usually still current, so the
# first attempt needs no read; when stale, the cancellation tells the truth at no extra cost.
_last_seen: dict[tuple[str, str], CounterState] = {}


class NumberingBusy(DomainError):
    code = "numbering_busy"


def _backoff(attempt: int) -> float:
    return random.uniform(0, min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt))  # noqa: S311


def finalize_document(
    deps: Dependencies,
    tenant_id: str,
    document: Document,
    *,
    draft_version: int | None,
    settings: TenantSettings,
    now: datetime,
) -> StoredDocument:
    seller = check_finalizable(document, settings.seller)
    series = series_of(document)
    pattern = settings.numbering.pattern(series)
    issue_date = document.issue_date or now.astimezone(settings.zone).date()
    state = _last_seen.get((tenant_id, series)) or deps.documents.counter(tenant_id, series)

    for attempt in range(MAX_ATTEMPTS):
        _refuse_backdating(issue_date, state, series)
        following = state.following(pattern.period(issue_date), issue_date)
        number = pattern.format(issue_date, following.seq)
        frozen = freeze(
            document,
            seller=seller,
            number=number,
            issue_date=issue_date,
            default_terms=settings.payment_terms,
            now=now,
        )
        try:
            stored = deps.documents.commit_finalization(
                tenant_id,
                frozen,
                series=series,
                previous=state,
                following=following,
                draft_version=draft_version,
            )
        except CounterMoved as moved:
            state = moved.state or deps.documents.counter(tenant_id, series)
        except TransactionContention:
            pass
        except DocumentChanged:
            raise StateConflict(
                "the document was finalized or changed by another request", code="already_finalized"
            ) from None
        except NumberTaken:
            raise StateConflict(
                f"number {number} already exists: the numbering pattern for {series} was changed to "
                "one that repeats earlier numbers",
                code="number_taken",
            ) from None
        else:
            _last_seen[(tenant_id, series)] = following
            metrics.add_metric(name="NumberingAttempts", unit=MetricUnit.Count, value=attempt + 1)
            logger.info("finalized", extra={"number": number, "attempts": attempt + 1})
            return stored
        time.sleep(_backoff(attempt))

    raise NumberingBusy(f"the {series} series is busy; retry the request", code="numbering_busy")


def _refuse_backdating(issue_date: date, state: CounterState, series: str) -> None:
    if state.last_issue_date is not None and issue_date < state.last_issue_date:
        raise StateConflict(
            f"issue_date {issue_date.isoformat()} is earlier than the last {series.replace('_', ' ')} "
            f"of the series, issued {state.last_issue_date.isoformat()}",
            code="issue_date_before_last",
            field="issue_date",
        )
