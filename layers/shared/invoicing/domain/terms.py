"""Payment terms as facturation.pro codes them, the due date they give, and the French B2B caps.

`30` is 30 days net; `45fm` adds 45 days then goes to the end of that month; `00fm10` goes to
the end of the month, then to the 10th of the next. Article L441-10 of the Code de commerce caps
B2B terms at 60 days from issue or 45 days end of month.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Literal

PaymentTerms = Literal["0", "15", "30", "45", "60", "30fm", "45fm", "60fm", "00fm10"]

B2B_MAX_NET_DAYS = 60
B2B_MAX_END_OF_MONTH_DAYS = 45


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def due_date(issue_date: date, terms: PaymentTerms) -> date:
    if terms == "00fm10":
        return end_of_month(issue_date) + timedelta(days=10)
    if terms.endswith("fm"):
        return end_of_month(issue_date + timedelta(days=int(terms[:-2])))
    return issue_date + timedelta(days=int(terms))


def terms_exceed_b2b_cap(terms: PaymentTerms) -> bool:
    """A code is judged by what it states: more than 60 days net, or more than 45 days end of month."""
    if terms == "00fm10":
        return False
    if terms.endswith("fm"):
        return int(terms[:-2]) > B2B_MAX_END_OF_MONTH_DAYS
    return int(terms) > B2B_MAX_NET_DAYS


def latest_b2b_due_date(issue_date: date) -> date:
    """The furthest due date the law allows between businesses, whichever way it is counted."""
    return max(
        issue_date + timedelta(days=B2B_MAX_NET_DAYS),
        end_of_month(issue_date + timedelta(days=B2B_MAX_END_OF_MONTH_DAYS)),
        end_of_month(issue_date) + timedelta(days=B2B_MAX_END_OF_MONTH_DAYS),
    )


def exceeds_b2b_cap(issue_date: date, due: date) -> bool:
    return due > latest_b2b_due_date(issue_date)
