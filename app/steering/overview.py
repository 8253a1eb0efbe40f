"""Steering figures for a directorate, an academy or the ministry, summed in SQL from the
per-school summaries (`app.steering.rollup`), never from marks or roll calls.

Every figure is one grouped statement over the summary rows of a unit's schools, so a request
costs the same number of statements for 3 schools or 12,000, each reading a few rows per
school. The unit is a filter on the `schools` row (an indexed equality on `academy_id` /
`province_id`, see `app.organisation.units`).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.errors import invalid
from app.organisation.schemas import UnitOut
from app.organisation.units import child_key, in_unit, units_below
from app.steering import figures, rollup
from app.steering.figures import Period
from app.steering.modules import module_figures
from app.steering.schemas import UnitFigures, UnitList, UnitSummary

DEFAULT_DAYS = 30


def period(start: date | None, end: date | None) -> Period:
    """The attendance period: by default the 30 days up to today (school-local), inclusive."""
    end = end or school_today()
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise invalid("query.from", "must not be after `to`")
    return Period(start, end)


# ---- the answers ----------------------------------------------------------------------------


async def unit_figures(session: AsyncSession, unit: UnitOut, when: Period) -> UnitFigures:
    """Every figure of one unit (the caller's own, or one beneath it), from its schools'
    summaries."""
    whole = None  # no grouping: one row for the whole unit
    counts = (await rollup.school_counts(session, unit, whole))[whole]
    late = (await rollup.late_tests(session, unit, whole)).get(whole) or 0
    attendance = await rollup.attendance(session, unit, whole, when)
    as_of = (await rollup.as_of(session, unit, whole)).get(whole)
    return UnitFigures(
        unit=unit,
        as_of=as_of or await rollup.now(session),
        schools=(await figures.count_schools(session, in_unit(unit), whole)).get(whole, 0),
        classes=counts.classes,
        pupils=rollup.pupils_of(counts),
        teachers=rollup.teachers_of(counts),
        attendance=attendance[whole],
        completion=rollup.completion_of(counts, late),
        completion_by_school=await rollup.completion_by_school(session, unit),
        averages=await rollup.averages(session, unit),
        pending_justifications=counts.pending_justifications,
        pending_transfers=counts.pending_transfers,
        modules=await module_figures(session, unit),
    )


async def unit_list(session: AsyncSession, unit: UnitOut, when: Period) -> UnitList:
    """The units one level down, each with its key figures, from their schools' summaries."""
    children = await units_below(session, unit)
    key = child_key(unit)
    schools = await figures.count_schools(session, in_unit(unit), key)
    counts = await rollup.school_counts(session, unit, key)
    late = await rollup.late_tests(session, unit, key)
    attendance = await rollup.attendance(session, unit, key, when)
    as_of = await rollup.as_of(session, unit, key)
    now = await rollup.now(session)
    items = []
    for child in children:
        row = counts.get(child.id, rollup.NO_COUNTS)
        items.append(
            UnitSummary(
                unit=child,
                as_of=as_of.get(child.id, now),
                schools=schools.get(child.id, 0),
                classes=row.classes,
                pupils=row.pupils,
                teachers=row.teachers,
                attendance_rate=attendance[child.id].rate if child.id in attendance else None,
                completion=rollup.completion_of(row, late.get(child.id) or 0),
                pending_justifications=row.pending_justifications,
                pending_transfers=row.pending_transfers,
            )
        )
    return UnitList(unit=unit, from_date=when.start, to_date=when.end, items=items)
