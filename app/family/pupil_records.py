"""A pupil's records as the pupil and their parents see them: profile, contact, timetable,
absences, homework and upcoming tests. Callers pass a pupil id they are entitled to (see
`family.own_pupil` and `family.child_of`)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from asyncpg import Record
from sqlalchemy import Select, any_, bindparam, select, true
from sqlalchemy.dialects.postgresql import distinct_on, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased

from app.academics.calendar import current_year, school_today, week_days
from app.academics.models import (
    Enrolment,
    Lesson,
    Level,
    Pupil,
    SchoolClass,
    Semester,
    Stream,
    Subject,
    TimetableSlot,
)
from app.academics.schemas import ClassRef, SubjectRef, Week
from app.academics.timetable import SUBJECT_COLUMNS, dated_week, slots_of, subject_of
from app.assessment.models import ClassTest
from app.attendance.covering import latest_justification
from app.attendance.models import (
    AttendanceMark,
    AttendanceSheet,
    AttendanceStatus,
    Justification,
)
from app.core.db.arrays import uuid_array
from app.core.db.prepared import Prepared, ReadConnection
from app.core.listing import found_row
from app.core.schemas import SchoolRef, UnitRef
from app.family.models import PupilContact
from app.family.schemas import (
    AbsenceOut,
    AbsencesReport,
    Contact,
    ContactPatch,
    HomeworkItem,
    PupilProfile,
    UpcomingTest,
)
from app.organisation.models import Academy, Province, School

# What a pupil's class has coming: homework set in a lesson, or a scheduled test.
Dated = TypeVar("Dated", Lesson, ClassTest)

_province = aliased(Province, name="province")
_academy = aliased(Academy, name="academy")


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a pupil sits in a year: the class, its level and stream, and the school."""

    school_year: int
    class_id: uuid.UUID
    class_name: str
    level_code: str
    stream_id: uuid.UUID | None
    stream_code: str | None
    school_id: uuid.UUID

    @property
    def class_ref(self) -> ClassRef:
        return ClassRef(
            id=self.class_id,
            name=self.class_name,
            level_code=self.level_code,
            stream_code=self.stream_code,
        )


# A pupil's class as columns of a wider row (absent when outer-joined), read back by `class_ref`.
CLASS_REF_COLUMNS = (
    SchoolClass.id.label("class_id"),
    SchoolClass.name.label("class_name"),
    SchoolClass.level_code.label("class_level_code"),
    Stream.code.label("class_stream_code"),
)


def class_ref(row: Record) -> ClassRef | None:
    """The `CLASS_REF_COLUMNS` of a row as a reference, if present."""
    if row["class_id"] is None:
        return None
    return ClassRef(
        id=row["class_id"],
        name=row["class_name"],
        level_code=row["class_level_code"],
        stream_code=row["class_stream_code"],
    )


def _with_class(*columns: Any) -> Select[*tuple[Any, ...]]:
    """`columns` of each enrolment joined to its class and the class's stream (if it has one)."""
    return (
        select(*columns)
        .join(SchoolClass, SchoolClass.id == Enrolment.class_id)
        .outerjoin(Stream, Stream.id == SchoolClass.stream_id)
    )


async def placement(
    session: AsyncSession, pupil_id: uuid.UUID, year: int | None = None
) -> Placement | None:
    """The pupil's class in `year` (this year by default): the current one if they moved."""
    places = await placements(session, [pupil_id], year)
    return places.get(pupil_id)


async def placements(
    session: AsyncSession, pupil_ids: Collection[uuid.UUID], year: int | None = None
) -> dict[uuid.UUID, Placement]:
    """Each pupil's class in `year` (this year by default), in one statement: the current one
    if they moved."""
    rows = await session.execute(
        _with_class(
            Enrolment.pupil_id,
            Enrolment.school_year,
            SchoolClass.id,
            SchoolClass.name,
            SchoolClass.level_code,
            SchoolClass.stream_id,
            Stream.code,
            SchoolClass.school_id,
        )
        .where(
            Enrolment.pupil_id == any_(uuid_array("pupils", pupil_ids)),
            Enrolment.school_year == (year if year is not None else current_year()),
        )
        .order_by(
            Enrolment.pupil_id,
            Enrolment.left_on.desc().nulls_first(),
            Enrolment.enrolled_on.desc(),
        )
        .ext(distinct_on(Enrolment.pupil_id))
    )
    return {pupil_id: Placement(*place) for pupil_id, *place in rows.all()}


