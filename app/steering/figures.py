"""The definitions of the steering figures, computed from marks, roll calls and enrolments:
each one SQL statement over some schools, grouped by a `schools` column (`School.id` for the
per-school summaries, a unit one level down for the live figures) or by nothing.

The schools are a condition on the `schools` row (`schools`, or the schools whose
summaries are being refreshed); tenant tables join their school to it. The steering answers
read the summaries built from these (`app.steering.summaries`), never these directly.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, True_, and_, func, null, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_year
from app.academics.models import (
    Enrolment,
    Gender,
    Level,
    Pupil,
    SchoolClass,
    Subject,
    TeachingAssignment,
    Transfer,
    TransferStatus,
)
from app.accounts.models import User
from app.assessment.averages import round_mark
from app.assessment.completion import (
    SchoolFilter,
    completion_columns,
    late_cutoff,
    per_test_completion,
)
from app.assessment.models import ClassTest, Mark, TestStatus
from app.attendance.models import (
    AttendanceMark,
    AttendanceSheet,
    AttendanceStatus,
    Justification,
    JustificationStatus,
)
from app.core.roles import Role
from app.organisation.models import Cycle, School
from app.steering.models import HISTOGRAM_BINS
from app.steering.schemas import (
    AttendanceFigures,
    ByCycle,
    ByGender,
    PupilFigures,
    SubjectAverage,
    TeacherFigures,
)

_RATE = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date


# A condition on the `schools` row: `schools`, or the schools being summarised.
Schools = ColumnElement[bool]


def _tenant_filter(schools: Schools) -> SchoolFilter:
    if isinstance(schools, True_):
        return lambda _column: true()
    return lambda column: column.in_(select(School.id).where(schools))


# ---- figures, each one statement grouped by `key` (a schools column, or None: one group) ----

Key = Any


def grouped(statement: Any, key: Key) -> Any:
    if key is None:
        return statement.add_columns(null().label("key"))
    return statement.add_columns(key.label("key")).group_by(key)


async def count_schools(session: AsyncSession, schools: Schools, key: Key) -> dict[Any, int]:
    """Schools of the unit, by key."""
    statement = grouped(select(func.count().label("n")).where(schools), key)
    return {r.key: r.n for r in await session.execute(statement.select_from(School))}


async def count_classes(session: AsyncSession, schools: Schools, key: Key) -> dict[Any, int]:
    """Active classes of this year, by key."""
    statement = (
        select(func.count().label("n"))
        .select_from(SchoolClass)
        .join(School, School.id == SchoolClass.school_id)
        .where(SchoolClass.school_year == current_year(), SchoolClass.is_active, schools)
    )
    return {r.key: r.n for r in await session.execute(grouped(statement, key))}


async def pupils(session: AsyncSession, schools: Schools, key: Key) -> dict[Any, PupilFigures]:
    """Pupils in a class of this year (not left), by key, split by gender and cycle."""
    statement = (
        select(Level.cycle, Pupil.gender, func.count().label("n"))
        .select_from(Enrolment)
        .join(Pupil, Pupil.id == Enrolment.pupil_id)
        .join(SchoolClass, SchoolClass.id == Enrolment.class_id)
        .join(Level, Level.code == SchoolClass.level_code)
        .join(School, School.id == Enrolment.school_id)
        .where(Enrolment.school_year == current_year(), Enrolment.left_on.is_(None), schools)
        .group_by(Level.cycle, Pupil.gender)
    )
    counts: dict[Any, dict[tuple[str, str], int]] = defaultdict(dict)
    for r in await session.execute(grouped(statement, key)):
        counts[r.key][(Cycle(r.cycle).value, Gender(r.gender).value)] = r.n
    return {k: pupil_figures(v) for k, v in counts.items()}


def pupil_figures(counts: dict[tuple[str, str], int]) -> PupilFigures:
    """Totals by gender and cycle from counts by (cycle, gender)."""

    def total(cycle: Cycle | None = None, gender: Gender | None = None) -> int:
        return sum(
            n
            for (c, g), n in counts.items()
            if (cycle is None or c == cycle.value) and (gender is None or g == gender.value)
        )

    return PupilFigures(
        total=total(),
        by_gender=ByGender(male=total(gender=Gender.MALE), female=total(gender=Gender.FEMALE)),
        by_cycle=ByCycle(**{c.value: total(cycle=c) for c in Cycle}),
    )


async def teachers(session: AsyncSession, schools: Schools, key: Key) -> dict[Any, TeacherFigures]:
    """Active teacher accounts, and teachers assigned this year by cycle, by key."""
    accounts = (
        select(func.count().label("n"))
        .select_from(User)
        .join(School, School.id == User.school_id)
        .where(User.role == Role.TEACHER, User.is_active, schools)
    )
    totals = {r.key: r.n for r in await session.execute(grouped(accounts, key))}
    assigned = (
        select(Level.cycle, func.count(TeachingAssignment.teacher_id.distinct()).label("n"))
        .select_from(TeachingAssignment)
        .join(SchoolClass, SchoolClass.id == TeachingAssignment.class_id)
        .join(Level, Level.code == SchoolClass.level_code)
        .join(School, School.id == TeachingAssignment.school_id)
        .where(TeachingAssignment.school_year == current_year(), schools)
        .group_by(Level.cycle)
    )
    cycles: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Cycle, 0))
    for r in await session.execute(grouped(assigned, key)):
        cycles[r.key][Cycle(r.cycle).value] = r.n
    return {
        k: TeacherFigures(total=totals.get(k, 0), by_cycle=ByCycle(**cycles[k]))
        for k in set(totals) | set(cycles)
    }


def attendance_counts(schools: Schools, *where: Any) -> Select[int, int, int, int]:
    """Roll-call marks of the schools' lessons, by status (`where` narrows the lessons)."""
    status = AttendanceMark.status
    return (
        select(
            func.count().label("marks"),
            func.count().filter(status == AttendanceStatus.PRESENT).label("present"),
            func.count().filter(status == AttendanceStatus.LATE).label("late"),
            func.count().filter(status == AttendanceStatus.ABSENT).label("absent"),
        )
        .select_from(AttendanceMark)
        .join(
            AttendanceSheet,
            and_(
                AttendanceSheet.id == AttendanceMark.sheet_id,
                AttendanceSheet.school_id == AttendanceMark.school_id,
            ),
        )
        .join(School, School.id == AttendanceMark.school_id)
        .where(schools, *where)
    )


