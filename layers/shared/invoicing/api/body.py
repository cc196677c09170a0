"""The request body as JSON with every number a Decimal, within the size API users are promised."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

MAX_BODY_BYTES = 1_000_000


class PayloadTooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(f"the body has {size} bytes; at most {MAX_BODY_BYTES} are accepted")


class BodyNotAnObject(Exception):
    """Every body this API takes is a JSON object: `0` or `[]` is refused, not read as no field."""


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_json_body(body: str) -> Any:
    """json.loads with Decimal for every number: no float ever holds an amount. `null` is no body."""
    size = len(body.encode())
    if size > MAX_BODY_BYTES:
        raise PayloadTooLarge(size)
    try:
        parsed = json.loads(body, parse_float=Decimal, parse_int=Decimal, parse_constant=_refuse_constant)
    except json.JSONDecodeError:
        raise
    except (ValueError, RecursionError) as error:
        raise json.JSONDecodeError(str(error), body, 0) from None
    if parsed is not None and not isinstance(parsed, dict):
        raise BodyNotAnObject
    return parsed
