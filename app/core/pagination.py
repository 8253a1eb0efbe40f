"""Keyset pagination: opaque cursors that carry the sort keys of the last row sent."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any, TypeVar

from fastapi import Query

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


DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class PageRequest:
    """`limit` (1-200, default 50) and the `cursor` a previous page returned."""

    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        cursor: Annotated[str | None, Query(max_length=512)] = None,
    ) -> None:
        self.limit = limit
        self.cursor = cursor

    def position(self) -> dict[str, Any] | None:
        """The keys of the last row of the previous page, or None for the first page."""
        return decode_cursor(self.cursor) if self.cursor else None
