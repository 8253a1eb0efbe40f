"""Steering figures for a directorate, an academy or the ministry, aggregated in SQL.

Every figure is one grouped statement over the schools of a unit, so a request costs the same
number of statements for 3 schools or 12,000. The unit is a filter on the `schools` row (an
indexed equality on `academy_id` / `province_id`); tenant tables join their school to it. A
unit outside the caller's part of the tree does not exist for them (404).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    false,
    literal,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.academics.calendar import school_today
from app.assessment.completion import completion_of, sum_completion
from app.core.roles import Level as PrincipalLevel
from app.core.security.principal import Principal
from app.errors import NotFound, invalid
from app.organisation.models import Academy, Province, School
from app.organisation.schemas import UnitLevel, UnitOut
from app.steering import figures
from app.steering.figures import Period
from app.steering.modules import module_figures
from app.steering.schemas import SchoolCompletion, UnitFigures, UnitList, UnitSummary

MINISTRY = UnitOut(
    level=UnitLevel.CENTRAL,
    id=None,
    code=None,
    name_fr="Ministère de l'Éducation nationale",
    name_ar="وزارة التربية الوطنية",
)
DEFAULT_DAYS = 30
# The per-pupil averages group ~150,000 (pupil, subject) rows for 50,000 pupils: with
# PostgreSQL's default 4 MB they spill to disk (0.9 s on the bench), with 64 MB they hash in
# memory (0.5 s). SET LOCAL: it ends with the request's transaction.
_ANALYTICS_WORK_MEM = "SET LOCAL work_mem = '64MB'"
_CHILD = {
    UnitLevel.CENTRAL: UnitLevel.ACADEMY,
    UnitLevel.ACADEMY: UnitLevel.PROVINCE,
    UnitLevel.PROVINCE: UnitLevel.SCHOOL,
}


def period(start: date | None, end: date | None) -> Period:
    """The attendance period: by default the 30 days up to today (school-local), inclusive."""
    end = end or school_today()
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise invalid("query.from", "must not be after `to`")
    return Period(start, end)


# ---- units ----------------------------------------------------------------------------------


def _within(
    principal: Principal,
    academy_id: InstrumentedAttribute[uuid.UUID],
    province_id: InstrumentedAttribute[uuid.UUID] | None,
) -> ColumnElement[bool]:
    """Rows of the caller's part of the tree (the caller's own unit included)."""
    match principal.level:
        case PrincipalLevel.CENTRAL:
            return true()
        case PrincipalLevel.ACADEMY:
            return academy_id == principal.academy_id
        case PrincipalLevel.PROVINCE if province_id is not None:
            return province_id == principal.province_id
        case _:
            return false()


async def own_unit(session: AsyncSession, principal: Principal) -> UnitOut:
    """The caller's unit: the ministry, their academy or their directorate."""
    if principal.level is PrincipalLevel.CENTRAL:
        return MINISTRY
    unit_id = principal.province_id if principal.level is PrincipalLevel.PROVINCE else None
    unit_id = unit_id or principal.academy_id
    if unit_id is None:  # pragma: no cover - the guard lets only steering levels in
        raise NotFound()
    return await find_unit(session, principal, unit_id)


async def find_unit(session: AsyncSession, principal: Principal, unit_id: uuid.UUID) -> UnitOut:
    """An academy, directorate or school by id, if it is in the caller's part of the tree."""
    columns = ("id", "code", "name_fr", "name_ar")
    academies = select(
        literal(UnitLevel.ACADEMY.value).label("level"), *(getattr(Academy, c) for c in columns)
    ).where(Academy.id == unit_id, _within(principal, Academy.id, None))
    provinces = select(
        literal(UnitLevel.PROVINCE.value), *(getattr(Province, c) for c in columns)
    ).where(Province.id == unit_id, _within(principal, Province.academy_id, Province.id))
    schools = select(literal(UnitLevel.SCHOOL.value), *(getattr(School, c) for c in columns)).where(
        School.id == unit_id, _within(principal, School.academy_id, School.province_id)
    )
    row = (await session.execute(union_all(academies, provinces, schools))).first()
    if row is None:
        raise NotFound()
    return UnitOut(
        level=UnitLevel(row.level),
        id=row.id,
        code=row.code,
        name_fr=row.name_fr,
        name_ar=row.name_ar,
    )


async def units_below(session: AsyncSession, unit: UnitOut) -> list[UnitOut]:
    table: Any = {
        UnitLevel.CENTRAL: Academy,
        UnitLevel.ACADEMY: Province,
        UnitLevel.PROVINCE: School,
    }[unit.level]
    statement = select(table.id, table.code, table.name_fr, table.name_ar).order_by(table.code)
    if unit.level is UnitLevel.ACADEMY:
        statement = statement.where(Province.academy_id == unit.id)
    elif unit.level is UnitLevel.PROVINCE:
        statement = statement.where(School.province_id == unit.id)
    level = _CHILD[unit.level]
    return [
        UnitOut(level=level, id=r.id, code=r.code, name_fr=r.name_fr, name_ar=r.name_ar)
        for r in await session.execute(statement)
    ]


def child_key(unit: UnitOut) -> Any:
    """The `schools` column that names the unit one level down."""
    return {
        UnitLevel.CENTRAL: School.academy_id,
        UnitLevel.ACADEMY: School.province_id,
        UnitLevel.PROVINCE: School.id,
    }[unit.level]


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
