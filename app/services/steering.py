"""Steering figures for a directorate, an academy or the ministry, aggregated in SQL.

Every figure is one grouped statement over the schools of a unit, so a request costs the same
number of statements for 3 schools or 12,000. The unit is a filter on the `schools` row (an
indexed equality on `academy_id` / `province_id`); tenant tables join their school to it. A
unit outside the caller's part of the tree does not exist for them (404).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    false,
    func,
    literal,
    null,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound, invalid
from app.models.academics import Level, Subject
from app.models.accounts import User
from app.models.assessment import ClassTest, Mark
from app.models.attendance import AttendanceMark, AttendanceSheet
from app.models.classes import Enrolment, Pupil, SchoolClass, TeachingAssignment
from app.models.enums import AttendanceStatus, Cycle, Gender, Role, TestStatus
from app.models.enums import Level as PrincipalLevel
from app.models.justifications import Justification, JustificationStatus
from app.models.organisation import Academy, Province, School
from app.schemas.steering import (
    AttendanceFigures,
    ByCycle,
    ByGender,
    Completion,
    PupilFigures,
    SchoolCompletion,
    SubjectAverage,
    TeacherFigures,
    UnitFigures,
    UnitLevel,
    UnitList,
    UnitOut,
    UnitSummary,
)
from app.security.principal import Principal
from app.services.averages import round_mark
from app.services.calendar import current_year, school_today
from app.services.grade_entry import (
    SchoolFilter,
    completion_columns,
    completion_of,
    late_cutoff,
    test_completion,
)

MINISTRY = UnitOut(
    level=UnitLevel.CENTRAL,
    id=None,
    code=None,
    name_fr="Ministère de l'Éducation nationale",
    name_ar="وزارة التربية الوطنية",
)
DEFAULT_DAYS = 30
HISTOGRAM_BINS = 20
# The per-pupil averages group ~3 rows per pupil and subject; with PostgreSQL's default 4 MB
# they sort on disk (0.9 s for 50,000 pupils on the bench), with this they hash in memory.
# SET LOCAL: it ends with the request's transaction.
_ANALYTICS_WORK_MEM = "SET LOCAL work_mem = '64MB'"
_RATE = Decimal("0.0001")
_CHILD = {
    UnitLevel.CENTRAL: UnitLevel.ACADEMY,
    UnitLevel.ACADEMY: UnitLevel.PROVINCE,
    UnitLevel.PROVINCE: UnitLevel.SCHOOL,
}


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date


def period(start: date | None, end: date | None) -> Period:
    """The attendance period: by default the 30 days up to today (school-local), inclusive."""
    end = end or school_today()
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise invalid("query.from", "must not be after `to`")
    return Period(start, end)


# ---- units ----------------------------------------------------------------------------------


def _in_unit(unit: UnitOut) -> ColumnElement[bool]:
    """The unit as a condition on `schools`: an indexed equality (nothing for the ministry)."""
    match unit.level:
        case UnitLevel.ACADEMY:
            return School.academy_id == unit.id
        case UnitLevel.PROVINCE:
            return School.province_id == unit.id
        case UnitLevel.SCHOOL:
            return School.id == unit.id
        case _:
            return true()


def _tenant_filter(unit: UnitOut) -> SchoolFilter:
    if unit.level is UnitLevel.CENTRAL:
        return lambda _column: true()
    return lambda column: column.in_(select(School.id).where(_in_unit(unit)))


def _within(principal: Principal, academy_id: Any, province_id: Any | None) -> ColumnElement[bool]:
    """Rows of the caller's part of the tree (the caller's own unit included)."""
    match principal.level:
        case PrincipalLevel.CENTRAL:
            return true()
        case PrincipalLevel.ACADEMY:
            return academy_id == principal.academy_id  # type: ignore[no-any-return]
        case PrincipalLevel.PROVINCE if province_id is not None:
            return province_id == principal.province_id  # type: ignore[no-any-return]
        case _:
            return false()


async def own_unit(session: AsyncSession, principal: Principal) -> UnitOut:
    """The caller's unit: the ministry, their academy or their directorate."""
    if principal.level is PrincipalLevel.CENTRAL:
        return MINISTRY
    unit_id = principal.province_id if principal.level is PrincipalLevel.PROVINCE else None
    unit_id = unit_id or principal.academy_id
    if unit_id is None:  # pragma: no cover - the guard lets only steering levels in
        raise NotFound()
    return await find_unit(session, principal, unit_id)


