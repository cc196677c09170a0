"""Numbering patterns such as `F{YYYY}-{SEQ:5}`: the series' period and the number they format.

A counter exists per tenant, series and period; the period is the finest date part the pattern
shows (`2026-11` for a monthly pattern, `2026` for a yearly one, `all` when it shows none), so a
yearly pattern restarts at 1 each January and never repeats a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema

from invoicing.domain.kinds import Series

DEFAULT_PATTERNS: dict[Series, str] = {
    "invoice": "F{YYYY}-{SEQ:5}",
    "credit_note": "AV{YYYY}-{SEQ:5}",
    "quote": "D{YYYY}-{SEQ:5}",
}

_TOKEN = re.compile(r"\{(YYYY|YY|MM|SEQ(?::(\d{1,2}))?)\}")
# What an e-invoice's number may hold (BR-FR-01, BR-FR-02): letters, digits and + - _ /, 35 at most.
_LITERAL = re.compile(r"^[A-Za-z0-9_\-/+]*$")
# A pattern's numbers are at most 2 characters longer than it ({SEQ} grows to 7 digits).
MAX_PATTERN_LENGTH = 33
MAX_NUMBER_LENGTH = 35
# The longest a sequence grows in a series' life, for the length a number may reach.
LONGEST_SEQUENCE = 10**7 - 1


@dataclass(frozen=True)
class CounterState:
    """Where a series stands: its last sequence number, in which period, issued on which date."""

    seq: int = 0
    period: str | None = None
    last_issue_date: date | None = None

    def following(self, period: str, issue_date: date) -> CounterState:
        """The state once the next number is taken: the sequence restarts at 1 in a new period."""
        seq = self.seq + 1 if period == self.period else 1
        return CounterState(seq=seq, period=period, last_issue_date=issue_date)


@dataclass(frozen=True)
class NumberingPattern:
    pattern: str

    @classmethod
    def parse(cls, pattern: str) -> NumberingPattern:
        if len(pattern) > MAX_PATTERN_LENGTH:
            raise ValueError(f"at most {MAX_PATTERN_LENGTH} characters")
        tokens = [match.group(1) for match in _TOKEN.finditer(pattern)]
        if sum(token.startswith("SEQ") for token in tokens) != 1:
            raise ValueError("needs exactly one {SEQ} or {SEQ:n} token")
        for match in _TOKEN.finditer(pattern):
            width = match.group(2)
            if width is not None and not 1 <= int(width) <= 10:
                raise ValueError("{SEQ:n} pads to 1 to 10 digits")
        if not _LITERAL.match(_TOKEN.sub("", pattern)):
            raise ValueError(
                "besides {YYYY}, {YY}, {MM} and {SEQ:n}, only letters, digits and _-/+ are allowed"
            )
        parsed = cls(pattern)
        if len(parsed.format(date(2099, 12, 31), LONGEST_SEQUENCE)) > MAX_NUMBER_LENGTH:
            raise ValueError(f"the numbers it makes must keep to {MAX_NUMBER_LENGTH} characters (e-invoices)")
        return parsed

    def period(self, issue_date: date) -> str:
        if "{MM}" in self.pattern:
            return f"{issue_date:%Y-%m}"
        if "{YYYY}" in self.pattern or "{YY}" in self.pattern:
            return f"{issue_date:%Y}"
        return "all"

    def format(self, issue_date: date, sequence: int) -> str:
        def replace(match: re.Match[str]) -> str:
            part = match.group(1)
            if part == "YYYY":
                return f"{issue_date:%Y}"
            if part == "YY":
                return f"{issue_date:%y}"
            if part == "MM":
                return f"{issue_date:%m}"
            return str(sequence).zfill(int(match.group(2) or 1))

        return _TOKEN.sub(replace, self.pattern)


def _valid_pattern(value: str) -> str:
    return NumberingPattern.parse(value).pattern


_LITERAL_OR_DATE = r"([A-Za-z0-9_\-/+]|\{(YYYY|YY|MM)\})"
PATTERN_SCHEMA = {
    "type": "string",
    "maxLength": MAX_PATTERN_LENGTH,
    "pattern": rf"^{_LITERAL_OR_DATE}*\{{SEQ(:([1-9]|10))?\}}{_LITERAL_OR_DATE}*$",
    "description": "Letters, digits and _-/+ with {YYYY}, {YY}, {MM} and one {SEQ} or {SEQ:n}.",
}
PatternText = Annotated[str, AfterValidator(_valid_pattern), WithJsonSchema(PATTERN_SCHEMA)]
