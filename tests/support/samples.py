"""The request bodies of the sample events in events/: the documents every level of tests starts
from, as a client sends them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

EVENTS = Path(__file__).resolve().parents[2] / "events"


@cache
def _body(name: str) -> str:
    return str(json.loads((EVENTS / f"{name}.json").read_text())["body"])


def sample_body(name: str) -> dict[str, Any]:
    """The JSON body of events/<name>.json, a fresh copy each time."""
    body: dict[str, Any] = json.loads(_body(name))
    return body


def invoice_body(**fields: Any) -> dict[str, Any]:
    """A B2B invoice of two lines at 20 % and 5.5 % (95.49 due), with `fields` changed."""
    return sample_body("create_invoice") | fields


def quote_body(**fields: Any) -> dict[str, Any]:
    """A quote of 3 720.00, all at 20 %, with `fields` changed."""
    return sample_body("create_quote") | fields


def seller_settings() -> dict[str, Any]:
    """Settings with the seller's legal identity: ready to finalize."""
    return sample_body("replace_settings")
