"""E-reporting's store in memory, with what DynamoDB guarantees: a contribution taken in once, its
rows added atomically, and a writer refused (Contention) on demand."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from invoicing.domain.e_reporting import (
    Contribution,
    PaymentRow,
    PeriodContent,
    PeriodState,
    ReportedInvoice,
    ReportedPayment,
    TransactionRow,
    Transmission,
)
from invoicing.domain.reporting_calendar import Period
from invoicing.services.ports import Contention


class FakeReports:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.keys: dict[tuple[str, str], str] = {}
        self.rows: dict[tuple[str, Any], list[Any]] = {}
        self.records: dict[tuple[str, str], ReportedInvoice | ReportedPayment] = {}
        self.states: dict[tuple[str, str], PeriodState] = {}
        self.due_on: dict[date, set[tuple[str, str]]] = {}
        self.contentions = 0  # the next adds refused as if another writer held the rows

    def add(self, tenant_id: str, contribution: Contribution) -> bool:
        with self._lock:
            if self.contentions:
                self.contentions -= 1
                raise Contention
            if (tenant_id, contribution.key) in self.keys:
                return False
            self.keys[(tenant_id, contribution.key)] = contribution.period.id
            for row in contribution.rows:
                self._add_row(tenant_id, row)
            if contribution.record is not None:
                self.records[(tenant_id, contribution.key)] = contribution.record
            state = self._state(tenant_id, contribution.period)
            self.states[(tenant_id, contribution.period.id)] = state._replace(revision=state.revision + 1)
            self.due_on.setdefault(contribution.period.due_date, set()).add(
                (tenant_id, contribution.period.id)
            )
            return True

    def _add_row(self, tenant_id: str, row: TransactionRow | PaymentRow) -> None:
        if isinstance(row, TransactionRow):
            name: tuple[Any, ...] = ("T", row.day, row.currency, row.category, row.vat_rate)
            added = [row.base, row.vat, row.documents]
        else:
            name = ("P", row.day, row.currency, row.vat_rate)
            added = [row.amount, row.payments]
        totals = self.rows.setdefault((tenant_id, name), [Decimal(0)] * (len(added) - 1) + [0])
        for n, amount in enumerate(added):
            totals[n] += amount

    def _state(self, tenant_id: str, period: Period) -> PeriodState:
        return self.states.get((tenant_id, period.id)) or PeriodState(period)

    def period(self, tenant_id: str, period_id: str) -> PeriodState | None:
        return self.states.get((tenant_id, period_id))

    def periods(self, tenant_id: str, first: date, last: date) -> list[PeriodState]:
        return [
            state
            for (tenant, _), state in self.states.items()
            if tenant == tenant_id and state.period.end >= first and state.period.start <= last
        ]

    def content(self, tenant_id: str, period: Period) -> PeriodContent:
        rows = sorted(
            (name, totals)
            for (tenant, name), totals in self.rows.items()
            if tenant == tenant_id and period.holds(name[1])
        )
        records = [record for (tenant, _), record in self.records.items() if tenant == tenant_id]
        if period.kind == "transactions":
            return PeriodContent(
                transactions=tuple(
                    TransactionRow(*name[1:], *totals) for name, totals in rows if name[0] == "T"
                ),
                invoices=tuple(
                    record
                    for record in records
                    if isinstance(record, ReportedInvoice) and period.holds(record.issue_date)
                ),
            )
        return PeriodContent(
            payments=tuple(PaymentRow(*name[1:], *totals) for name, totals in rows if name[0] == "P"),
            paid_invoices=tuple(
                record
                for record in records
                if isinstance(record, ReportedPayment) and period.holds(record.paid_on)
            ),
        )

    def close(self, tenant_id: str, period: Period, at: datetime) -> None:
        with self._lock:
            state = self._state(tenant_id, period)
            if state.closed_at is None:
                self.states[(tenant_id, period.id)] = state._replace(closed_at=at)

    def record_transmission(self, tenant_id: str, period: Period, transmission: Transmission) -> None:
        with self._lock:
            state = self._state(tenant_id, period)
            kept: Iterable[Transmission] = (
                sent for sent in state.transmissions if sent.id != transmission.id
            )
            ordered = sorted([*kept, transmission], key=lambda sent: (sent.revision, sent.at))
            self.states[(tenant_id, period.id)] = state._replace(transmissions=tuple(ordered))

    def due(self, day: date) -> list[tuple[str, str]]:
        return sorted(self.due_on.get(day, set()))
