"""Who is calling and at what scope, and the SQL that limits rows to that scope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute

from app.models.enums import ROLE_LEVEL, STAFF_ROLES, Level, Role, StaffTitle
from app.models.organisation import School
from app.models.units import OwnedByUnit


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller, read from the database on each request (not from the token),
    so a disabled account or a changed role takes effect at once."""

    user_id: uuid.UUID
    session_id: uuid.UUID
    role: Role
    title: StaffTitle | None
    school_id: uuid.UUID | None
    province_id: uuid.UUID | None
    academy_id: uuid.UUID | None

    @property
    def level(self) -> Level:
        return ROLE_LEVEL[self.role]

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


def school_scope(
    principal: Principal,
    school_id: InstrumentedAttribute[uuid.UUID] | ColumnElement[uuid.UUID],
    *,
    province_id: InstrumentedAttribute[uuid.UUID] | None = None,
    academy_id: InstrumentedAttribute[uuid.UUID] | None = None,
) -> ColumnElement[bool]:
    """The WHERE clause that keeps rows of the schools in the principal's part of the tree.

    Tables that carry `province_id` / `academy_id` (schools do) pass them, and the scope is an
    indexed equality; tenant tables pass only `school_id` and get an indexed sub-select.
    Callers with no place in the hierarchy (parents) match nothing.
    """
    match principal.level:
        case Level.CENTRAL:
            return true()
        case Level.ACADEMY:
            if academy_id is not None:
                return academy_id == principal.academy_id
            return school_id.in_(select(School.id).where(School.academy_id == principal.academy_id))
        case Level.PROVINCE:
            if province_id is not None:
                return province_id == principal.province_id
            return school_id.in_(
                select(School.id).where(School.province_id == principal.province_id)
            )
        case Level.SCHOOL:
            return school_id == principal.school_id
        case _:
            return false()


# ---- records owned by a unit (see `app.models.units`) ----------------------------------------

_DOWNWARD = (Level.CENTRAL, Level.ACADEMY, Level.PROVINCE, Level.SCHOOL)


def _place_column(table: type[OwnedByUnit], level: Level) -> InstrumentedAttribute[Any]:
    columns = {
        Level.ACADEMY: table.academy_id,
        Level.PROVINCE: table.province_id,
        Level.SCHOOL: table.school_id,
    }
    return cast(InstrumentedAttribute[Any], columns[level])


def _place_id(principal: Principal, level: Level) -> uuid.UUID | None:
    return {
        Level.ACADEMY: principal.academy_id,
        Level.PROVINCE: principal.province_id,
        Level.SCHOOL: principal.school_id,
    }.get(level)


def unit_within(table: type[OwnedByUnit], level: Level, unit_id: uuid.UUID | None) -> Any:
    """Rows owned by the unit (`level`, `unit_id`) or by a unit beneath it."""
    if level is Level.CENTRAL:
        return true()
    if level not in _DOWNWARD or unit_id is None:
        return false()
    return _place_column(table, level) == unit_id


def owned_within(principal: Principal, table: type[OwnedByUnit]) -> ColumnElement[bool]:
    """Rows owned by the caller's unit or below it: what a unit follows and steers."""
    level = principal.level
    result: ColumnElement[bool] = unit_within(table, level, _place_id(principal, level))
    return result


def owned_by(principal: Principal, table: type[OwnedByUnit]) -> ColumnElement[bool]:
    """Rows owned by the caller's own unit exactly: what the caller may manage."""
    if principal.level not in _DOWNWARD:
        return false()
    if principal.level is Level.CENTRAL:
        return table.owner_level == Level.CENTRAL
    return and_(
        table.owner_level == principal.level,
        _place_column(table, principal.level) == _place_id(principal, principal.level),
    )


def owned_above(principal: Principal, table: type[OwnedByUnit]) -> ColumnElement[bool]:
    """Rows owned by the caller's unit or one above it: offers that reach the caller (a
    teacher sees the trainings of their directorate, academy and the ministry)."""
    if principal.level not in _DOWNWARD:
        return false()
    levels = _DOWNWARD[: _DOWNWARD.index(principal.level) + 1]
    return or_(
        *(
            table.owner_level == Level.CENTRAL
            if level is Level.CENTRAL
            else and_(
                table.owner_level == level,
                _place_column(table, level) == _place_id(principal, level),
            )
            for level in levels
        )
    )


def owned_visible(principal: Principal, table: type[OwnedByUnit]) -> ColumnElement[bool]:
    """What a staff member may read: their own part of the tree and what reaches them."""
    return or_(owned_within(principal, table), owned_above(principal, table))
