"""Closing an e-reporting period: what it costs (DynamoDB reads, time) for a period of 100 consumer
documents against one of 2,000. The documents are added to their days as the stream consumer adds
them; the closing reads the days' rows, writes the report and hands it to a platform that takes it."""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from invoicing.bootstrap import AwsDependencies, from_environment
from invoicing.domain.e_reporting import Contribution, TransactionRow, transactions_contribution
from invoicing.domain.settings import TenantSettings
from invoicing.services import e_reporting
from invoicing.services.ports import PlatformFlow
from tests.support.documents import finalized, line
from tests.support.lambdas import SELLER_SETTINGS, counting_aws_calls, moto_resources, use_moto_environment
from tests.support.reporting import CONSUMER

SIZES = (100, 2000)
FIRST_DAY = date(2026, 12, 1)
RATES = ("20", "10", "5.5", "2.1")
READS = ("Query", "GetItem", "GetObject")


class TakingPlatform:
    """A platform that takes every flow at once: the closing is measured, not a network."""

    def find(self, tracking_id: str) -> PlatformFlow | None:
        return None

    def submit(
        self, name: str, body: bytes, *, tracking_id: str, syntax: str, processing_rule: str
    ) -> PlatformFlow:
        return PlatformFlow(
            f"flow-{tracking_id}",
            tracking_id,
            "AggregatedCustomerTransactionReport",
            "Out",
            "Pending",
            (),
            datetime.now(UTC),
        )


def _period_of(deps: AwsDependencies, tenant: str, count: int) -> str:
    """A period holding `count` consumer documents. Their rows are summed here, then added one day at
    a time through the store: the rows and their values are those that adding each document would
    leave, but moto copies the whole table for each transaction, which would make 2,000 separate adds
    take most of an hour on this machine (DynamoDB's cost per add does not grow with the table)."""
    rng = random.Random(count)
    by_day: dict[date, dict[tuple[str, str, Decimal], TransactionRow]] = {}
    period = None
    for n in range(count):
        lines = [
            line(f"Article {k}", f"{rng.randint(100, 9999) / 100}", rng.choice(RATES))
            for k in range(rng.randint(1, 3))
        ]
        document = finalized(
            f"F2026-{n:05d}",
            issued=FIRST_DAY + timedelta(days=rng.randint(0, 9)),
            customer=CONSUMER,
            operation_nature=rng.choice(["goods", "services"]),
            lines=lines,
        )
        contribution = transactions_contribution(document)
        assert contribution is not None
        period = contribution.period
        for row in contribution.rows:
            assert isinstance(row, TransactionRow)
            day = by_day.setdefault(row.day, {})
            name = (row.currency, row.category, row.vat_rate)
            held = day.get(name)
            day[name] = (
                row
                if held is None
                else held._replace(
                    base=held.base + row.base,
                    vat=held.vat + row.vat,
                    documents=held.documents + row.documents,
                )
            )
    assert period is not None
    for day, rows in by_day.items():
        deps.reports.add(tenant, Contribution(f"bench:{day}", period, rows=tuple(rows.values())))
    return period.id


def _close(deps: AwsDependencies, tenant: str, period_id: str) -> tuple[float, Counter[str]]:
    state = deps.reports.period(tenant, period_id)
    assert state is not None
    with counting_aws_calls() as calls:
        start = time.perf_counter()
        e_reporting.close_period(deps, tenant, state.period)
        e_reporting.transmit(deps, TakingPlatform(), tenant, period_id)  # type: ignore[arg-type]
        elapsed = time.perf_counter() - start
    return elapsed, calls


def measure() -> list[tuple[str, str, str, str]]:
    use_moto_environment()
    rows = []
    with moto_resources():
        deps = from_environment()
        baseline = 0.0
        for count in SIZES:
            tenant = f"ten_bench_{count}"
            deps.tenants.put_settings(tenant, TenantSettings.model_validate_json(SELLER_SETTINGS))
            period_id = _period_of(deps, tenant, count)
            elapsed, calls = _close(deps, tenant, period_id)
            baseline = baseline or elapsed
            reads = sum(n for operation, n in calls.items() if operation.split(".")[1] in READS)
            made = ", ".join(f"{operation} {n}" for operation, n in sorted(calls.items()))
            rows.append(
                (
                    f"close and transmit a period of {count:,} consumer documents"
                    + (" (baseline)" if count == SIZES[0] else ""),
                    f"{elapsed * 1000:.0f} ms",
                    f"{elapsed / baseline:.2f}",
                    f"{reads} reads ({made}); over 10 days, 4 rates, 2 categories",
                )
            )
        document = finalized(
            "F2026-99999", issued=FIRST_DAY, customer=CONSUMER, lines=[line("Lampe", "40", "20")]
        )
        contribution = transactions_contribution(document)
        assert contribution is not None
        with counting_aws_calls() as calls:
            e_reporting.add_contribution(deps, f"ten_bench_{SIZES[-1]}", contribution)
        rows.append(
            (
                "add one consumer document to its day's totals (the stream consumer)",
                f"{sum(calls.values())} calls",
                "-",
                ", ".join(f"{operation} {n}" for operation, n in sorted(calls.items()))
                + " (its period, read back); with the document read first, 3 whatever the period holds",
            )
        )
    return rows