async def find_unit(session: AsyncSession, principal: Principal, unit_id: uuid.UUID) -> UnitOut:
    """An academy, directorate or school by id, if it is in the caller's part of the tree."""
    columns = ("id", "code", "name_fr", "name_ar")
    academies = select(
        literal(UnitLevel.ACADEMY.value).label("level"), *(getattr(Academy, c) for c in columns)
    ).where(Academy.id == unit_id, _within(principal, Academy.id, None))
    provinces = select(
        literal(UnitLevel.PROVINCE.value), *(getattr(Province, c) for c in columns)
    ).where(Province.id == unit_id, _within(principal, Province.academy_id, Province.id))
    schools = select(literal(UnitLevel.SCHOOL.value), *(getattr(School, c) for c in columns)).where(
        School.id == unit_id, _within(principal, School.academy_id, School.province_id)
    )
    row = (await session.execute(union_all(academies, provinces, schools))).first()
    if row is None:
        raise NotFound()
    return UnitOut(
        level=UnitLevel(row.level),
        id=row.id,
        code=row.code,
        name_fr=row.name_fr,
        name_ar=row.name_ar,
    )


async def _children(session: AsyncSession, unit: UnitOut) -> list[UnitOut]:
    table: Any = {
        UnitLevel.CENTRAL: Academy,
        UnitLevel.ACADEMY: Province,
        UnitLevel.PROVINCE: School,
    }[unit.level]
    statement = select(table.id, table.code, table.name_fr, table.name_ar).order_by(table.code)
    if unit.level is UnitLevel.ACADEMY:
        statement = statement.where(Province.academy_id == unit.id)
    elif unit.level is UnitLevel.PROVINCE:
        statement = statement.where(School.province_id == unit.id)
    level = _CHILD[unit.level]
    return [
        UnitOut(level=level, id=r.id, code=r.code, name_fr=r.name_fr, name_ar=r.name_ar)
        for r in await session.execute(statement)
    ]


def _child_key(unit: UnitOut) -> Any:
    """The `schools` column that names the unit one level down."""
    return {
        UnitLevel.CENTRAL: School.academy_id,
        UnitLevel.ACADEMY: School.province_id,
        UnitLevel.PROVINCE: School.id,
    }[unit.level]


# ---- figures, each one statement grouped by `key` (a schools column, or None: one group) ----

Key = Any


def _grouped(statement: Any, key: Key) -> Any:
    if key is None:
        return statement.add_columns(null().label("key"))
    return statement.add_columns(key.label("key")).group_by(key)


async def _count_schools(session: AsyncSession, unit: UnitOut, key: Key) -> dict[Any, int]:
    statement = _grouped(select(func.count().label("n")).where(_in_unit(unit)), key)
    return {r.key: r.n for r in await session.execute(statement.select_from(School))}


async def _count_classes(session: AsyncSession, unit: UnitOut, key: Key) -> dict[Any, int]:
    statement = (
        select(func.count().label("n"))
        .select_from(SchoolClass)
        .join(School, School.id == SchoolClass.school_id)
        .where(SchoolClass.school_year == current_year(), SchoolClass.is_active, _in_unit(unit))
    )
    return {r.key: r.n for r in await session.execute(_grouped(statement, key))}


