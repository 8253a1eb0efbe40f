"""A unit's figures summed from its schools' summaries (`app.steering.models`): each one SQL
statement over school rows, grouped by a `schools` column (the units one level down) or by
nothing (the unit itself). Nothing here reads a mark, a roll call or an enrolment.

Two figures depend on the day they are read, and are summed from dated rows: attendance over
the period asked (one row per school and day), and late tests (draft tests by date, late when
dated before today's cutoff).
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Text, cast, func, select, true
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_year
from app.academics.models import Subject
from app.assessment.completion import late_cutoff
from app.assessment.schemas import Completion
from app.organisation.models import Cycle, Province, School
from app.organisation.schemas import UnitLevel, UnitOut
from app.organisation.units import in_unit
from app.steering.figures import Key, Period, attendance_figures, grouped, subject_average
from app.steering.models import (
    COMPLETION_COUNTS,
    HISTOGRAM_BINS,
    ProvinceSubjectAverage,
    SchoolAttendanceDay,
    SchoolDraftTests,
    SchoolSubjectAverage,
    SchoolSummary,
    SummaryChange,
)
from app.steering.schemas import (
    AttendanceFigures,
    ByCycle,
    ByGender,
    PupilFigures,
    SchoolCompletion,
    SubjectAverage,
    TeacherFigures,
)

_COUNTS = tuple(
    column.name
    for column in SchoolSummary.__table__.columns
    if column.name not in ("school_id", "school_year", "as_of")
)

# The counts of a unit without schools' rows.
NO_COUNTS = SimpleNamespace(**dict.fromkeys(_COUNTS, 0))


def _of_the_year(table: Any, unit: UnitOut) -> Any:
    """The unit's rows of this year, their school joined."""
    return (
        select()
        .select_from(table)
        .join(School, School.id == table.school_id)
        .where(table.school_year == current_year(), in_unit(unit))
    )


async def school_counts(session: AsyncSession, unit: UnitOut, key: Key) -> dict[Any, Any]:
    """Classes, pupils, teachers, pending requests and grade entry, summed by key."""
    sums = [func.coalesce(func.sum(getattr(SchoolSummary, c)), 0).label(c) for c in _COUNTS]
    statement = grouped(_of_the_year(SchoolSummary, unit).add_columns(*sums), key)
    return {r.key: r for r in await session.execute(statement)}


def pupils_of(row: Any) -> PupilFigures:
    return PupilFigures(
        total=row.pupils,
        by_gender=ByGender(male=row.pupils_male, female=row.pupils_female),
        by_cycle=ByCycle(**{c.value: getattr(row, f"pupils_{c.value}") for c in Cycle}),
    )


def teachers_of(row: Any) -> TeacherFigures:
    return TeacherFigures(
        total=row.teachers,
        by_cycle=ByCycle(**{c.value: getattr(row, f"teachers_{c.value}") for c in Cycle}),
    )


def completion_of(row: Any, late_tests: int) -> Completion:
    return Completion.of(row, late_tests=late_tests)


async def late_tests(session: AsyncSession, unit: UnitOut, key: Key) -> dict[Any, int]:
    """Draft tests dated before today's cutoff, by key."""
    late = SchoolDraftTests.test_date < late_cutoff()
    statement = _of_the_year(SchoolDraftTests, unit).add_columns(
        func.sum(SchoolDraftTests.tests).label("n")
    )
    return {r.key: r.n for r in await session.execute(grouped(statement.where(late), key))}


async def attendance(
    session: AsyncSession, unit: UnitOut, key: Key, when: Period
) -> dict[Any, AttendanceFigures]:
    """Roll-call marks of the period's days, by status, by key."""
    day = SchoolAttendanceDay
    counts = ("marks", "present", "late", "absent")
    statement = (
        select(*(func.coalesce(func.sum(getattr(day, c)), 0).label(c) for c in counts))
        .select_from(day)
        .join(School, School.id == day.school_id)
        .where(day.lesson_date.between(when.start, when.end), in_unit(unit))
    )
    return {
        r.key: attendance_figures(r.marks, r.present, r.late, r.absent, when)
        for r in await session.execute(grouped(statement, key))
    }


