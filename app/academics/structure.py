"""A school's structure, managed by its staff: classes, pupils and their enrolment, teaching
assignments, and a timetable that refuses double bookings. Everything stays inside the
caller's school; ids of another school's rows answer 404."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, func, or_, select, true, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics import events
from app.academics.calendar import current_school_year, current_year, school_today
from app.academics.models import (
    Enrolment,
    Level,
    Pupil,
    SchoolClass,
    SchoolYear,
    Stream,
    Subject,
    TeachingAssignment,
    TimetableSlot,
)
from app.academics.schemas import (
    AssignmentIn,
    AssignmentOut,
    ClassCopyIn,
    ClassCopyReport,
    ClassCopyRow,
    ClassIn,
    ClassPatch,
    PupilIn,
    PupilPatch,
    SchoolClassOut,
    SchoolPupilOut,
    SlotIn,
    SlotOut,
    YearStatus,
)
from app.academics.years import year_status
from app.accounts.models import User
from app.core.listing import found
from app.core.roles import Role
from app.core.security.principal import Principal
from app.errors import Conflict, NotFound, ProblemError, invalid

# A year whose classes a school may still open.
OPEN_FOR_CLASSES = (YearStatus.CURRENT, YearStatus.PLANNED)

# A table of school rows: each has an id and the school it belongs to.
SchoolRow = TypeVar("SchoolRow", Pupil, TeachingAssignment, TimetableSlot)


def _school(principal: Principal) -> uuid.UUID:
    assert principal.school_id is not None  # guaranteed by the school_staff guard
    return principal.school_id


async def _of_school(
    session: AsyncSession, principal: Principal, model: type[SchoolRow], row_id: uuid.UUID
) -> SchoolRow:
    """A row of the caller's school by id; 404 for any other, as for one that does not exist."""
    return found(
        await session.scalar(
            select(model).where(model.id == row_id, model.school_id == _school(principal))
        )
    )


async def class_of_school(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID, field: str | None = None
) -> SchoolClass:
    """A class of the caller's school: 404 on the path, 422 when named in a body `field`."""
    school_class = await session.scalar(
        select(SchoolClass).where(
            SchoolClass.id == class_id, SchoolClass.school_id == _school(principal)
        )
    )
    if school_class is None:
        if field:
            raise invalid(field, "not a class of your school", "unknown_class")
        raise NotFound()
    return school_class


# ---- classes -------------------------------------------------------------------------------


async def list_classes(
    session: AsyncSession, principal: Principal, year: int | None = None
) -> list[SchoolClassOut]:
    """A year's classes (this year's by default) with their pupil counts."""
    counts = (
        select(Enrolment.class_id, func.count().label("pupils"))
        .where(Enrolment.school_id == _school(principal), Enrolment.left_on.is_(None))
        .group_by(Enrolment.class_id)
        .subquery()
    )
    rows = await session.execute(
        select(SchoolClass, Stream.code, func.coalesce(counts.c.pupils, 0))
        .outerjoin(Stream, Stream.id == SchoolClass.stream_id)
        .outerjoin(counts, counts.c.class_id == SchoolClass.id)
        .where(
            SchoolClass.school_id == _school(principal),
            SchoolClass.school_year == (current_year() if year is None else year),
        )
        .order_by(SchoolClass.name)
    )
    return [_class_out(c, stream, pupils) for c, stream, pupils in rows]


def _class_out(school_class: SchoolClass, stream_code: str | None, pupils: int) -> SchoolClassOut:
    return SchoolClassOut.of(school_class, stream_code=stream_code, pupil_count=pupils)


