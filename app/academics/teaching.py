"""A teacher's scope (the classes and subjects assigned to them this year) and what they read
about it: their file, their classes, rosters and weekly timetable."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asyncpg import Record
from sqlalchemy import ColumnElement, Select, and_, bindparam, func, join, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.academics.calendar import current_school_year, current_year
from app.academics.models import (
    Enrolment,
    Pupil,
    SchoolClass,
    Stream,
    Subject,
    TeacherProfile,
    TeachingAssignment,
    TimetableSlot,
)
from app.academics.schemas import (
    Assignment,
    ClassRef,
    Leaver,
    RosterChanges,
    RosterPupil,
    SubjectRef,
    TaughtClass,
    TeacherProfileOut,
    Week,
)
from app.academics.timetable import SUBJECT_COLUMNS, subject_of, week_of
from app.accounts.models import User
from app.core.db.prepared import Prepared, ReadConnection
from app.core.schemas import SchoolRef
from app.core.security.principal import Principal
from app.errors import InvalidInput, NotFound, field_error
from app.organisation.models import School
from app.sync.models import Tombstone
from app.sync.tombstones import Kind, deleted_ids, merged

_specialty = aliased(Subject, name="specialty")


# The columns of a class that the write paths need, as `TaughtClassInfo` carries them.
_CLASS_COLUMNS = (
    SchoolClass.id,
    SchoolClass.school_id,
    SchoolClass.school_year,
    SchoolClass.name,
    SchoolClass.level_code,
)


@dataclass(frozen=True, slots=True)
class TaughtClassInfo:
    """A class in the teacher's scope, with what the write paths need to know about it."""

    id: uuid.UUID
    school_id: uuid.UUID
    school_year: int
    name: str
    level_code: str
    subject_ids: frozenset[uuid.UUID]

    @classmethod
    def of_class(cls, school_class: Any, subject_ids: frozenset[uuid.UUID]) -> TaughtClassInfo:
        """The class (or a row of its columns), taught in those subjects."""
        columns = {column.key: getattr(school_class, column.key) for column in _CLASS_COLUMNS}
        return cls(**columns, subject_ids=subject_ids)

    def written_by(self, principal: Principal, subject_id: uuid.UUID) -> dict[str, Any]:
        """The columns of a record the teacher writes for this class in that subject (a
        lesson, a test, a roll call)."""
        return {
            "school_id": self.school_id,
            "school_year": self.school_year,
            "class_id": self.id,
            "subject_id": subject_id,
            "teacher_id": principal.user_id,
        }


def assignments_of(principal: Principal) -> Select[uuid.UUID, uuid.UUID]:
    """(class_id, subject_id) pairs the teacher teaches this year, in their own school."""
    return assignments_of_teacher(principal.user_id, principal.school_id)


def assignments_of_teacher(teacher_id: Any, school_id: Any) -> Select[uuid.UUID, uuid.UUID]:
    """`assignments_of` for a teacher and school given as values or bound parameters."""
    return select(TeachingAssignment.class_id, TeachingAssignment.subject_id).where(
        TeachingAssignment.teacher_id == teacher_id,
        TeachingAssignment.school_id == school_id,
        TeachingAssignment.school_year == current_year(),
    )


def current_pupils(class_id: uuid.UUID) -> Select[uuid.UUID]:
    """Ids of the pupils enrolled in the class now (leavers excluded)."""
    return select(Enrolment.pupil_id).where(
        Enrolment.class_id == class_id, Enrolment.left_on.is_(None)
    )


# Whether the teacher teaches the class this year, and in which subjects: every teacher route
# about one class asks it first, so it is compiled once and prepared.
_TAUGHT = Prepared(
    select(*_CLASS_COLUMNS, TeachingAssignment.subject_id)
    .join(TeachingAssignment, TeachingAssignment.class_id == SchoolClass.id)
    .where(
        SchoolClass.id == bindparam("class_id"),
        TeachingAssignment.teacher_id == bindparam("teacher_id"),
        TeachingAssignment.school_id == bindparam("school_id"),
        TeachingAssignment.school_year == current_year(),
    )
)


