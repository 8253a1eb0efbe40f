"""Levels and streams as the councils see them: the level after a level, and streams by id."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.academics.models import Level, Stream
from app.academics.schemas import StreamRef

# The levels whose pupils state orientation wishes: towards TC, 1BAC and 2BAC.
ORIENTED_LEVELS = frozenset({"3AC", "TC", "1BAC"})


async def next_level(session: AsyncSession, level_code: str) -> Level | None:
    """The level a promoted pupil goes to (rank + 1: 6AP → 1AC, 3AC → TC, …); None after 2BAC."""
    this = aliased(Level)
    return await session.scalar(
        select(Level).join(this, Level.rank == this.rank + 1).where(this.code == level_code)
    )


async def streams_of_level(session: AsyncSession, level_code: str) -> list[StreamRef]:
    """The streams of a level, by code."""
    rows = await session.scalars(
        select(Stream).where(Stream.level_code == level_code).order_by(Stream.code)
    )
    return [StreamRef.model_validate(s) for s in rows]


async def streams_by_id(
    session: AsyncSession, ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, StreamRef]:
    """The streams named, by id (ids that name none are left out)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.scalars(select(Stream).where(Stream.id.in_(wanted)))
    return {s.id: StreamRef.model_validate(s) for s in rows}
