"""Steering figures for a directorate, an academy or the ministry, aggregated in SQL.

Every figure is one grouped statement over the schools of a unit, so a request costs the same
number of statements for 3 schools or 12,000. The unit is a filter on the `schools` row (an
indexed equality on `academy_id` / `province_id`, see `app.organisation.units`); tenant tables
join their school to it.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.assessment.completion import completion_of, sum_completion
from app.errors import invalid
from app.organisation.models import School
from app.organisation.schemas import UnitOut
from app.organisation.units import child_key, units_below
from app.steering import figures
from app.steering.figures import Period
from app.steering.modules import module_figures
from app.steering.schemas import SchoolCompletion, UnitFigures, UnitList, UnitSummary

DEFAULT_DAYS = 30
# The per-pupil averages group ~150,000 (pupil, subject) rows for 50,000 pupils: with
# PostgreSQL's default 4 MB they spill to disk (0.9 s on the bench), with 64 MB they hash in
# memory (0.5 s). SET LOCAL: it ends with the request's transaction.
_ANALYTICS_WORK_MEM = "SET LOCAL work_mem = '64MB'"


def period(start: date | None, end: date | None) -> Period:
    """The attendance period: by default the 30 days up to today (school-local), inclusive."""
    end = end or school_today()
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise invalid("query.from", "must not be after `to`")
    return Period(start, end)


# ---- the answers ----------------------------------------------------------------------------


async def unit_figures(session: AsyncSession, unit: UnitOut, when: Period) -> UnitFigures:
    """Every figure of one unit (the caller's own, or one beneath it)."""
    await session.execute(text(_ANALYTICS_WORK_MEM))
    whole = None  # no grouping: one row for the whole unit
    schools = await _completion_by_school(session, unit)
    attendance = await figures.attendance(session, unit, whole, when)
    pupils = await figures.pupils(session, unit, whole)
    teachers = await figures.teachers(session, unit, whole)
    pending = await figures.pending_justifications(session, unit, whole)
    transfers = await figures.pending_transfers(session, unit, whole)
    return UnitFigures(
        unit=unit,
        schools=(await figures.count_schools(session, unit, whole)).get(whole, 0),
        classes=(await figures.count_classes(session, unit, whole)).get(whole, 0),
        pupils=pupils.get(whole, figures.pupil_figures({})),
        teachers=teachers.get(whole, figures.no_teachers()),
        attendance=attendance.get(whole, figures.attendance_figures(0, 0, 0, 0, when)),
        completion=sum_completion([s.completion for s in schools]),
        completion_by_school=schools,
        averages=await figures.averages(session, unit),
        pending_justifications=pending.get(whole, 0),
        pending_transfers=transfers.get(whole, 0),
        modules=await module_figures(session, unit),
    )


async def _completion_by_school(session: AsyncSession, unit: UnitOut) -> list[SchoolCompletion]:
    rows = await figures.completion(session, unit, None, School.id, School.code, School.name_fr)
    return [
        SchoolCompletion(
            school_id=r.id, code=r.code, name_fr=r.name_fr, completion=completion_of(r)
        )
        for r in sorted(rows, key=lambda r: r.code)
    ]


async def unit_list(session: AsyncSession, unit: UnitOut, when: Period) -> UnitList:
    """The units one level down, each with its key figures."""
    await session.execute(text(_ANALYTICS_WORK_MEM))
    children = await units_below(session, unit)
    key = child_key(unit)
    schools = await figures.count_schools(session, unit, key)
    classes = await figures.count_classes(session, unit, key)
    pupils = await figures.pupils(session, unit, key)
    teachers = await figures.teachers(session, unit, key)
    attendance = await figures.attendance(session, unit, key, when)
    completion = {r.key: completion_of(r) for r in await figures.completion(session, unit, key)}
    pending = await figures.pending_justifications(session, unit, key)
    transfers = await figures.pending_transfers(session, unit, key)
    items = [
        UnitSummary(
            unit=child,
            schools=schools.get(child.id, 0),
            classes=classes.get(child.id, 0),
            pupils=pupils[child.id].total if child.id in pupils else 0,
            teachers=teachers[child.id].total if child.id in teachers else 0,
            attendance_rate=attendance[child.id].rate if child.id in attendance else None,
            completion=completion.get(child.id, sum_completion([])),
            pending_justifications=pending.get(child.id, 0),
            pending_transfers=transfers.get(child.id, 0),
        )
        for child in children
    ]
    return UnitList(unit=unit, from_date=when.start, to_date=when.end, items=items)
