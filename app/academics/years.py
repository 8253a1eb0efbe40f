"""School years as the ministry sets them: planned with their semesters, holidays and exam
periods, corrected until they start, started (the current year moves), closed after their end
(the database then freezes their marks and roll calls: `school_year_is_closed`). An academy
shifts holidays and exam periods for its region; schools read their academy's calendar.

Every write here lands on `school_years` or `semesters`, whose triggers tell each process to
drop its reference cache (`academics/reference.py`) at the commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import ExamPeriod, Holiday, SchoolYear, Semester
from app.academics.schemas import (
    PeriodIn,
    PeriodOut,
    RegionalCalendarIn,
    RegionalPeriodIn,
    SchoolYearCalendarIn,
    SchoolYearIn,
    SchoolYearOut,
    SemesterOut,
    YearStatus,
)
from app.core.listing import found
from app.core.security.principal import Principal
from app.errors import InvalidInput, ProblemError, field_error
from app.organisation.models import School

PERIODS: dict[str, type[Holiday] | type[ExamPeriod]] = {
    "holidays": Holiday,
    "exam_periods": ExamPeriod,
}


def year_status(year: SchoolYear) -> YearStatus:
    if year.closed_at is not None:
        return YearStatus.CLOSED
    if year.is_current:
        return YearStatus.CURRENT
    return YearStatus.PLANNED if year.started_at is None else YearStatus.PAST


def _refused(key: str, kind: str) -> ProblemError:
    return ProblemError(409, key, kind=kind)


# ---- checking a calendar ----------------------------------------------------------------------


def _calendar_errors(year: int, calendar: SchoolYearCalendarIn) -> list[dict[str, str]]:
    """What is wrong with a calendar: semesters in order, periods inside the year."""
    first, second = calendar.semesters
    errors = []
    if not first.starts_on < first.ends_on < second.starts_on < second.ends_on:
        errors.append(field_error("body.semesters", "semesters must follow each other", "order"))
    if first.starts_on.year != year:
        errors.append(
            field_error("body.semesters.0.starts_on", f"the year {year} starts in {year}", "year")
        )
    errors += _period_errors(calendar, first.starts_on, second.ends_on)
    return errors


def _period_errors(
    calendar: SchoolYearCalendarIn | RegionalCalendarIn, first_day: date, last_day: date
) -> list[dict[str, str]]:
    """Each holiday and exam period in order and inside the year's bounds."""
    return [
        field_error(f"body.{name}.{index}", "must lie inside the school year, in order", "bounds")
        for name in PERIODS
        for index, period in enumerate(getattr(calendar, name))
        if not first_day <= period.starts_on <= period.ends_on <= last_day
    ]


def _check(errors: list[dict[str, str]]) -> None:
    if errors:
        raise InvalidInput(errors)


# ---- the ministry's writes ----------------------------------------------------------------------


async def plan_school_year(session: AsyncSession, new: SchoolYearIn) -> SchoolYear:
    """Plan a year with its dates (the demo and the tests open their years through it too)."""
    _check(_calendar_errors(new.year, new))
    if await session.get(SchoolYear, new.year) is not None:
        raise _refused("years.exists", "school-year-exists")
    school_year = SchoolYear(year=new.year, **_bounds(new))
    session.add(school_year)
    await session.flush()
    await _write_calendar(session, new.year, new)
    return school_year


async def correct_school_year(
    session: AsyncSession, year: int, calendar: SchoolYearCalendarIn
) -> SchoolYear:
    """Replace a planned year's dates; once started its calendar stands."""
    school_year = await _locked_year(session, year)
    if school_year.started_at is not None:
        raise _refused("years.started", "school-year-started")
    _check(_calendar_errors(year, calendar))
    for model in PERIODS.values():
        # The academies' shifts of a removed period go with it (ON DELETE CASCADE).
        await session.execute(
            delete(model).where(model.school_year == year, model.academy_id.is_(None))
        )
    await session.execute(delete(Semester).where(Semester.school_year == year))
    for field, value in _bounds(calendar).items():
        setattr(school_year, field, value)
    await session.flush()
    await _write_calendar(session, year, calendar)
    return school_year


async def start_school_year(session: AsyncSession, year: int) -> SchoolYear:
    """Make a planned year the current one; the year before stops being current."""
    school_year = await _locked_year(session, year)
    if school_year.is_current:
        return school_year  # a replay
    if school_year.started_at is not None:
        raise _refused("years.started", "school-year-started")
    # One current year at a time (a unique index): the old one steps down first.
    await session.execute(update(SchoolYear).where(SchoolYear.is_current).values(is_current=False))
    school_year.is_current = True
    school_year.started_at = func.now()
    await session.flush()
    await session.refresh(school_year)
    return school_year


async def close_school_year(session: AsyncSession, year: int) -> SchoolYear:
    """Close a year after its end: its marks and roll calls are frozen from the commit on."""
    school_year = await _locked_year(session, year)
    if school_year.closed_at is not None:
        return school_year  # a replay
    if school_year.is_current or school_year.started_at is None:
        raise _refused("years.not_closable", "school-year-not-closable")
    if school_today() <= school_year.ends_on:
        raise _refused("years.not_ended", "school-year-not-ended")
    school_year.closed_at = func.now()
    await session.flush()
    await session.refresh(school_year)
    return school_year


