"""Dates as shops write them: ISO 8601 strings (Shopify, WooCommerce) or Unix times (Stripe).

A shop names the day of a payment in several fields, best first (Shopify's `processed_at`, then
`created_at`); the first one that reads as a date is the day. When none does, the delivery's own
time stands in (the service knows it): a paid order is never refused for a missing date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal


def _day(value: object) -> date | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        try:
            return datetime.fromtimestamp(int(value), UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str) and value.strip():
        try:
            return datetime.fromisoformat(value.strip()).date()
        except ValueError:
            return None
    return None


def first_day(*candidates: object) -> date | None:
    """The day of the first candidate that is a date, in the order given; None if none is."""
    for candidate in candidates:
        if (day := _day(candidate)) is not None:
            return day
    return None