async def _pupils(session: AsyncSession, unit: UnitOut, key: Key) -> dict[Any, PupilFigures]:
    statement = (
        select(Level.cycle, Pupil.gender, func.count().label("n"))
        .select_from(Enrolment)
        .join(Pupil, Pupil.id == Enrolment.pupil_id)
        .join(SchoolClass, SchoolClass.id == Enrolment.class_id)
        .join(Level, Level.code == SchoolClass.level_code)
        .join(School, School.id == Enrolment.school_id)
        .where(Enrolment.school_year == current_year(), Enrolment.left_on.is_(None), _in_unit(unit))
        .group_by(Level.cycle, Pupil.gender)
    )
    counts: dict[Any, dict[tuple[str, str], int]] = defaultdict(dict)
    for r in await session.execute(_grouped(statement, key)):
        counts[r.key][(Cycle(r.cycle).value, Gender(r.gender).value)] = r.n
    return {k: _pupil_figures(v) for k, v in counts.items()}


def _pupil_figures(counts: dict[tuple[str, str], int]) -> PupilFigures:
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


async def _teachers(session: AsyncSession, unit: UnitOut, key: Key) -> dict[Any, TeacherFigures]:
    accounts = (
        select(func.count().label("n"))
        .select_from(User)
        .join(School, School.id == User.school_id)
        .where(User.role == Role.TEACHER, User.is_active, _in_unit(unit))
    )
    totals = {r.key: r.n for r in await session.execute(_grouped(accounts, key))}
    assigned = (
        select(Level.cycle, func.count(TeachingAssignment.teacher_id.distinct()).label("n"))
        .select_from(TeachingAssignment)
        .join(SchoolClass, SchoolClass.id == TeachingAssignment.class_id)
        .join(Level, Level.code == SchoolClass.level_code)
        .join(School, School.id == TeachingAssignment.school_id)
        .where(TeachingAssignment.school_year == current_year(), _in_unit(unit))
        .group_by(Level.cycle)
    )
    cycles: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Cycle, 0))
    for r in await session.execute(_grouped(assigned, key)):
        cycles[r.key][Cycle(r.cycle).value] = r.n
    return {
        k: TeacherFigures(total=totals.get(k, 0), by_cycle=ByCycle(**cycles[k]))
        for k in set(totals) | set(cycles)
    }


async def _attendance(
    session: AsyncSession, unit: UnitOut, key: Key, when: Period
) -> dict[Any, AttendanceFigures]:
    status = AttendanceMark.status
    statement = (
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
        .where(AttendanceSheet.lesson_date.between(when.start, when.end), _in_unit(unit))
    )
    return {
        r.key: _attendance_figures(r.marks, r.present, r.late, r.absent, when)
        for r in await session.execute(_grouped(statement, key))
    }


def _attendance_figures(
    marks: int, present: int, late: int, absent: int, when: Period
) -> AttendanceFigures:
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


async def _completion(
    session: AsyncSession, unit: UnitOut, key: Key, *with_columns: Any
) -> list[Any]:
    tests = test_completion(_tenant_filter(unit))
    statement = (
        select(*with_columns, *completion_columns(tests, late_cutoff()))
        .select_from(tests)
        .join(School, School.id == tests.c.school_id)
    )
    if with_columns:
        statement = statement.group_by(*with_columns)
    return list(await session.execute(_grouped(statement, key)))


async def _pending_justifications(session: AsyncSession, unit: UnitOut, key: Key) -> dict[Any, int]:
    statement = (
        select(func.count().label("n"))
        .select_from(Justification)
        .join(School, School.id == Justification.school_id)
        .where(Justification.status == JustificationStatus.PENDING, _in_unit(unit))
    )
    return {r.key: r.n for r in await session.execute(_grouped(statement, key))}


async def _averages(session: AsyncSession, unit: UnitOut) -> list[SubjectAverage]:
    per_pupil = (
        select(
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
            _tenant_filter(unit)(Mark.school_id),
        )
        .group_by(ClassTest.semester, SchoolClass.level_code, ClassTest.subject_id, Mark.pupil_id)
        .subquery("pupil_averages")
    )
    bin_ = func.least(func.floor(per_pupil.c.average), HISTOGRAM_BINS - 1).label("bin")
    statement = (
        select(
            per_pupil.c.semester,
            per_pupil.c.level_code,
            Subject.code,
            Subject.name_fr,
            bin_,
            func.count().label("pupils"),
            func.sum(per_pupil.c.average).label("total"),
        )
        .join(Subject, Subject.id == per_pupil.c.subject_id)
        .group_by(per_pupil.c.semester, per_pupil.c.level_code, Subject.code, Subject.name_fr, bin_)
        .order_by(per_pupil.c.semester, per_pupil.c.level_code, Subject.code)
    )
    return _subject_averages(list(await session.execute(statement)))


