"""The e-reporting calendar: the periods a seller's sales (transactions) and collections (payments)
are reported by, and the day each is due, from the seller's VAT regime.

Source: CGI, annexe II, article 242 nonies I (décret n° 2022-1299 du 7 octobre 2022, as amended by
décret n° 2024-266 du 25 mars 2024), which the AIFE's external specifications (v3.1, "calendrier
de transmission des données d'e-reporting") restate:

- normal regime, monthly VAT returns: transactions by ten-day periods (1st-10th, 11th-20th, 21st
  to the month's end), each due ten days after it ends (the 20th, the 30th, the 10th of the next
  month); payments by month, due the 10th of the next month;
- normal regime, quarterly returns (a seller whose VAT is under 4,000 € a year): transactions and
  payments by month, due the 10th of the next month;
- simplified regime (régime réel simplifié): transactions and payments by month, due between the
  25th and the 30th of the next month: the 30th is taken;
- franchise (franchise en base): transactions and payments by two months (January-February,
  March-April...), due between the 25th and the 30th of the month after: the 30th is taken.

A due day past a short month's end (the 30th of February) is that month's last day.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Final, Literal, NamedTuple

VatRegime = Literal["normal_monthly", "normal_quarterly", "simplified", "franchise"]
ReportKind = Literal["transactions", "payments"]
REPORT_KINDS: Final[tuple[ReportKind, ...]] = ("transactions", "payments")
_PERIOD_ID: Final = re.compile(r"^(transactions|payments)-(\d{4}-\d{2}-\d{2})$")


class Period(NamedTuple):
    kind: ReportKind
    start: date
    end: date
    due_date: date

    @property
    def id(self) -> str:
        return f"{self.kind}-{self.start.isoformat()}"

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _month_after(day: date, months: int = 1) -> date:
    """The first day of the month `months` after `day`'s."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _day_in(month: date, day: int) -> date:
    """The `day` of `month` (its last day when the month is shorter)."""
    return month.replace(day=min(day, _last_day(month.year, month.month)))


def _months(day: date, length: int) -> tuple[date, date]:
    """The `length`-month block (counted from January) that holds `day`."""
    first = date(day.year, (day.month - 1) // length * length + 1, 1)
    return first, _month_after(first, length) - timedelta(days=1)


def period_of(regime: VatRegime, kind: ReportKind, day: date) -> Period:
    """The period that holds `day`'s transactions or payments."""
    if regime == "normal_monthly" and kind == "transactions":
        if day.day <= 10:
            start, end, due = day.replace(day=1), day.replace(day=10), day.replace(day=20)
        elif day.day <= 20:
            start, end, due = day.replace(day=11), day.replace(day=20), _day_in(day, 30)
        else:
            start = day.replace(day=21)
            end = _day_in(day, 31)
            due = _month_after(day).replace(day=10)
        return Period(kind, start, end, due)
    if regime in ("normal_monthly", "normal_quarterly"):
        start, end = _months(day, 1)
        return Period(kind, start, end, _month_after(end).replace(day=10))
    start, end = _months(day, 2 if regime == "franchise" else 1)
    return Period(kind, start, end, _day_in(_month_after(end), 30))


def periods_overlapping(regime: VatRegime, first: date, last: date) -> list[Period]:
    """Every period of either kind that overlaps the days from `first` to `last`, by start date."""
    periods = []
    for kind in REPORT_KINDS:
        day = first
        while day <= last:
            period = period_of(regime, kind, day)
            periods.append(period)
            day = period.end + timedelta(days=1)
    return sorted(periods, key=lambda period: (period.start, period.kind))


def period_named(regime: VatRegime, period_id: str) -> Period | None:
    """The period `period_id` names (`transactions-2026-12-01`), if it is one of the regime's."""
    match = _PERIOD_ID.match(period_id)
    if match is None:
        return None
    kind: ReportKind = "transactions" if match.group(1) == "transactions" else "payments"
    try:
        start = date.fromisoformat(match.group(2))
    except ValueError:
        return None
    period = period_of(regime, kind, start)
    return period if period.start == start else None