async def create_class(session: AsyncSession, principal: Principal, new: ClassIn) -> SchoolClassOut:
    """Open a class for this year at a level (and stream, for the lycée)."""
    if await session.get(Level, new.level_code) is None:
        raise invalid("body.level_code", "unknown level", "unknown_level")
    stream_id = None
    if new.stream_code is not None:
        stream_id = await session.scalar(
            select(Stream.id).where(
                Stream.level_code == new.level_code, Stream.code == new.stream_code
            )
        )
        if stream_id is None:
            raise invalid("body.stream_code", "not a stream of this level", "unknown_stream")
    year = await open_for_classes(session, new.school_year)
    taken = await session.scalar(
        select(SchoolClass.id).where(
            SchoolClass.school_id == _school(principal),
            SchoolClass.school_year == year,
            SchoolClass.name == new.name,
        )
    )
    if taken is not None:
        raise Conflict("structure.class_name_taken")
    school_class = SchoolClass(
        school_id=_school(principal),
        school_year=year,
        level_code=new.level_code,
        stream_id=stream_id,
        name=new.name,
    )
    session.add(school_class)
    await session.flush()
    await session.refresh(school_class)
    return _class_out(school_class, new.stream_code, 0)


async def open_for_classes(session: AsyncSession, year: int | None) -> int:
    """The year classes may be opened in: the current one (when None), or one planned."""
    if year is None:
        return await current_school_year(session)
    school_year = await session.get(SchoolYear, year)
    if school_year is None or year_status(school_year) not in OPEN_FOR_CLASSES:
        raise ProblemError(409, "years.not_open", kind="school-year-not-open")
    return year


async def copy_classes(
    session: AsyncSession, principal: Principal, copy: ClassCopyIn
) -> ClassCopyReport:
    """Open in `to_year` the active classes the school had in `from_year` (same names, levels
    and streams); those already there are left as they are, so a replay changes nothing."""
    to_year = await open_for_classes(session, copy.to_year)
    school_id = _school(principal)
    source = (
        await session.execute(
            select(SchoolClass.name, SchoolClass.level_code, SchoolClass.stream_id).where(
                SchoolClass.school_id == school_id,
                SchoolClass.school_year == copy.from_year,
                SchoolClass.is_active,
            )
        )
    ).all()
    names = [row.name for row in source]
    existing = set(
        await session.scalars(
            select(SchoolClass.name).where(
                SchoolClass.school_id == school_id,
                SchoolClass.school_year == to_year,
                SchoolClass.name.in_(names),
            )
        )
    )
    if source:
        await session.execute(
            insert(SchoolClass)
            .values(
                [
                    {
                        "id": uuid.uuid4(),
                        "school_id": school_id,
                        "school_year": to_year,
                        **row._asdict(),
                    }
                    for row in source
                ]
            )
            .on_conflict_do_nothing(index_elements=["school_id", "school_year", "name"])
        )
    copied = await session.execute(
        select(SchoolClass.name, SchoolClass.id)
        .where(
            SchoolClass.school_id == school_id,
            SchoolClass.school_year == to_year,
            SchoolClass.name.in_(names),
        )
        .order_by(SchoolClass.name)
    )
    rows = [
        ClassCopyRow(name=name, class_id=id_, status="exists" if name in existing else "created")
        for name, id_ in copied
    ]
    return ClassCopyReport(
        created=sum(r.status == "created" for r in rows),
        existing=sum(r.status == "exists" for r in rows),
        rows=rows,
    )


async def update_class(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID, patch: ClassPatch
) -> SchoolClassOut:
    """Rename a class, or deactivate (and reactivate) it."""
    school_class = await class_of_school(session, principal, class_id)
    patch.apply_to(school_class)
    await session.flush()
    # Outside this year's list (a class of another year): not found, and nothing is written.
    return found(
        next((c for c in await list_classes(session, principal) if c.id == class_id), None)
    )


# ---- pupils --------------------------------------------------------------------------------


async def list_pupils(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID | None
) -> list[SchoolPupilOut]:
    """The school's pupils (of one class, if asked) with their current class."""
    current = (
        select(Enrolment.pupil_id, Enrolment.class_id, SchoolClass.name)
        .join(SchoolClass, SchoolClass.id == Enrolment.class_id)
        .where(Enrolment.school_year == current_year(), Enrolment.left_on.is_(None))
        .subquery()
    )
    statement = (
        select(Pupil, current.c.class_id, current.c.name)
        .outerjoin(current, current.c.pupil_id == Pupil.id)
        .where(Pupil.school_id == _school(principal))
        .order_by(Pupil.last_name, Pupil.first_name)
    )
    if class_id is not None:
        statement = statement.where(current.c.class_id == class_id)
    return [_pupil_out(p, c, n) for p, c, n in await session.execute(statement)]


