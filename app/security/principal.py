"""Who is calling and at what scope, and the SQL that limits rows to that scope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import InstrumentedAttribute

from app.models.enums import ROLE_LEVEL, STAFF_ROLES, Level, Role, StaffTitle
from app.models.organisation import School


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
