"""A level's scale: marks and averages out of 10 in primary, 20 from collège on."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Level
from app.core.listing import found


@dataclass(frozen=True, slots=True)
class Scale:
    """The level's scale: marks and averages out of `max_mark`, a pass at half of it."""

    max_mark: Decimal
    pass_mark: Decimal


async def scale_of(session: AsyncSession, level_code: str) -> Scale:
    level = found(await session.get(Level, level_code))
    return Scale(Decimal(level.max_mark), Decimal(level.max_mark) / 2)
