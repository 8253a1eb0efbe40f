"""Steering's figures of the year's end: promotion, repetition and dropout rates summed from
the per-school counts (`council_summaries`), and the orientation wishes against the decisions
per stream. Each is one grouped statement over the unit's schools, an indexed equality."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Stream
from app.academics.schemas import StreamRef
from app.councils.models import CouncilSummary, Orientation, OrientationWish
from app.councils.schemas import (
    CouncilFigures,
    CouncilRates,
    OrientationFigures,
    StreamWishes,
    UnitCouncilRates,
)
from app.organisation.models import School
from app.organisation.schemas import UnitLevel, UnitOut
from app.organisation.units import child_key, in_unit, units_below

_COUNTS = ("decided", "promoted", "repeats", "redirected", "left")


async def council_figures(session: AsyncSession, unit: UnitOut, year: int) -> CouncilFigures:
    """The unit's rates and those of each unit one level down."""
    sums = [func.coalesce(func.sum(getattr(CouncilSummary, c)), 0).label(c) for c in _COUNTS]
    statement = (
        select(*sums)
        .select_from(CouncilSummary)
        .join(School, School.id == CouncilSummary.school_id)
        .where(CouncilSummary.school_year == year, in_unit(unit))
    )
    total = (await session.execute(statement)).one()
    below: list[UnitCouncilRates] = []
    if unit.level is not UnitLevel.SCHOOL:
        key = child_key(unit)
        rows = {
            r.key: r
            for r in await session.execute(statement.add_columns(key.label("key")).group_by(key))
        }
        below = [
            UnitCouncilRates(unit=child, rates=_rates(rows.get(child.id)))
            for child in await units_below(session, unit)
        ]
    return CouncilFigures(school_year=year, unit=unit, rates=_rates(total), units=below)


def _rates(row: Any) -> CouncilRates:
    counts = {c: getattr(row, c) if row is not None else 0 for c in _COUNTS}
    dropped = counts["redirected"] + counts["left"]

    def rate(part: int) -> Decimal | None:
        if not counts["decided"]:
            return None
        return (Decimal(100) * part / counts["decided"]).quantize(Decimal("0.1"))

    return CouncilRates(
        decided=counts["decided"],
        promoted=counts["promoted"],
        repeats=counts["repeats"],
        dropped_out=dropped,
        promotion_rate=rate(counts["promoted"]),
        repetition_rate=rate(counts["repeats"]),
        dropout_rate=rate(dropped),
    )


async def orientation_figures(
    session: AsyncSession, unit: UnitOut, year: int
) -> OrientationFigures:
    """Per stream: the pupils who wished it first, at any rank, and those oriented to it."""
    wished = (
        select(
            OrientationWish.stream_id,
            func.count().filter(OrientationWish.rank == 1).label("first"),
            func.count().label("any"),
        )
        .join(School, School.id == OrientationWish.school_id)
        .where(OrientationWish.school_year == year, in_unit(unit))
        .group_by(OrientationWish.stream_id)
    )
    decided = (
        select(Orientation.stream_id, func.count().label("n"))
        .join(School, School.id == Orientation.school_id)
        .where(Orientation.school_year == year, in_unit(unit))
        .group_by(Orientation.stream_id)
    )
    wishes = {r.stream_id: r for r in await session.execute(wished)}
    decisions = dict((await session.execute(decided)).all())
    streams = (
        await session.scalars(
            select(Stream)
            .where(Stream.id.in_(wishes.keys() | decisions.keys()))
            .order_by(Stream.level_code, Stream.code)
        )
    ).all()
    return OrientationFigures(
        school_year=year,
        unit=unit,
        streams=[
            StreamWishes(
                stream=StreamRef.model_validate(s),
                first_wishes=wishes[s.id].first if s.id in wishes else 0,
                wishes=wishes[s.id].any if s.id in wishes else 0,
                decided=decisions.get(s.id, 0),
            )
            for s in streams
        ],
    )