async def current_classes(
    session: AsyncSession, pupil_ids: list[uuid.UUID]
) -> dict[uuid.UUID, ClassRef]:
    """This year's class of each pupil, in one statement."""
    rows = await session.execute(
        _with_class(
            Enrolment.pupil_id,
            SchoolClass.id,
            SchoolClass.name,
            SchoolClass.level_code,
            Stream.code,
        ).where(
            Enrolment.pupil_id.in_(pupil_ids),
            Enrolment.school_year == current_year(),
            Enrolment.left_on.is_(None),
        )
    )
    return {
        pupil_id: ClassRef(id=class_id, name=name, level_code=level, stream_code=stream)
        for pupil_id, class_id, name, level, stream in rows.all()
    }


async def profile(session: AsyncSession, pupil_id: uuid.UUID) -> PupilProfile:
    """Massar code, names, birth, gender, this year's class and level, and where the school is."""
    pupil, school, province, academy = await found_row(
        session,
        select(Pupil, School, _province, _academy)
        .join(School, School.id == Pupil.school_id)
        .join(_province, _province.id == School.province_id)
        .join(_academy, _academy.id == School.academy_id)
        .where(Pupil.id == pupil_id),
    )
    place = await placement(session, pupil_id)
    level = await session.get(Level, place.level_code) if place else None
    return PupilProfile.of(
        pupil,
        school_year=place.school_year if place else None,
        school_class=place.class_ref if place else None,
        level_name_fr=level.name_fr if level else None,
        level_name_ar=level.name_ar if level else None,
        school=SchoolRef.model_validate(school),
        province=UnitRef.model_validate(province),
        academy=UnitRef.model_validate(academy),
    )


async def contact(session: AsyncSession, pupil_id: uuid.UUID) -> Contact:
    """The family's contact details (all empty until given)."""
    row = await session.get(PupilContact, pupil_id)
    if row is None:
        return Contact(phone=None, operator=None, phone_owner=None, recovery_email=None)
    return Contact.model_validate(row)


async def update_contact(
    session: AsyncSession, pupil_id: uuid.UUID, patch: ContactPatch
) -> Contact:
    """Change the fields sent, keep the others."""
    school_id = await session.scalar(select(Pupil.school_id).where(Pupil.id == pupil_id))
    changes = patch.changes()
    row = (
        await session.execute(
            insert(PupilContact)
            .values(pupil_id=pupil_id, school_id=school_id, **changes)
            .on_conflict_do_update(
                index_elements=["pupil_id"], set_=changes or {"school_id": school_id}
            )
            .returning(
                PupilContact.phone,
                PupilContact.operator,
                PupilContact.phone_owner,
                PupilContact.recovery_email,
            )
        )
    ).one()
    return Contact.model_validate(row._mapping)


# The class a pupil is in this year (the current one if they moved), as a sub-select.
_PLACED_CLASS = (
    select(Enrolment.class_id)
    .where(Enrolment.pupil_id == bindparam("pupil_id"), Enrolment.school_year == current_year())
    .order_by(Enrolment.left_on.desc().nulls_first(), Enrolment.enrolled_on.desc())
    .limit(1)
    .scalar_subquery()
)
_CLASS_TIMETABLE = Prepared(slots_of(TimetableSlot.class_id == _PLACED_CLASS))


async def timetable(db: ReadConnection, pupil_id: uuid.UUID, iso_week: str | None) -> Week:
    """The pupil's class timetable for a week (empty when they are in no class this year)."""
    days = week_days(iso_week)
    return dated_week(await _CLASS_TIMETABLE.fetch(db, pupil_id=pupil_id), days)


