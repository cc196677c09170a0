"""Numbering patterns: the number they format and the period their counter restarts on."""

from datetime import date

import pytest

from invoicing.domain.numbering import NumberingPattern


@pytest.mark.parametrize(
    ("pattern", "number", "period"),
    [
        ("F{YYYY}-{SEQ:5}", "F2026-00042", "2026"),
        ("AV{YYYY}-{SEQ:5}", "AV2026-00042", "2026"),
        ("{YY}{MM}-{SEQ:3}", "2611-042", "2026-11"),
        ("FAC-{SEQ}", "FAC-42", "all"),
        ("F/{YYYY}/{MM}/{SEQ:4}", "F/2026/11/0042", "2026-11"),
    ],
)
def test_patterns_format_numbers_and_periods(pattern, number, period):
    parsed = NumberingPattern.parse(pattern)
    assert parsed.format(date(2026, 11, 21), 42) == number
    assert parsed.period(date(2026, 11, 21)) == period


def test_a_sequence_wider_than_its_padding_keeps_every_digit():
    assert NumberingPattern.parse("F{SEQ:2}").format(date(2026, 1, 1), 1234) == "F1234"


@pytest.mark.parametrize(
    "pattern",
    [
        "F{YYYY}",
        "F{SEQ}-{SEQ}",
        "F {SEQ}",
        "F{SEQ:0}",
        "F{SEQ:11}",
        "<b>{SEQ}</b>",
        "F{DD}{SEQ}",
        "F" * 40 + "{SEQ}",
    ],
)
def test_invalid_patterns_are_refused(pattern):
    with pytest.raises(ValueError, match=r"SEQ|characters|allowed"):
        NumberingPattern.parse(pattern)
