"""Opaque page cursors: a store's page position, base64url, checked for its shape when it comes back,
so that a forged cursor is a clear 422 and never a read outside what the caller may list."""

from __future__ import annotations

import base64
import binascii
import re

from invoicing.domain.errors import InvalidDocument


def encode_cursor(position: str) -> str:
    return base64.urlsafe_b64encode(position.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, shape: re.Pattern[str]) -> str:
    """The page position a cursor this API gave holds; refused unless it has the position's shape."""
    try:
        position = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        position = ""
    if not shape.match(position):
        raise InvalidDocument(
            "not a cursor this API gave: pass next_cursor back as it came", field="query.cursor"
        )
    return position
