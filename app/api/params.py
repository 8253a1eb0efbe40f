"""Query parameters shared by list endpoints."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query

from app.schemas.sports import SquadFilter
from app.services.pagination import decode_cursor

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


PageParams = Annotated[PageRequest, Depends()]


# A school's sport licences and teams are filtered alike, on every face that lists them.
Squads = Annotated[SquadFilter, Depends()]
