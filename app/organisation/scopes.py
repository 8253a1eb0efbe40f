"""The WHERE clause that keeps rows of the schools in the caller's part of the tree."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import InstrumentedAttribute

from app.core.roles import Level
from app.core.security.principal import Principal
from app.organisation.models import School


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
