"""The e-reporting calendar, regime by regime, as the CGI (ann. II, art. 242 nonies I) sets it."""

from datetime import date

import pytest

from invoicing.domain.reporting_calendar import Period, period_named, period_of, periods_overlapping


@pytest.mark.parametrize(
    ("day", "start", "end", "due"),
    [
        (date(2026, 12, 1), date(2026, 12, 1), date(2026, 12, 10), date(2026, 12, 20)),
        (date(2026, 12, 10), date(2026, 12, 1), date(2026, 12, 10), date(2026, 12, 20)),
        (date(2026, 12, 11), date(2026, 12, 11), date(2026, 12, 20), date(2026, 12, 30)),
        (date(2026, 12, 31), date(2026, 12, 21), date(2026, 12, 31), date(2027, 1, 10)),
        (date(2027, 2, 15), date(2027, 2, 11), date(2027, 2, 20), date(2027, 2, 28)),
        (date(2027, 2, 28), date(2027, 2, 21), date(2027, 2, 28), date(2027, 3, 10)),
        (date(2028, 2, 29), date(2028, 2, 21), date(2028, 2, 29), date(2028, 3, 10)),
    ],
)
def test_a_monthly_filer_reports_its_sales_by_ten_days_each_due_ten_days_later(day, start, end, due):
    assert period_of("normal_monthly", "transactions", day) == Period("transactions", start, end, due)


@pytest.mark.parametrize(
    ("regime", "kind", "day", "expected"),
    [
        (
            "normal_monthly",
            "payments",
            date(2026, 12, 14),
            (date(2026, 12, 1), date(2026, 12, 31), date(2027, 1, 10)),
        ),
        (
            "normal_quarterly",
            "transactions",
            date(2026, 11, 30),
            (date(2026, 11, 1), date(2026, 11, 30), date(2026, 12, 10)),
        ),
        (
            "normal_quarterly",
            "payments",
            date(2026, 11, 1),
            (date(2026, 11, 1), date(2026, 11, 30), date(2026, 12, 10)),
        ),
        (
            "simplified",
            "transactions",
            date(2027, 1, 31),
            (date(2027, 1, 1), date(2027, 1, 31), date(2027, 2, 28)),
        ),
        (
            "simplified",
            "payments",
            date(2026, 12, 5),
            (date(2026, 12, 1), date(2026, 12, 31), date(2027, 1, 30)),
        ),
        (
            "franchise",
            "transactions",
            date(2026, 12, 5),
            (date(2026, 11, 1), date(2026, 12, 31), date(2027, 1, 30)),
        ),
        ("franchise", "payments", date(2027, 1, 1), (date(2027, 1, 1), date(2027, 2, 28), date(2027, 3, 30))),
    ],
)
def test_the_other_regimes_report_by_month_or_two_months(regime, kind, day, expected):
    period = period_of(regime, kind, day)
    assert (period.start, period.end, period.due_date) == expected
    assert period.holds(day)


def test_a_month_of_a_monthly_filer_has_three_transaction_periods_and_one_of_payments():
    periods = periods_overlapping("normal_monthly", date(2026, 12, 1), date(2026, 12, 31))
    assert [period.id for period in periods] == [
        "payments-2026-12-01",
        "transactions-2026-12-01",
        "transactions-2026-12-11",
        "transactions-2026-12-21",
    ]


def test_a_period_is_named_by_its_kind_and_first_day_and_only_its_real_ones_are():
    assert period_named("normal_monthly", "transactions-2026-12-11") == period_of(
        "normal_monthly", "transactions", date(2026, 12, 15)
    )
    assert period_named("normal_monthly", "transactions-2026-12-12") is None  # not a first day
    assert period_named("simplified", "transactions-2026-12-11") is None
    assert period_named("normal_monthly", "payments-2026-02-30") is None
    assert period_named("normal_monthly", "../../etc/passwd") is None
