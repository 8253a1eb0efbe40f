"""The school calendar: the current year, today's date at school, ISO weeks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, ScalarSelect, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.academics.models import SchoolYear, Semester
from app.core.db.prepared import Prepared, ReadConnection
from app.errors import PROBLEM_MEDIA_TYPE, ProblemError, invalid
from app.settings import get_settings

# What a route that needs "this year" (`current_school_year`, `Reference.current_year`) adds
# to its contract: before the ministry opens a year it answers this 409.
NEEDS_CURRENT_YEAR: dict[int | str, dict[str, Any]] = {
    409: {
        "description": "`no-current-year`: the ministry has opened no school year yet.",
        "content": {PROBLEM_MEDIA_TYPE: {}},
    }
}


def current_year() -> ScalarSelect[int]:
    """The current school year as a sub-select, so scoped queries need no extra round trip."""
    return select(SchoolYear.year).where(SchoolYear.is_current).scalar_subquery()


_CURRENT_YEAR = Prepared(select(SchoolYear.year).where(SchoolYear.is_current))


async def current_school_year(db: ReadConnection) -> int:
    """The current year's number; a 409 until the ministry has opened one."""
    year: int | None = await _CURRENT_YEAR.fetchval(db)
    if year is None:
        raise ProblemError(409, "error.no_current_year", kind="no-current-year")
    return year


@lru_cache
def _school_zone() -> ZoneInfo:
    return ZoneInfo(get_settings().school_timezone)


def school_today() -> date:
    """Today's date in Morocco (dates are school-local; timestamps are UTC)."""
    return datetime.now(UTC).astimezone(_school_zone()).date()


def week_days(iso_week: str | None) -> list[date]:
    """The seven dates of an ISO week such as `2026-W48` (this week when None)."""
    if iso_week is None:
        today = school_today()
        monday = today - timedelta(days=today.weekday())
    else:
        try:
            year, week = iso_week.split("-W")
            monday = date.fromisocalendar(int(year), int(week), 1)
        except ValueError:
            raise invalid("query.week", "expected an ISO week like 2026-W48") from None
    return [monday + timedelta(days=offset) for offset in range(7)]


def year_start(year: ColumnElement[int] | InstrumentedAttribute[int]) -> ScalarSelect[date]:
    """The first day of a row's school year, as the ministry set it, as a sub-select."""
    return select(SchoolYear.starts_on).where(SchoolYear.year == year).scalar_subquery()


async def semester_on(session: AsyncSession, year: int, day: date) -> int:
    """The semester of `year` under way on `day`: the last begun by then (the first before)."""
    begun = await session.scalar(
        select(func.max(Semester.number)).where(
            Semester.school_year == year, Semester.starts_on <= day
        )
    )
    return begun or 1