def _subject_averages(rows: list[Any]) -> list[SubjectAverage]:
    """Fold the (group, bin) rows into one line per semester, level and subject."""
    lines: dict[tuple[int, str, str], SubjectAverage] = {}
    totals: dict[tuple[int, str, str], Decimal] = defaultdict(Decimal)
    for r in rows:
        group = (r.semester, r.level_code, r.code)
        line = lines.setdefault(
            group,
            SubjectAverage(
                semester=r.semester,
                level_code=r.level_code,
                subject_code=r.code,
                subject_name_fr=r.name_fr,
                pupils=0,
                mean=Decimal(0),
                histogram=[0] * HISTOGRAM_BINS,
            ),
        )
        line.pupils += r.pupils
        line.histogram[int(r.bin)] += r.pupils
        totals[group] += r.total
    for group, line in lines.items():
        line.mean = round_mark(totals[group] / line.pupils)
    return list(lines.values())


# ---- the answers ----------------------------------------------------------------------------


async def unit_figures(session: AsyncSession, unit: UnitOut, when: Period) -> UnitFigures:
    """Every figure of one unit (the caller's own, or one beneath it)."""
    empty = _attendance_figures(0, 0, 0, 0, when)
    await session.execute(text(_ANALYTICS_WORK_MEM))
    by_school = await _completion(session, unit, None, School.id, School.code, School.name_fr)
    schools = [
        SchoolCompletion(
            school_id=r.id, code=r.code, name_fr=r.name_fr, completion=completion_of(r)
        )
        for r in sorted(by_school, key=lambda r: r.code)
    ]
    return UnitFigures(
        unit=unit,
        schools=(await _count_schools(session, unit, None)).get(None, 0),
        classes=(await _count_classes(session, unit, None)).get(None, 0),
        pupils=(await _pupils(session, unit, None)).get(None, _pupil_figures({})),
        teachers=(await _teachers(session, unit, None)).get(None, _no_teachers()),
        attendance=(await _attendance(session, unit, None, when)).get(None, empty),
        completion=_sum_completion([s.completion for s in schools]),
        completion_by_school=schools,
        averages=await _averages(session, unit),
        pending_justifications=(await _pending_justifications(session, unit, None)).get(None, 0),
    )


async def unit_list(session: AsyncSession, unit: UnitOut, when: Period) -> UnitList:
    """The units one level down, each with its key figures."""
    await session.execute(text(_ANALYTICS_WORK_MEM))
    children = await _children(session, unit)
    key = _child_key(unit)
    schools = await _count_schools(session, unit, key)
    classes = await _count_classes(session, unit, key)
    pupils = await _pupils(session, unit, key)
    teachers = await _teachers(session, unit, key)
    attendance = await _attendance(session, unit, key, when)
    completion = {r.key: completion_of(r) for r in await _completion(session, unit, key)}
    pending = await _pending_justifications(session, unit, key)
    items = [
        UnitSummary(
            unit=child,
            schools=schools.get(child.id, 0),
            classes=classes.get(child.id, 0),
            pupils=pupils[child.id].total if child.id in pupils else 0,
            teachers=teachers[child.id].total if child.id in teachers else 0,
            attendance_rate=attendance[child.id].rate if child.id in attendance else None,
            completion=completion.get(child.id, _sum_completion([])),
            pending_justifications=pending.get(child.id, 0),
        )
        for child in children
    ]
    return UnitList(unit=unit, from_date=when.start, to_date=when.end, items=items)


def _no_teachers() -> TeacherFigures:
    return TeacherFigures(total=0, by_cycle=ByCycle(primary=0, college=0, lycee=0))


def _sum_completion(parts: list[Completion]) -> Completion:
    # A sum over schools (or screen rows), never over pupils.
    return Completion(**{f: sum(getattr(p, f) for p in parts) for f in Completion.model_fields})
