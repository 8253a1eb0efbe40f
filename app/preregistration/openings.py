"""Which schools take pre-registrations, and for which year: a primary school opens and closes
its own for next year, and the public finds the open ones in their commune."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_school_year
from app.core.listing import page_of
from app.core.pagination import PageRequest
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.errors import ProblemError, invalid
from app.organisation.models import Cycle, School
from app.preregistration.models import RegistrationOpening
from app.preregistration.schemas import OpeningOut, SchoolTakingRegistrations


async def next_school_year(session: AsyncSession) -> int:
    """The year parents pre-register for: the one after the current year."""
    return await current_school_year(session) + 1


def taking_registrations(year: int) -> ColumnElement[bool]:
    """The school (joined on `preregistration_openings`) is an active primary school whose
    registrations for `year` are open."""
    return and_(
        School.is_active.is_(True),
        School.cycles.contains([Cycle.PRIMARY.value]),
        RegistrationOpening.school_id == School.id,
        RegistrationOpening.school_year == year,
        RegistrationOpening.is_open.is_(True),
    )


async def schools_in_commune(
    session: AsyncSession, commune: str, page: PageRequest
) -> Page[SchoolTakingRegistrations]:
    """The schools of a commune (its name in any case) that take registrations for next year."""
    name = commune.strip().lower()
    if not name:
        raise invalid("commune", "the commune's name")
    year = await next_school_year(session)
    statement = select(
        School.id, School.code, School.name_fr, School.name_ar, School.commune
    ).where(taking_registrations(year), func.lower(School.commune) == name)
    return await page_of(
        session,
        statement,
        [School.code],
        page,
        lambda row: SchoolTakingRegistrations.of(row, school_year=year),
    )


async def opening(session: AsyncSession, principal: Principal) -> OpeningOut:
    """Whether the caller's school takes registrations for next year."""
    year = await next_school_year(session)
    is_open = await session.scalar(
        select(RegistrationOpening.is_open).where(
            RegistrationOpening.school_id == principal.school_id,
            RegistrationOpening.school_year == year,
        )
    )
    return OpeningOut(school_year=year, is_open=bool(is_open))


async def set_opening(session: AsyncSession, principal: Principal, is_open: bool) -> OpeningOut:
    """Open or close the caller's school's registrations for next year (a primary school's)."""
    school_id: uuid.UUID | None = principal.school_id
    cycles = await session.scalar(select(School.cycles).where(School.id == school_id))
    if school_id is None or Cycle.PRIMARY.value not in (cycles or []):
        raise ProblemError(409, "preregistration.not_primary", kind="not-a-primary-school")
    year = await next_school_year(session)
    await session.execute(
        insert(RegistrationOpening)
        .values(school_id=school_id, school_year=year, is_open=is_open)
        .on_conflict_do_update(
            index_elements=["school_id", "school_year"],
            set_={"is_open": is_open, "updated_at": func.now()},
            where=RegistrationOpening.is_open.is_distinct_from(is_open),
        )
    )
    return OpeningOut(school_year=year, is_open=is_open)