def _pupil_out(pupil: Pupil, class_id: uuid.UUID | None, class_name: str | None) -> SchoolPupilOut:
    return SchoolPupilOut.of(pupil, class_id=class_id, class_name=class_name)


async def create_pupil(session: AsyncSession, principal: Principal, new: PupilIn) -> SchoolPupilOut:
    """Register a pupil (a Massar code is national: it may exist only once), enrolled if asked."""
    if await session.scalar(select(Pupil.id).where(Pupil.massar_code == new.massar_code)):
        raise Conflict("structure.massar_code_taken")
    school_class = None
    if new.class_id is not None:
        school_class = await class_of_school(session, principal, new.class_id, "body.class_id")
    pupil = Pupil(school_id=_school(principal), **new.model_dump(exclude={"class_id"}))
    session.add(pupil)
    await session.flush()
    if school_class is not None:
        await _enrol(session, pupil, school_class)
    return _pupil_out(
        pupil,
        school_class.id if school_class else None,
        school_class.name if school_class else None,
    )


async def update_pupil(
    session: AsyncSession, principal: Principal, pupil_id: uuid.UUID, patch: PupilPatch
) -> SchoolPupilOut:
    """Correct a pupil's names or birth place."""
    pupil = await _of_school(session, principal, Pupil, pupil_id)
    patch.apply_to(pupil)
    await session.flush()
    pupils = await list_pupils(session, principal, None)
    return found(next((p for p in pupils if p.id == pupil_id), None))


async def enrol(
    session: AsyncSession, principal: Principal, pupil_id: uuid.UUID, class_id: uuid.UUID
) -> SchoolPupilOut:
    """Put a pupil in a class for this year; a class they were in is closed (history kept)."""
    pupil = await _of_school(session, principal, Pupil, pupil_id)
    school_class = await class_of_school(session, principal, class_id, "body.class_id")
    await _enrol(session, pupil, school_class)
    return _pupil_out(pupil, school_class.id, school_class.name)


async def withdraw(
    session: AsyncSession, principal: Principal, pupil_id: uuid.UUID
) -> SchoolPupilOut:
    """Take a pupil out of their class (they leave the school's rosters; history is kept)."""
    pupil = await _of_school(session, principal, Pupil, pupil_id)
    today = school_today()
    closed = await session.scalars(
        update(Enrolment)
        .where(Enrolment.pupil_id == pupil.id, Enrolment.left_on.is_(None))
        .values(left_on=today)
        .returning(Enrolment.school_year)
    )
    for year in set(closed):
        await events.enrolments_changed(session, pupil.school_id, year, today, [(pupil.id, None)])
    return _pupil_out(pupil, None, None)


async def _enrol(session: AsyncSession, pupil: Pupil, school_class: SchoolClass) -> None:
    moves = [(pupil.id, school_class.id)]
    await move_pupils(session, school_class.school_id, school_class.school_year, moves)


async def move_pupils(
    session: AsyncSession,
    school_id: uuid.UUID,
    school_year: int,
    moves: Sequence[tuple[uuid.UUID, uuid.UUID]],
) -> None:
    """Put each pupil in their class (`(pupil_id, class_id)`) from today; a class they were in
    that year is closed (history kept)."""
    today = school_today()
    await session.execute(
        update(Enrolment)
        .where(
            Enrolment.pupil_id.in_([pupil_id for pupil_id, _ in moves]),
            Enrolment.school_year == school_year,
            Enrolment.left_on.is_(None),
        )
        .values(left_on=today)
    )
    session.add_all(
        Enrolment(
            pupil_id=pupil_id,
            class_id=class_id,
            school_id=school_id,
            school_year=school_year,
            enrolled_on=today,
        )
        for pupil_id, class_id in moves
    )
    await session.flush()
    await events.enrolments_changed(session, school_id, school_year, today, moves)