def _bounds(calendar: SchoolYearCalendarIn) -> dict[str, date]:
    return {
        "starts_on": calendar.semesters[0].starts_on,
        "ends_on": calendar.semesters[1].ends_on,
    }


async def _write_calendar(session: AsyncSession, year: int, calendar: SchoolYearCalendarIn) -> None:
    session.add_all(
        Semester(school_year=year, number=number, starts_on=s.starts_on, ends_on=s.ends_on)
        for number, s in enumerate(calendar.semesters, start=1)
    )
    _add_periods(session, year, None, calendar.holidays, calendar.exam_periods)
    await session.flush()


def _add_periods(
    session: AsyncSession,
    year: int,
    academy_id: uuid.UUID | None,
    holidays: Sequence[PeriodIn],
    exam_periods: Sequence[PeriodIn],
) -> None:
    for model, periods in ((Holiday, holidays), (ExamPeriod, exam_periods)):
        session.add_all(
            model(school_year=year, academy_id=academy_id, **period.model_dump())
            for period in periods
        )


async def _locked_year(session: AsyncSession, year: int) -> SchoolYear:
    """The year, locked until the commit so two writes of it take turns."""
    return found(
        await session.scalar(select(SchoolYear).where(SchoolYear.year == year).with_for_update())
    )


# ---- an academy's shifts ----------------------------------------------------------------------


async def set_regional_calendar(
    session: AsyncSession, academy_id: uuid.UUID, year: int, calendar: RegionalCalendarIn
) -> None:
    """The academy's holidays and exam periods for a year, in place of those it set before;
    each inside the ministry's year, and replacing only one of the ministry's own periods."""
    school_year = await _locked_year(session, year)
    if school_year.closed_at is not None:
        raise _refused("years.closed", "school-year-closed")
    errors = _period_errors(calendar, school_year.starts_on, school_year.ends_on)
    for name, model in PERIODS.items():
        errors += await _replacement_errors(session, year, name, model, getattr(calendar, name))
    _check(errors)
    for model in PERIODS.values():
        await session.execute(
            delete(model).where(model.school_year == year, model.academy_id == academy_id)
        )
    _add_periods(session, year, academy_id, calendar.holidays, calendar.exam_periods)
    await session.flush()


async def _replacement_errors(
    session: AsyncSession,
    year: int,
    name: str,
    model: type[Holiday] | type[ExamPeriod],
    periods: Sequence[RegionalPeriodIn],
) -> list[dict[str, str]]:
    named = {p.replaces_id for p in periods if p.replaces_id is not None}
    national = set(
        await session.scalars(
            select(model.id).where(
                model.id.in_(named), model.school_year == year, model.academy_id.is_(None)
            )
        )
    )
    return [
        field_error(f"body.{name}.{index}.replaces_id", "not a period of the ministry's", "unknown")
        for index, period in enumerate(periods)
        if period.replaces_id is not None and period.replaces_id not in national
    ]


# ---- reading a calendar -----------------------------------------------------------------------


async def list_school_years(session: AsyncSession) -> list[SchoolYearOut]:
    """Every year, newest first, with the ministry's calendar."""
    years = await session.scalars(select(SchoolYear).order_by(SchoolYear.year.desc()))
    return [await _calendar_out(session, y, None) for y in years]


async def school_year_calendar(
    session: AsyncSession, year: int | None, academy_id: uuid.UUID | None
) -> SchoolYearOut:
    """A year (the current one when None) as an academy's region follows it: the ministry's
    periods, those the academy replaced taken out, and the academy's own."""
    condition = SchoolYear.is_current if year is None else SchoolYear.year == year
    school_year = await session.scalar(select(SchoolYear).where(condition))
    if school_year is None:
        if year is None:
            raise ProblemError(409, "error.no_current_year", kind="no-current-year")
        raise ProblemError(404, "error.not_found", kind="not-found")
    return await _calendar_out(session, school_year, academy_id)


async def school_calendar(
    session: AsyncSession, principal: Principal, year: int | None
) -> SchoolYearOut:
    """A year as the caller's school follows it: its academy's calendar."""
    academy_id = await session.scalar(
        select(School.academy_id).where(School.id == principal.school_id)
    )
    return await school_year_calendar(session, year, academy_id)


async def _calendar_out(
    session: AsyncSession, school_year: SchoolYear, academy_id: uuid.UUID | None
) -> SchoolYearOut:
    semesters = await session.scalars(
        select(Semester).where(Semester.school_year == school_year.year).order_by(Semester.number)
    )
    periods = {
        name: await _periods(session, model, school_year.year, academy_id)
        for name, model in PERIODS.items()
    }
    return SchoolYearOut.of(
        school_year,
        status=year_status(school_year),
        semesters=[SemesterOut.of(s) for s in semesters],
        **periods,
    )


async def _periods(
    session: AsyncSession,
    model: type[Holiday] | type[ExamPeriod],
    year: int,
    academy_id: uuid.UUID | None,
) -> list[PeriodOut]:
    replaced = select(model.replaces_id).where(
        model.school_year == year,
        model.academy_id == academy_id,
        model.replaces_id.is_not(None),
    )
    rows = await session.scalars(
        select(model)
        .where(
            model.school_year == year,
            (model.academy_id.is_(None) & model.id.not_in(replaced))
            | (model.academy_id == academy_id),
        )
        .order_by(model.starts_on, model.name_fr)
    )
    return [PeriodOut.of(row) for row in rows]
