"""Schools, always read through the caller's scope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.core.listing import found_row, page_of, where_given
from app.core.pagination import PageRequest
from app.core.schemas import Page, UnitRef
from app.core.security.principal import Principal
from app.organisation.models import Academy, Area, Cycle, Province, School, Sector
from app.organisation.schemas import SchoolOut
from app.organisation.scopes import school_scope


@dataclass(frozen=True, slots=True)
class SchoolFilters:
    """Optional filters of the school list, applied inside the caller's scope."""

    province_id: uuid.UUID | None = None
    academy_id: uuid.UUID | None = None
    cycle: Cycle | None = None
    sector: Sector | None = None
    area: Area | None = None


_province = aliased(Province, name="province")
_academy = aliased(Academy, name="academy")


def _readable_schools(principal: Principal) -> Select[School, Province, Academy]:
    """Schools the principal may see, with their directorate and academy, in one statement."""
    return (
        select(School, _province, _academy)
        .join(_province, _province.id == School.province_id)
        .join(_academy, _academy.id == School.academy_id)
        .where(
            school_scope(
                principal,
                School.id,
                province_id=School.province_id,
                academy_id=School.academy_id,
            )
        )
    )


async def list_schools(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    filters: SchoolFilters,
) -> Page[SchoolOut]:
    """A page of the schools in scope, by code, with the caller's filters inside the scope."""
    statement = where_given(
        _readable_schools(principal),
        {
            School.province_id: filters.province_id,
            School.academy_id: filters.academy_id,
            School.sector: filters.sector,
            School.area: filters.area,
        },
    )
    if filters.cycle is not None:
        statement = statement.where(School.cycles.contains([filters.cycle.value]))  # GIN @>
    return await page_of(session, statement, (School.code,), page, lambda row: _school_out(*row))


async def get_school(
    session: AsyncSession, principal: Principal, school_id: uuid.UUID
) -> SchoolOut:
    """One school; outside the caller's scope it does not exist."""
    school, province, academy = await found_row(
        session, _readable_schools(principal).where(School.id == school_id)
    )
    return _school_out(school, province, academy)


def _school_out(school: School, province: Province, academy: Academy) -> SchoolOut:
    return SchoolOut.of(
        school,
        cycles=[Cycle(c) for c in school.cycles],
        province=UnitRef.model_validate(province),
        academy=UnitRef.model_validate(academy),
    )