async def attendance(
    session: AsyncSession, schools: Schools, key: Key, when: Period
) -> dict[Any, AttendanceFigures]:
    """Roll-call marks of lessons in the period, by status, by key."""
    statement = attendance_counts(
        schools, AttendanceSheet.lesson_date.between(when.start, when.end)
    )
    return {
        r.key: attendance_figures(r.marks, r.present, r.late, r.absent, when)
        for r in await session.execute(grouped(statement, key))
    }


def attendance_figures(
    marks: int, present: int, late: int, absent: int, when: Period
) -> AttendanceFigures:
    """The counts with their rate: (present + late) / marks, 4 decimals half up."""
    rate = None
    if marks:
        rate = (Decimal(present + late) / marks).quantize(_RATE, rounding=ROUND_HALF_UP)
    return AttendanceFigures(
        from_date=when.start,
        to_date=when.end,
        marks=marks,
        present=present,
        late=late,
        absent=absent,
        rate=rate,
    )


async def completion(
    session: AsyncSession, schools: Schools, key: Key, *with_columns: Any
) -> list[Any]:
    """Grade-entry completion (see `grade_entry`), by key and the extra columns given."""
    tests = per_test_completion(_tenant_filter(schools))
    statement = (
        select(*with_columns, *completion_columns(tests, late_cutoff()))
        .select_from(tests)
        .join(School, School.id == tests.c.school_id)
    )
    if with_columns:
        statement = statement.group_by(*with_columns)
    return list(await session.execute(grouped(statement, key)))


def draft_tests(schools: Schools) -> Select[uuid.UUID, date, int]:
    """The schools' draft tests of this year by school and date: the late ones among them are
    those dated before `late_cutoff()` on the day they are counted."""
    return (
        select(ClassTest.school_id, ClassTest.test_date, func.count().label("tests"))
        .where(
            ClassTest.status == TestStatus.DRAFT,
            ClassTest.school_year == current_year(),
            _tenant_filter(schools)(ClassTest.school_id),
        )
        .group_by(ClassTest.school_id, ClassTest.test_date)
    )


async def pending_justifications(
    session: AsyncSession, schools: Schools, key: Key
) -> dict[Any, int]:
    """Justifications still to be decided, by key."""
    statement = (
        select(func.count().label("n"))
        .select_from(Justification)
        .join(School, School.id == Justification.school_id)
        .where(Justification.status == JustificationStatus.PENDING, schools)
    )
    return {r.key: r.n for r in await session.execute(grouped(statement, key))}


