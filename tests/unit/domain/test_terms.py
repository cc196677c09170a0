"""Payment terms as facturation.pro codes them, and the French B2B caps."""

from datetime import date, timedelta

import pytest

from invoicing.domain.terms import due_date, exceeds_b2b_cap, latest_b2b_due_date, terms_exceed_b2b_cap


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        ("0", date(2013, 7, 29)),
        ("15", date(2013, 8, 13)),
        ("30", date(2013, 8, 28)),
        ("45", date(2013, 9, 12)),
        ("60", date(2013, 9, 27)),
        ("30fm", date(2013, 8, 31)),
        ("45fm", date(2013, 9, 30)),
        ("60fm", date(2013, 9, 30)),  # the facturation.pro example: 2013-07-29 + 60fm
        ("00fm10", date(2013, 8, 10)),
    ],
)
def test_due_dates_from_the_seed_example(terms, expected):
    assert due_date(date(2013, 7, 29), terms) == expected


def test_end_of_month_terms_cross_february_and_leap_years():
    assert due_date(date(2024, 1, 31), "30fm") == date(2024, 3, 31)
    assert due_date(date(2024, 1, 15), "30fm") == date(2024, 2, 29)
    assert due_date(date(2023, 12, 31), "00fm10") == date(2024, 1, 10)


@pytest.mark.parametrize("terms", ["0", "15", "30", "45", "60", "30fm", "45fm", "00fm10"])
def test_codes_within_the_b2b_cap(terms):
    issued = date(2026, 1, 31)
    assert not exceeds_b2b_cap(issued, due_date(issued, terms))


@pytest.mark.parametrize("issued", [date(2026, 1, 1), date(2026, 1, 31), date(2026, 2, 14)])
def test_a_due_date_60_days_end_of_month_away_exceeds_the_b2b_cap(issued):
    assert exceeds_b2b_cap(issued, due_date(issued, "60fm"))


def test_an_explicit_due_date_a_day_past_the_cap_is_refused():
    issued = date(2026, 3, 10)
    latest = latest_b2b_due_date(issued)
    assert not exceeds_b2b_cap(issued, latest)
    assert exceeds_b2b_cap(issued, latest + timedelta(days=1))


def test_the_latest_b2b_due_date_takes_the_most_generous_legal_reading():
    assert latest_b2b_due_date(date(2026, 1, 1)) == date(2026, 3, 17)  # end of January + 45 days
    assert latest_b2b_due_date(date(2026, 1, 31)) == date(2026, 4, 1)  # 60 days net


@pytest.mark.parametrize(
    ("terms", "refused"), [("60", False), ("45fm", False), ("00fm10", False), ("60fm", True)]
)
def test_codes_are_judged_by_what_they_state(terms, refused):
    assert terms_exceed_b2b_cap(terms) is refused