# ---- assignments ---------------------------------------------------------------------------


async def list_assignments(session: AsyncSession, principal: Principal) -> list[AssignmentOut]:
    """Who teaches what to which class this year."""
    rows = await session.execute(
        select(TeachingAssignment, User, SchoolClass.name, Subject.code)
        .join(User, User.id == TeachingAssignment.teacher_id)
        .join(SchoolClass, SchoolClass.id == TeachingAssignment.class_id)
        .join(Subject, Subject.id == TeachingAssignment.subject_id)
        .where(
            TeachingAssignment.school_id == _school(principal),
            TeachingAssignment.school_year == current_year(),
        )
        .order_by(SchoolClass.name, Subject.code)
    )
    return [_assignment_out(*row) for row in rows]


def _assignment_out(
    assignment: TeachingAssignment, teacher: User, class_name: str, subject_code: str
) -> AssignmentOut:
    return AssignmentOut.of(
        assignment,
        teacher_name=f"{teacher.first_name} {teacher.last_name}",
        class_name=class_name,
        subject_code=subject_code,
    )


async def _teacher_of_school(
    session: AsyncSession, principal: Principal, teacher_id: uuid.UUID
) -> User:
    teacher = await session.scalar(
        select(User).where(
            User.id == teacher_id,
            User.role == Role.TEACHER,
            User.school_id == _school(principal),
            User.is_active.is_(True),
        )
    )
    if teacher is None:
        raise invalid("body.teacher_id", "not an active teacher of your school", "unknown_teacher")
    return teacher


async def assign(session: AsyncSession, principal: Principal, new: AssignmentIn) -> AssignmentOut:
    """Give a class's subject to a teacher of the school (one teacher per class and subject)."""
    teacher = await _teacher_of_school(session, principal, new.teacher_id)
    school_class = await class_of_school(session, principal, new.class_id, "body.class_id")
    subject = await _subject(session, new.subject_id)
    taken = await session.scalar(
        select(TeachingAssignment.id).where(
            TeachingAssignment.school_id == school_class.school_id,
            TeachingAssignment.class_id == school_class.id,
            TeachingAssignment.subject_id == subject.id,
        )
    )
    if taken is not None:
        raise Conflict("structure.subject_assigned")
    assignment = TeachingAssignment(
        school_id=school_class.school_id,
        school_year=school_class.school_year,
        teacher_id=teacher.id,
        class_id=school_class.id,
        subject_id=subject.id,
    )
    session.add(assignment)
    await session.flush()
    return _assignment_out(assignment, teacher, school_class.name, subject.code)


async def unassign(session: AsyncSession, principal: Principal, assignment_id: uuid.UUID) -> None:
    """End an assignment (the teacher loses the class for that subject at once)."""
    assignment = await _of_school(session, principal, TeachingAssignment, assignment_id)
    await session.delete(assignment)
    await session.flush()


# ---- timetable -----------------------------------------------------------------------------


async def list_slots(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID | None
) -> list[SlotOut]:
    """This year's weekly slots (of one class, if asked), in week order."""
    statement = select(TimetableSlot).where(
        TimetableSlot.school_id == _school(principal), TimetableSlot.school_year == current_year()
    )
    if class_id is not None:
        statement = statement.where(TimetableSlot.class_id == class_id)
    slots = await session.scalars(
        statement.order_by(TimetableSlot.weekday, TimetableSlot.starts_at)
    )
    return [SlotOut.model_validate(s) for s in slots]


async def add_slot(session: AsyncSession, principal: Principal, new: SlotIn) -> SlotOut:
    """Add a weekly lesson; a teacher, a class or a room booked twice at once is refused (409)."""
    school_class = await _slot_class(session, principal, new)
    slot = TimetableSlot(
        school_id=school_class.school_id, school_year=school_class.school_year, **new.model_dump()
    )
    session.add(slot)
    await session.flush()
    return SlotOut.model_validate(slot)