async def averages(session: AsyncSession, unit: UnitOut) -> list[SubjectAverage]:
    """Semester averages by level and subject, with their histogram: the directorates' sums
    (`ProvinceSubjectAverage`) for a directorate and above, the school's own rows for a
    school."""
    if unit.level is UnitLevel.SCHOOL:
        line: Any = SchoolSubjectAverage
        rows = _of_the_year(line, unit)
    else:
        line = ProvinceSubjectAverage
        rows = (
            select()
            .select_from(line)
            .join(Province, Province.id == line.province_id)
            .where(line.school_year == current_year(), _province_in(unit))
        )
    # Summed by the subject's id, and named after: a narrower key for the rows summed.
    groups = (line.semester, line.level_code, line.subject_id)
    sums = (
        rows.add_columns(
            *groups,
            func.sum(line.pupils).label("pupils"),
            func.sum(line.total).label("total"),
            *(func.sum(line.histogram[b + 1]).label(f"bin{b}") for b in range(HISTOGRAM_BINS)),
        )
        .group_by(*groups)
        .subquery("sums")
    )
    statement = (
        select(sums, Subject.code, Subject.name_fr)
        .join(Subject, Subject.id == sums.c.subject_id)
        .order_by(sums.c.semester, sums.c.level_code, Subject.code)
    )
    return [
        subject_average(
            r, r.pupils, r.total, [getattr(r, f"bin{b}") for b in range(HISTOGRAM_BINS)]
        )
        for r in await session.execute(statement)
    ]


def _province_in(unit: UnitOut) -> Any:
    """The unit (a directorate or above) as a condition on `provinces`."""
    match unit.level:
        case UnitLevel.ACADEMY:
            return Province.academy_id == unit.id
        case UnitLevel.PROVINCE:
            return Province.id == unit.id
        case _:
            return true()


async def completion_by_school(session: AsyncSession, unit: UnitOut) -> list[SchoolCompletion]:
    """Grade entry of each of the unit's schools that has tests this year, by code.

    The ministry's list has a line per school of the country: PostgreSQL writes it as one JSON
    array and it is validated in one call, rather than a row and two models per school."""
    drafts = SchoolDraftTests
    late = (
        select(drafts.school_id, func.sum(drafts.tests).label("late_tests"))
        .where(drafts.school_year == current_year(), drafts.test_date < late_cutoff())
        .group_by(drafts.school_id)
        .subquery("late")
    )
    counts = [(c, getattr(SchoolSummary, c)) for c in COMPLETION_COUNTS]
    completion = func.json_build_object(
        *(part for name, column in counts for part in (name, column)),
        "late_tests",
        func.coalesce(late.c.late_tests, 0),
    )
    line = func.json_build_object(
        "school_id",
        School.id,
        "code",
        School.code,
        "name_fr",
        School.name_fr,
        "completion",
        completion,
    )
    statement = (
        _of_the_year(SchoolSummary, unit)
        .add_columns(
            cast(func.json_agg(aggregate_order_by(line, School.code)), Text).label("lines")
        )
        .outerjoin(late, late.c.school_id == SchoolSummary.school_id)
        .where(SchoolSummary.tests > 0)
    )
    lines = (await session.execute(statement)).scalar_one()
    return _COMPLETIONS.validate_json(lines) if lines is not None else []


_COMPLETIONS = TypeAdapter(list[SchoolCompletion])


async def as_of(session: AsyncSession, unit: UnitOut, key: Key) -> dict[Any, datetime]:
    """By key, the time before which every change is counted: the oldest change still queued
    for one of the schools, or now when none is. A key missing is wholly current: `now`."""
    statement = (
        select(func.min(SummaryChange.queued_at).label("oldest"))
        .select_from(SummaryChange)
        .join(School, School.id == SummaryChange.school_id)
        .where(in_unit(unit))
    )
    return {
        r.key: r.oldest
        for r in await session.execute(grouped(statement, key))
        if r.oldest is not None
    }


async def now(session: AsyncSession) -> datetime:
    """The reading transaction's time: what is summed is current as of it."""
    return (await session.execute(select(func.now()))).scalar_one()
