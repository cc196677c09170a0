"""What schemathesis cannot read in a JSON Schema, taught to it here and nowhere else.

- Formats: a SIREN, a SIRET and a VAT number carry checksums that no pattern states; the OpenAPI
  document names them as formats, and these strategies make valid ones.
- Rules across fields and across requests that JSON Schema cannot state: a due date or a
  validity date on or after the issue date; a listing's days in order and within 366 days; a
  discount within the subtotal and a total not negative; a payment not dated in the future; a
  SIRET and a directory address that start with their SIREN; a cursor is opaque, valid only as
  the API gave it; an import's `file_url` is fetched from a public host, and this machine
  reaches none. Positive cases are brought within them (dates and totals, which would otherwise
  be filtered out too often) or left out; a negative case is left as it is, to be refused.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import schemathesis
from hypothesis import strategies as st


def _luhn_completed(digits: str) -> str:
    """`digits` and the check digit that makes them pass Luhn's algorithm."""
    for check in "0123456789":
        candidate = digits + check
        total = 0
        for position, digit in enumerate(reversed(candidate)):
            value = int(digit) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError("one check digit always completes a Luhn number")


def _digits(count: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=count, max_size=count)


SIRENS = _digits(8).map(_luhn_completed)
SIRETS = st.tuples(SIRENS, _digits(4)).map(lambda parts: _luhn_completed(parts[0] + parts[1]))
FRENCH_VAT_NUMBERS = SIRENS.map(lambda siren: f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}")

schemathesis.openapi.format("siren", SIRENS)
schemathesis.openapi.format("siret", SIRETS)
schemathesis.openapi.format("vat-number", FRENCH_VAT_NUMBERS)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


MAX_LISTED_DAYS = 366


def _dates_in_order(body: Any) -> bool:
    if not isinstance(body, dict):
        return True
    issued = _day(body.get("issue_date"))
    later = [_day(body.get(name)) for name in ("due_date", "valid_until")]
    return issued is None or all(day is None or day >= issued for day in later)


def _days_listed_in_order(query: dict[str, Any]) -> bool:
    """An e-reporting listing's `from` and `to`, when both are given (one alone spans a month)."""
    start, end = _day(query.get("from")), _day(query.get("to"))
    return start is None or end is None or 0 <= (end - start).days <= MAX_LISTED_DAYS


def _amount(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value is not None else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _line_net(line: dict[str, Any]) -> Decimal:
    net = _amount(line.get("quantity", 1)) * _amount(line.get("unit_price"))
    discount = line.get("discount") or {}
    if discount.get("type") == "percent":
        return net - net * _amount(discount.get("value")) / 100
    return net - _amount(discount.get("value"))


def _total_not_negative(body: Any) -> bool:
    """A total that is not negative (a credit note corrects), and a discount amount within the
    subtotal, spread over rates whose bases are all positive."""
    if not isinstance(body, dict) or not isinstance(body.get("lines"), list):
        return True
    bases: dict[Decimal, Decimal] = {}
    for line in body["lines"]:
        if isinstance(line, dict) and line.get("kind", "item") == "item":
            rate = _amount(line.get("vat_rate"))
            bases[rate] = bases.get(rate, Decimal(0)) + _line_net(line)
    subtotal = sum(bases.values(), Decimal(0))
    discount = body.get("discount") or {}
    if discount.get("type") != "amount" or not _amount(discount.get("value")):
        return subtotal >= 0
    return all(base > 0 for base in bases.values()) and _amount(discount.get("value")) <= subtotal


def _not_in_the_future(body: Any) -> bool:
    paid_on = _day(body.get("date")) if isinstance(body, dict) else None
    # The tenant's day may be behind the machine's by up to 12 hours.
    return paid_on is None or paid_on < (datetime.now(UTC) - timedelta(hours=12)).date()


def _identifiers_of_their_siren(body: Any) -> bool:
    """A SIRET, and a directory address (0225), start with the SIREN of the party they belong to."""
    parties = [body, body.get("customer"), body.get("seller")] if isinstance(body, dict) else []
    for party in (each for each in parties if isinstance(each, dict) and each.get("siren")):
        siren = str(party["siren"]).replace(" ", "")
        address = party.get("electronic_address")
        directory = isinstance(address, dict) and address.get("scheme", "0225") == "0225"
        if directory and not str(address.get("value", "")).startswith(siren):
            return False
        if party.get("siret") and not str(party["siret"]).replace(" ", "").startswith(siren):
            return False
    return True


def _positive(case: schemathesis.Case) -> bool:
    return case.meta is not None and case.meta.generation.mode.is_positive


def _unsigned(value: Any) -> Any:
    if isinstance(value, str):
        return value.removeprefix("-")
    return abs(value) if isinstance(value, int) else value


@schemathesis.hook
def map_case(context: schemathesis.HookContext, case: schemathesis.Case) -> schemathesis.Case:
    """A document's dates in order, its lines' discounts within their amounts, and its lines priced
    to a total that is not negative."""
    body = case.body
    if not _positive(case) or not isinstance(body, dict):
        return case
    issued = _day(body.get("issue_date"))
    for name in ("due_date", "valid_until"):
        day = _day(body.get(name))
        if issued is not None and day is not None and day < issued:
            body[name] = body["issue_date"]
    lines = [each for each in body.get("lines") or [] if isinstance(each, dict)]
    if not _total_not_negative(body):
        for line in lines:
            for name in ("unit_price", "quantity"):
                if name in line:
                    line[name] = _unsigned(line[name])
    for line in lines:
        discount = line.get("discount")
        gross = _amount(line.get("quantity", 1)) * _amount(line.get("unit_price"))
        amount_off = isinstance(discount, dict) and discount.get("type") == "amount"
        if amount_off and _amount(discount.get("value")) > gross:
            line["discount"] = None
    if not _total_not_negative(body):
        body["discount"] = None
    return case


@schemathesis.hook
def filter_case(context: schemathesis.HookContext, case: schemathesis.Case) -> bool:
    if not _positive(case):
        return True
    query = case.query if isinstance(case.query, dict) else {}
    fetched = isinstance(case.body, dict) and case.body.get("file_url") is not None
    return (
        "cursor" not in query
        and not fetched
        and _days_listed_in_order(query)
        and _dates_in_order(case.body)
        and _total_not_negative(case.body)
        and _not_in_the_future(case.body)
        and _identifiers_of_their_siren(case.body)
    )
