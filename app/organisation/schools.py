"""Schools, always read through the caller's scope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.core.listing import found, found_row, page_of, where_given
from app.core.pagination import PageRequest
from app.core.schemas import Page, UnitRef
from app.core.security.principal import Principal
from app.errors import Conflict, invalid
from app.organisation.models import Academy, Area, Cycle, Province, School, Sector
from app.organisation.schemas import SchoolIn, SchoolOut, SchoolPatch
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


# ---- opening, correcting and closing schools (directorates and academies) ---------------------


async def open_school(session: AsyncSession, principal: Principal, new: SchoolIn) -> SchoolOut:
    """A new school in one of the caller's directorates (their own, for a directorate)."""
    province = await session.scalar(
        select(Province).where(
            Province.id == new.province_id,
            school_scope(
                principal, Province.id, province_id=Province.id, academy_id=Province.academy_id
            ),
        )
    )
    if province is None:
        raise invalid("body.province_id", "not a directorate of yours", "unknown_province")
    await _code_free(session, new.code)
    school = School(
        **new.model_dump(exclude={"cycles"}),
        cycles=_cycles(new.cycles),
        academy_id=province.academy_id,
    )
    session.add(school)
    await session.flush()
    return await get_school(session, principal, school.id)


async def correct_school(
    session: AsyncSession, principal: Principal, school_id: uuid.UUID, patch: SchoolPatch
) -> SchoolOut:
    """Correct a school of the caller's part of the tree (404 for any other)."""
    school = await _school_in_scope(session, principal, school_id)
    if patch.code is not None and patch.code != school.code:
        await _code_free(session, patch.code)
    changes = patch.changes()
    if "cycles" in changes:
        changes["cycles"] = _cycles(patch.cycles or [])
    for name, value in changes.items():
        setattr(school, name, value)
    await session.flush()
    return await get_school(session, principal, school_id)


async def close_school(
    session: AsyncSession, principal: Principal, school_id: uuid.UUID
) -> SchoolOut:
    """Close a school: its history stays, it takes no new enrolment (the database refuses)."""
    school = await _school_in_scope(session, principal, school_id)
    school.is_active = False
    await session.flush()
    return await get_school(session, principal, school_id)


async def _school_in_scope(
    session: AsyncSession, principal: Principal, school_id: uuid.UUID
) -> School:
    return found(
        await session.scalar(
            select(School)
            .where(
                School.id == school_id,
                school_scope(
                    principal,
                    School.id,
                    province_id=School.province_id,
                    academy_id=School.academy_id,
                ),
            )
            .with_for_update()
        )
    )


async def _code_free(session: AsyncSession, code: str) -> None:
    if await session.scalar(select(School.id).where(School.code == code)) is not None:
        raise Conflict("schools.code_taken")


def _cycles(cycles: list[Cycle]) -> list[str]:
    """Each cycle once, in the order of the school system."""
    return [c.value for c in Cycle if c in cycles]
