"""Records owned by a unit of the tree (a school, a directorate, an academy or the ministry): the
owner's columns, the scopes that read them, and the fetch of a record for its owner's change.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar, cast

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKeyConstraint,
    and_,
    false,
    or_,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, Mapped, mapped_column

from app.core.db.base import checked
from app.core.listing import found
from app.core.roles import Level
from app.core.security.principal import Principal

# ---- records owned by a unit (see `OwnedByUnit` above) ----------------------------------------

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


# Which place columns each owner level fills (the ones above it too).
_PLACE_BY_LEVEL = """
(owner_level = 'school'
    AND school_id IS NOT NULL AND province_id IS NOT NULL AND academy_id IS NOT NULL)
OR (owner_level = 'province'
    AND school_id IS NULL AND province_id IS NOT NULL AND academy_id IS NOT NULL)
OR (owner_level = 'academy'
    AND school_id IS NULL AND province_id IS NULL AND academy_id IS NOT NULL)
OR (owner_level = 'central'
    AND school_id IS NULL AND province_id IS NULL AND academy_id IS NULL)
"""


class OwnedByUnit:
    """`owner_level` and the owner's place: school, directorate and academy ids (null above)."""

    owner_level: Mapped[Level] = mapped_column(checked(Level, "owner_level"))
    school_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    province_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    academy_id: Mapped[uuid.UUID | None] = mapped_column(index=True)


def place_foreign_keys() -> tuple[ForeignKeyConstraint, ForeignKeyConstraint]:
    """A denormalised place (`school_id`, `province_id`, `academy_id`) that always matches
    the tree: the school's directorate and academy, the directorate's academy. Accounts and
    unit-owned records both carry one."""
    return (
        ForeignKeyConstraint(
            ["school_id", "province_id", "academy_id"],
            ["schools.id", "schools.province_id", "schools.academy_id"],
            onupdate="CASCADE",
        ),
        ForeignKeyConstraint(
            ["province_id", "academy_id"],
            ["provinces.id", "provinces.academy_id"],
            onupdate="CASCADE",
        ),
    )


def owner_unit_constraints() -> tuple[Any, ...]:
    """The `__table_args__` entries of an `OwnedByUnit` table: the place is consistent with
    the tree and with the level."""
    return (
        *place_foreign_keys(),
        ForeignKeyConstraint(["academy_id"], ["academies.id"]),
        CheckConstraint(_PLACE_BY_LEVEL, name="place_matches_owner_level"),
    )


Owned = TypeVar("Owned", bound=OwnedByUnit)


def owner_place(principal: Principal) -> dict[str, Any]:
    """The caller's unit as the owner columns of a new record (null below its level)."""
    level = principal.level
    return {
        "owner_level": level,
        "school_id": principal.school_id if level is Level.SCHOOL else None,
        "province_id": principal.province_id if level in (Level.SCHOOL, Level.PROVINCE) else None,
        "academy_id": principal.academy_id if level is not Level.CENTRAL else None,
    }


async def managed(
    session: AsyncSession, principal: Principal, model: type[Owned], *where: ColumnElement[bool]
) -> Owned:
    """The record my unit owns, locked for the change; 404 for any other, exactly like one
    that does not exist."""
    record = await session.scalar(
        select(model).where(owned_by(principal, model), *where).with_for_update()
    )
    return found(record)