async def _slot_class(
    session: AsyncSession, principal: Principal, new: SlotIn, moving: uuid.UUID | None = None
) -> SchoolClass:
    """The slot's class, once its class, teacher and subject are the school's and it books no
    one twice (`moving`: the slot being changed, which may overlap itself)."""
    school_class = await class_of_school(session, principal, new.class_id, "body.class_id")
    await _teacher_of_school(session, principal, new.teacher_id)
    await _subject(session, new.subject_id)
    await _refuse_clash(session, school_class, new, moving)
    return school_class


async def _subject(session: AsyncSession, subject_id: uuid.UUID) -> Subject:
    """A subject of the curriculum named in the body (422 for an unknown one)."""
    subject = await session.get(Subject, subject_id)
    if subject is None:
        raise invalid("body.subject_id", "unknown subject", "unknown_subject")
    return subject


async def _refuse_clash(
    session: AsyncSession,
    school_class: SchoolClass,
    new: SlotIn,
    moving: uuid.UUID | None = None,
) -> None:
    """One statement finds any overlapping slot of the same teacher, class or room (other than
    the slot being `moving`)."""
    same: list[ColumnElement[bool]] = [
        TimetableSlot.teacher_id == new.teacher_id,
        TimetableSlot.class_id == new.class_id,
    ]
    if new.room:
        same.append(
            and_(TimetableSlot.room == new.room, TimetableSlot.school_id == school_class.school_id)
        )
    clash = (
        await session.execute(
            select(
                TimetableSlot.teacher_id,
                TimetableSlot.class_id,
                TimetableSlot.room,
                TimetableSlot.starts_at,
                TimetableSlot.ends_at,
            )
            .where(
                TimetableSlot.id != moving if moving else true(),
                TimetableSlot.school_year == school_class.school_year,
                TimetableSlot.weekday == new.weekday,
                TimetableSlot.starts_at < new.ends_at,
                TimetableSlot.ends_at > new.starts_at,
                or_(*same),
            )
            .limit(1)
        )
    ).one_or_none()
    if clash is None:
        return
    if clash.teacher_id == new.teacher_id:
        what = "teacher"
    elif clash.class_id == new.class_id:
        what = "class"
    else:
        what = "room"
    raise ProblemError(
        409,
        f"structure.{what}_busy",
        kind="timetable-clash",
        errors=[
            {
                "field": f"body.{what}_id" if what != "room" else "body.room",
                "message": f"already booked {clash.starts_at:%H:%M}-{clash.ends_at:%H:%M}",
                "code": f"{what}_busy",
            }
        ],
    )


async def move_slot(
    session: AsyncSession, principal: Principal, slot_id: uuid.UUID, new: SlotIn
) -> SlotOut:
    """Change a weekly lesson (time, room, teacher...), with the same double-booking checks."""
    slot = await _of_school(session, principal, TimetableSlot, slot_id)
    await _slot_class(session, principal, new, moving=slot.id)
    for field, value in new.model_dump().items():
        setattr(slot, field, value)
    await session.flush()
    return SlotOut.model_validate(slot)


async def reassign(
    session: AsyncSession, principal: Principal, assignment_id: uuid.UUID, teacher_id: uuid.UUID
) -> AssignmentOut:
    """Give an assignment to another teacher of the school."""
    assignment = await _of_school(session, principal, TeachingAssignment, assignment_id)
    teacher = await _teacher_of_school(session, principal, teacher_id)
    assignment.teacher_id = teacher.id
    await session.flush()
    assignments = await list_assignments(session, principal)
    return found(next((a for a in assignments if a.id == assignment_id), None))


async def remove_slot(session: AsyncSession, principal: Principal, slot_id: uuid.UUID) -> None:
    """Remove a weekly lesson."""
    slot = await _of_school(session, principal, TimetableSlot, slot_id)
    await session.delete(slot)
    await session.flush()
