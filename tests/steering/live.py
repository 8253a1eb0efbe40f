"""The steering answers computed live over marks, roll calls and enrolments, as the service
did before it read per-school summaries: the reference the summaries are checked against."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.assessment.completion import completion_of, sum_completion
from app.organisation.models import School
from app.organisation.schemas import UnitOut
from app.organisation.units import child_key, in_unit, units_below
from app.steering import figures
from app.steering.figures import Period
from app.steering.modules import module_figures
from app.steering.schemas import SchoolCompletion, UnitFigures, UnitList, UnitSummary

_ANALYTICS_WORK_MEM = "SET LOCAL work_mem = '64MB'"


async def unit_figures(session: AsyncSession, unit: UnitOut, when: Period) -> UnitFigures:
    """Every figure of one unit, live."""
    await session.execute(text(_ANALYTICS_WORK_MEM))
    whole = None
    schools = in_unit(unit)
    by_school = await _completion_by_school(session, unit)
    attendance = await figures.attendance(session, schools, whole, when)
    pupils = await figures.pupils(session, schools, whole)
    teachers = await figures.teachers(session, schools, whole)
    pending = await figures.pending_justifications(session, schools, whole)
    transfers = await figures.pending_transfers(session, schools, whole)
    return UnitFigures(
        unit=unit,
        as_of=await _now(session),
        schools=(await figures.count_schools(session, schools, whole)).get(whole, 0),
        classes=(await figures.count_classes(session, schools, whole)).get(whole, 0),
        pupils=pupils.get(whole, figures.pupil_figures({})),
        teachers=teachers.get(whole, figures.no_teachers()),
        attendance=attendance.get(whole, figures.attendance_figures(0, 0, 0, 0, when)),
        completion=sum_completion([s.completion for s in by_school]),
        completion_by_school=by_school,
        averages=await figures.averages(session, schools),
        pending_justifications=pending.get(whole, 0),
        pending_transfers=transfers.get(whole, 0),
        modules=await module_figures(session, unit),
    )


async def _completion_by_school(session: AsyncSession, unit: UnitOut) -> list[SchoolCompletion]:
    rows = await figures.completion(
        session, in_unit(unit), None, School.id, School.code, School.name_fr
    )
    return [
        SchoolCompletion(
            school_id=r.id, code=r.code, name_fr=r.name_fr, completion=completion_of(r)
        )
        for r in sorted(rows, key=lambda r: r.code)
    ]


async def unit_list(session: AsyncSession, unit: UnitOut, when: Period) -> UnitList:
    """The units one level down with their key figures, live."""
    await session.execute(text(_ANALYTICS_WORK_MEM))
    children = await units_below(session, unit)
    key = child_key(unit)
    schools = in_unit(unit)
    counts = await figures.count_schools(session, schools, key)
    classes = await figures.count_classes(session, schools, key)
    pupils = await figures.pupils(session, schools, key)
    teachers = await figures.teachers(session, schools, key)
    attendance = await figures.attendance(session, schools, key, when)
    completion = {r.key: completion_of(r) for r in await figures.completion(session, schools, key)}
    pending = await figures.pending_justifications(session, schools, key)
    transfers = await figures.pending_transfers(session, schools, key)
    now = await _now(session)
    items = [
        UnitSummary(
            unit=child,
            as_of=now,
            schools=counts.get(child.id, 0),
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


async def _now(session: AsyncSession) -> datetime:
    return (await session.execute(select(func.now()))).scalar_one()
