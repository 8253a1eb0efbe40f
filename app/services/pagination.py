"""Keyset pagination: opaque cursors that carry the sort keys of the last row sent."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, TypeVar

from app.errors import ProblemError

Row = TypeVar("Row")


def encode_cursor(position: dict[str, Any]) -> str:
    raw = json.dumps(position, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> dict[str, Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        position = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        position = None
    if not isinstance(position, dict):
        raise ProblemError(400, "error.bad_cursor", kind="bad-cursor")
    return position


def split_page(rows: list[Row], limit: int) -> tuple[list[Row], bool]:
    """Rows were fetched with `limit + 1`: return the page and whether another follows."""
    return rows[:limit], len(rows) > limit
