"""The units of the tree: the ministry, an academy, a directorate or a school. A caller's own
unit, a unit found by id inside their part of the tree (404 outside it), the units one level
down, and a unit as a condition on the `schools` row, so that every figure over a unit is an
indexed equality whatever the number of schools."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, false, literal, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.core.listing import found
from app.core.roles import Level as PrincipalLevel
from app.core.security.principal import Principal
from app.errors import NotFound
from app.organisation.models import Academy, Province, School
from app.organisation.schemas import UnitLevel, UnitOut

MINISTRY = UnitOut(
    level=UnitLevel.CENTRAL,
    id=None,
    code=None,
    name_fr="Ministère de l'Éducation nationale",
    name_ar="وزارة التربية الوطنية",
)
_CHILD = {
    UnitLevel.CENTRAL: UnitLevel.ACADEMY,
    UnitLevel.ACADEMY: UnitLevel.PROVINCE,
    UnitLevel.PROVINCE: UnitLevel.SCHOOL,
}


def in_unit(unit: UnitOut) -> ColumnElement[bool]:
    """The unit as a condition on `schools`: an indexed equality (nothing for the ministry)."""
    match unit.level:
        case UnitLevel.ACADEMY:
            return School.academy_id == unit.id
        case UnitLevel.PROVINCE:
            return School.province_id == unit.id
        case UnitLevel.SCHOOL:
            return School.id == unit.id
        case _:
            return true()


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
    row = found((await session.execute(union_all(academies, provinces, schools))).first())
    return UnitOut(
        level=UnitLevel(row.level),
        id=row.id,
        code=row.code,
        name_fr=row.name_fr,
        name_ar=row.name_ar,
    )


async def units_below(session: AsyncSession, unit: UnitOut) -> list[UnitOut]:
    """The units one level down (academies, directorates or schools), by code."""
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