async def taught_class(
    session: AsyncSession,
    principal: Principal,
    class_id: uuid.UUID,
    subject_id: uuid.UUID | None = None,
) -> TaughtClassInfo:
    """The class if the teacher teaches it this year (that subject, when one is given);
    otherwise 404, exactly as for a class that does not exist."""
    rows = await _TAUGHT.fetch(
        session, class_id=class_id, teacher_id=principal.user_id, school_id=principal.school_id
    )
    subject_ids = frozenset(row["subject_id"] for row in rows)
    if not rows or (subject_id is not None and subject_id not in subject_ids):
        raise NotFound()
    columns = {column.key: rows[0][column.key] for column in _CLASS_COLUMNS}
    return TaughtClassInfo(**columns, subject_ids=subject_ids)


async def get_profile(session: AsyncSession, principal: Principal) -> TeacherProfileOut:
    """The teacher's own file and this year's assignments."""
    row = (
        await session.execute(
            select(User, TeacherProfile, School, _specialty)
            .join(School, School.id == User.school_id)
            .outerjoin(TeacherProfile, TeacherProfile.user_id == User.id)
            .outerjoin(_specialty, _specialty.id == TeacherProfile.specialty_subject_id)
            .where(User.id == principal.user_id)
        )
    ).one()
    user, profile, school, specialty = row
    year = await current_school_year(session)
    assignments = [
        Assignment(school_class=c, subject=s) for c, s in await _assignment_refs(session, principal)
    ]
    return TeacherProfileOut.of(
        user,
        user_id=user.id,
        ppr=profile.ppr if profile else None,
        rank=profile.rank if profile else None,
        specialty=SubjectRef.model_validate(specialty) if specialty else None,
        school=SchoolRef.model_validate(school),
        school_year=year,
        assignments=assignments,
    )


async def _assignment_refs(
    session: AsyncSession, principal: Principal
) -> list[tuple[ClassRef, SubjectRef]]:
    pairs = assignments_of(principal).subquery()
    rows = await session.execute(
        select(
            SchoolClass.id,
            SchoolClass.name,
            SchoolClass.level_code,
            Stream.code.label("stream_code"),
            Subject,
        )
        .join(pairs, pairs.c.class_id == SchoolClass.id)
        .join(Subject, Subject.id == pairs.c.subject_id)
        .outerjoin(Stream, Stream.id == SchoolClass.stream_id)
        .order_by(SchoolClass.name, Subject.code)
    )
    return [
        (
            ClassRef.of(r),
            SubjectRef.model_validate(r.Subject),
        )
        for r in rows
    ]


# The classes taught this year, one row per subject, with the class's pupil count and the year.
_pairs = assignments_of_teacher(bindparam("teacher_id"), bindparam("school_id")).subquery()
_TAUGHT_CLASSES = Prepared(
    select(
        SchoolClass.id,
        SchoolClass.name,
        SchoolClass.level_code,
        Stream.code.label("stream_code"),
        *SUBJECT_COLUMNS,
        select(func.count())
        .where(Enrolment.class_id == SchoolClass.id, Enrolment.left_on.is_(None))
        .scalar_subquery()
        .label("pupil_count"),
        current_year().label("school_year"),
    )
    .join(_pairs, _pairs.c.class_id == SchoolClass.id)
    .join(Subject, Subject.id == _pairs.c.subject_id)
    .outerjoin(Stream, Stream.id == SchoolClass.stream_id)
    .order_by(SchoolClass.name, Subject.code)
)


async def list_classes(db: ReadConnection, principal: Principal) -> list[TaughtClass]:
    """The classes taught this year with their subjects and pupil counts, in one statement."""
    rows = await _TAUGHT_CLASSES.fetch(
        db, teacher_id=principal.user_id, school_id=principal.school_id
    )
    if not rows:
        await current_school_year(db)  # 409 when no year is open, as for any teacher
        return []
    classes: dict[uuid.UUID, TaughtClass] = {}
    for row in rows:
        entry = classes.get(row["id"])
        if entry is None:
            entry = classes[row["id"]] = TaughtClass.of_record(row, subjects=[])
        entry.subjects.append(subject_of(row))
    return list(classes.values())