async def pending_transfers(session: AsyncSession, schools: Schools, key: Key) -> dict[Any, int]:
    """Transfers waiting for the receiving school's answer, counted at the sending school."""
    statement = (
        select(func.count().label("n"))
        .select_from(Transfer)
        .join(School, School.id == Transfer.school_id)
        .where(Transfer.status == TransferStatus.PENDING, schools)
    )
    return {r.key: r.n for r in await session.execute(grouped(statement, key))}


def average_bins(schools: Schools, *, per_school: bool) -> Subquery:
    """Semester averages of published marks by level and subject, counted and summed by
    1-point bin: each pupil's subject average is the mean of their marks present, 2 decimals
    half up. `per_school`: a pupil's marks at each school make an average of their own (the
    summaries'); otherwise the marks of all the schools make one."""
    school = (Mark.school_id,) if per_school else ()
    per_pupil = (
        select(
            *school,
            ClassTest.semester,
            SchoolClass.level_code,
            ClassTest.subject_id,
            # numeric round() is half away from zero: half up for marks, as on report cards.
            func.round(func.avg(Mark.mark), 2).label("average"),
        )
        .select_from(Mark)
        .join(ClassTest, and_(ClassTest.id == Mark.test_id, ClassTest.school_id == Mark.school_id))
        .join(SchoolClass, SchoolClass.id == ClassTest.class_id)
        .where(
            ClassTest.status == TestStatus.PUBLISHED,
            ClassTest.school_year == current_year(),
            Mark.mark.is_not(None),
            _tenant_filter(schools)(Mark.school_id),
        )
        .group_by(
            *school, ClassTest.semester, SchoolClass.level_code, ClassTest.subject_id, Mark.pupil_id
        )
        .subquery("pupil_averages")
    )
    groups = [
        *((per_pupil.c.school_id,) if per_school else ()),
        per_pupil.c.semester,
        per_pupil.c.level_code,
        per_pupil.c.subject_id,
    ]
    bin_ = func.least(func.floor(per_pupil.c.average), HISTOGRAM_BINS - 1).label("bin")
    return (
        select(
            *groups,
            bin_,
            func.count().label("pupils"),
            func.sum(per_pupil.c.average).label("total"),
        )
        .group_by(*groups, bin_)
        .subquery("average_bins")
    )


async def averages(session: AsyncSession, schools: Schools) -> list[SubjectAverage]:
    """Semester averages of published marks by level and subject, with their histogram."""
    bins = average_bins(schools, per_school=False)
    statement = (
        select(bins, Subject.code, Subject.name_fr)
        .join(Subject, Subject.id == bins.c.subject_id)
        .order_by(bins.c.semester, bins.c.level_code, Subject.code)
    )
    return _subject_averages(list(await session.execute(statement)))


def _subject_averages(rows: list[Any]) -> list[SubjectAverage]:
    """Fold the (group, bin) rows into one line per semester, level and subject."""
    lines: dict[tuple[int, str, str], SubjectAverage] = {}
    totals: dict[tuple[int, str, str], Decimal] = defaultdict(Decimal)
    for r in rows:
        group = (r.semester, r.level_code, r.code)
        line = lines.setdefault(
            group, subject_average(r, pupils=0, total=Decimal(0), histogram=[0] * HISTOGRAM_BINS)
        )
        line.pupils += r.pupils
        line.histogram[int(r.bin)] += r.pupils
        totals[group] += r.total
    for group, line in lines.items():
        line.mean = round_mark(totals[group] / line.pupils)
    return list(lines.values())


def subject_average(row: Any, pupils: int, total: Decimal, histogram: list[int]) -> SubjectAverage:
    """One line of averages: `row` names the semester, level and subject; the mean is the
    mean of the pupils' averages, 2 decimals half up."""
    return SubjectAverage(
        semester=row.semester,
        level_code=row.level_code,
        subject_code=row.code,
        subject_name_fr=row.name_fr,
        pupils=pupils,
        mean=round_mark(total / pupils) if pupils else Decimal(0),
        histogram=histogram,
    )


def no_teachers() -> TeacherFigures:
    """Figures of a unit without teachers."""
    return TeacherFigures(total=0, by_cycle=ByCycle(primary=0, college=0, lycee=0))