def _absences(by_semester: bool) -> Prepared:
    """This year's absences and lateness of a pupil (within a semester), newest first, each with
    the status of its latest justification."""
    latest = latest_justification(Justification.status)
    statement = (
        select(
            AttendanceMark.id,
            AttendanceMark.status,
            AttendanceMark.minutes_late,
            AttendanceSheet.lesson_date,
            AttendanceSheet.starts_at,
            *SUBJECT_COLUMNS,
            latest.c.status.label("justification"),
        )
        .join(
            AttendanceSheet,
            (AttendanceSheet.id == AttendanceMark.sheet_id)
            & (AttendanceSheet.school_id == AttendanceMark.school_id),
        )
        .join(Subject, Subject.id == AttendanceSheet.subject_id)
        .outerjoin(latest, true())
        .where(
            AttendanceMark.pupil_id == bindparam("pupil_id"),
            AttendanceMark.school_year == current_year(),
            AttendanceMark.status != AttendanceStatus.PRESENT,
        )
        .order_by(AttendanceSheet.lesson_date.desc(), AttendanceSheet.starts_at.desc())
    )
    if by_semester:
        statement = statement.join(
            Semester,
            (Semester.school_year == AttendanceMark.school_year)
            & (Semester.number == bindparam("semester")),
        ).where(AttendanceSheet.lesson_date.between(Semester.starts_on, Semester.ends_on))
    return Prepared(statement)


_YEAR_ABSENCES = _absences(by_semester=False)
_SEMESTER_ABSENCES = _absences(by_semester=True)


async def absences(db: ReadConnection, pupil_id: uuid.UUID, semester: int | None) -> AbsencesReport:
    """This year's absences and lateness (of one semester if asked), newest first, each with
    the status of its latest justification."""
    if semester is None:
        rows = await _YEAR_ABSENCES.fetch(db, pupil_id=pupil_id)
    else:
        rows = await _SEMESTER_ABSENCES.fetch(db, pupil_id=pupil_id, semester=semester)
    items = [
        AbsenceOut(
            id=row["id"],
            date=row["lesson_date"],
            start_time=row["starts_at"],
            subject=subject_of(row),
            status=row["status"],
            minutes_late=row["minutes_late"],
            justification=row["justification"] or "none",
        )
        for row in rows
    ]
    absent = [i for i in items if i.status is AttendanceStatus.ABSENT]
    return AbsencesReport(
        semester=semester,
        absences=len(absent),
        lateness=len(items) - len(absent),
        unjustified=sum(1 for i in absent if i.justification in ("none", "rejected")),
        items=items,
    )


async def homework(session: AsyncSession, pupil_id: uuid.UUID) -> list[HomeworkItem]:
    """Homework due today or later in the pupil's class, soonest first."""
    rows = await _coming_in_class(session, pupil_id, Lesson, Lesson.homework_due_on)
    return [
        HomeworkItem(
            lesson_id=lesson.id,
            subject=SubjectRef.model_validate(subject),
            given_on=lesson.lesson_date,
            due_date=lesson.homework_due_on,
            text=lesson.homework_text or "",
        )
        for lesson, subject in rows
    ]


async def upcoming_tests(session: AsyncSession, pupil_id: uuid.UUID) -> list[UpcomingTest]:
    """Tests scheduled today or later for the pupil's class (dates only, never marks)."""
    rows = await _coming_in_class(session, pupil_id, ClassTest, ClassTest.test_date)
    return [
        UpcomingTest.of(
            test, test_id=test.id, subject=SubjectRef.model_validate(subject), date=test.test_date
        )
        for test, subject in rows
    ]


async def _coming_in_class(
    session: AsyncSession,
    pupil_id: uuid.UUID,
    model: type[Dated],
    day: InstrumentedAttribute[date | None] | InstrumentedAttribute[date],
) -> list[tuple[Dated, Subject]]:
    """The rows of the pupil's current class dated today or later, with their subject, soonest
    first (none for a pupil in no class)."""
    place = await placement(session, pupil_id)
    if place is None:
        return []
    rows = await session.execute(
        select(model, Subject)
        .join(Subject, Subject.id == model.subject_id)
        .where(
            model.school_id == place.school_id,
            model.class_id == place.class_id,
            day >= school_today(),
        )
        .order_by(day, Subject.code)
    )
    return [(row[0], row[1]) for row in rows]