def _roster(*conditions: ColumnElement[bool]) -> Prepared:
    """The pupils enrolled now (and meeting `conditions`) in a class the teacher teaches this
    year, by family name, in one statement: no row at all when the teacher does not teach the
    class, one row of nulls when nobody is enrolled."""
    taught = (
        assignments_of_teacher(bindparam("teacher_id"), bindparam("school_id"))
        .where(TeachingAssignment.class_id == bindparam("class_id"))
        .limit(1)
        .subquery("taught")
    )
    enrolled = join(Enrolment, Pupil, Pupil.id == Enrolment.pupil_id)
    return Prepared(
        select(*(getattr(Pupil, name) for name in RosterPupil.model_fields))
        .select_from(taught)
        .outerjoin(
            enrolled,
            and_(
                Enrolment.class_id == bindparam("class_id"),
                Enrolment.left_on.is_(None),
                *conditions,
            ),
        )
        .order_by(Pupil.last_name, Pupil.first_name)
    )


_ROSTER = _roster()
_ROSTER_CHANGED = _roster(
    or_(Pupil.updated_at >= bindparam("since"), Enrolment.updated_at >= bindparam("since"))
)


async def roster(
    db: ReadConnection,
    principal: Principal,
    class_id: uuid.UUID,
    updated_since: datetime | None = None,
) -> list[RosterPupil]:
    """The pupils of a class the teacher teaches, by family name. With `updated_since`: those
    whose record changed or who joined the class since then (`leavers` tells who left)."""
    rows = await roster_records(db, principal, class_id, updated_since)
    return [RosterPupil.of_record(row) for row in rows]


async def roster_records(
    db: ReadConnection,
    principal: Principal,
    class_id: uuid.UUID,
    updated_since: datetime | None = None,
) -> list[Record]:
    """The roster's records (`roster`), each with the columns of `RosterPupil`."""
    scope = {
        "class_id": class_id,
        "teacher_id": principal.user_id,
        "school_id": principal.school_id,
    }
    if updated_since is None:
        rows = await _ROSTER.fetch(db, **scope)
    else:
        rows = await _ROSTER_CHANGED.fetch(db, **scope, since=updated_since)
    if not rows:
        raise NotFound()  # not a class of theirs, exactly as for one that does not exist
    return [row for row in rows if row["id"] is not None]


async def roster_changes(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID, since: datetime
) -> RosterChanges:
    """The roster's delta since then: pupils changed or joined, and the ids of those who left
    (or whose enrolment was removed) and are not back."""
    items = await roster(session, principal, class_id, since)
    left = await leavers(session, principal, class_id, since)
    removed = await deleted_ids(
        session,
        Kind.ROSTER,
        since,
        principal.school_id,
        Tombstone.container_id == class_id,
        Tombstone.entity_id.not_in(current_pupils(class_id)),
    )
    return RosterChanges(items=items, deleted=merged([pupil.pupil_id for pupil in left], removed))


async def leavers(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID, since: datetime
) -> list[Leaver]:
    """Pupils who left one of the teacher's classes since then (withdrawn, moved to another
    class or school) and are not back in it: what a synced roster must drop."""
    await taught_class(session, principal, class_id)
    statement = (
        select(Enrolment.pupil_id, func.max(Enrolment.left_on).label("left_on"))
        .where(
            Enrolment.class_id == class_id,
            Enrolment.left_on.is_not(None),
            Enrolment.updated_at >= since,
            Enrolment.pupil_id.not_in(current_pupils(class_id)),
        )
        .group_by(Enrolment.pupil_id)
        .order_by(Enrolment.pupil_id)
    )
    return [
        Leaver(pupil_id=r.pupil_id, left_on=r.left_on) for r in await session.execute(statement)
    ]


async def timetable(session: AsyncSession, principal: Principal, iso_week: str | None) -> Week:
    """The teacher's lessons in a week, dated, in order."""
    mine = (TimetableSlot.teacher_id == principal.user_id) & (
        TimetableSlot.school_id == principal.school_id
    )
    return await week_of(session, mine, iso_week)


def check_pupils_of_class(
    pupil_ids: Sequence[uuid.UUID], enrolled: set[uuid.UUID], field: str
) -> None:
    """Every row names a pupil of the class, once; all faults are reported together.

    `field` locates row `index`, e.g. `"body.marks.{index}.pupil_id"`.
    """
    errors = []
    seen: set[uuid.UUID] = set()
    for index, pupil_id in enumerate(pupil_ids):
        where = field.format(index=index)
        if pupil_id not in enrolled:
            errors.append(field_error(where, "not a pupil of this class", "not_in_class"))
        elif pupil_id in seen:
            errors.append(field_error(where, "this pupil appears twice", "duplicate"))
        seen.add(pupil_id)
    if errors:
        raise InvalidInput(errors)
