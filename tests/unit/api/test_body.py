"""Request bodies: every number a Decimal, nothing over 1 MB, JSON's non-numbers refused."""

import json
from decimal import Decimal

import pytest

from invoicing.api.body import MAX_BODY_BYTES, PayloadTooLarge, parse_json_body
from invoicing.api.errors import field_path


def test_numbers_are_decimals_exactly_as_written():
    body = parse_json_body('{"a": 0.1, "b": 2.675, "c": 3, "d": 1e400}')
    assert body == {"a": Decimal("0.1"), "b": Decimal("2.675"), "c": Decimal(3), "d": Decimal("1e400")}
    assert all(isinstance(value, Decimal) for value in body.values())


@pytest.mark.parametrize("text", ['{"a": NaN}', '{"a": Infinity}', '{"a": -Infinity}', '{"a": 1', "[1,]"])
def test_non_numbers_and_broken_json_are_invalid_json(text):
    with pytest.raises(json.JSONDecodeError):
        parse_json_body(text)


def test_an_absurdly_long_integer_is_a_decimal_that_the_bounds_refuse_later():
    assert parse_json_body('{"a": ' + "9" * 5000 + "}") == {"a": Decimal("9" * 5000)}


def test_deep_nesting_is_invalid_json_not_a_crash():
    with pytest.raises(json.JSONDecodeError):
        parse_json_body("[" * 100_000 + "]" * 100_000)


def test_bodies_over_one_megabyte_are_refused_before_parsing():
    parse_json_body(json.dumps({"a": "x" * (MAX_BODY_BYTES - 20)}))
    with pytest.raises(PayloadTooLarge):
        parse_json_body(json.dumps({"a": "é" * (MAX_BODY_BYTES // 2)}))


@pytest.mark.parametrize(
    ("location", "path"),
    [
        (("body", "lines", 0, "unit_price"), "lines[0].unit_price"),
        (("body", "customer", "address", "city"), "customer.address.city"),
        (("body",), None),
        (("query", "format"), "format"),
    ],
)
def test_field_paths_read_as_a_client_writes_them(location, path):
    assert field_path(location) == path
