"""The lesson log: what a teacher taught in a class, the homework set, and how far the class
has come through the units planned for its level."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import CurriculumUnit, Lesson
from app.academics.schemas import (
    HomeworkOut,
    LessonChanges,
    LessonIn,
    LessonOut,
    Progress,
    UnitProgress,
)
from app.academics.teaching import taught_class
from app.core.security.principal import Principal
from app.errors import invalid
from app.sync.models import Tombstone
from app.sync.tombstones import Kind, deleted_ids


def lesson_out(lesson: Lesson) -> LessonOut:
    homework = (
        HomeworkOut(text=lesson.homework_text, due_date=lesson.homework_due_on)
        if lesson.homework_text and lesson.homework_due_on
        else None
    )
    return LessonOut.of(lesson, date=lesson.lesson_date, homework=homework)


async def log_lesson(
    session: AsyncSession,
    principal: Principal,
    class_id: uuid.UUID,
    entry: LessonIn,
    lesson_id: uuid.UUID | None = None,
) -> LessonOut:
    """Add an entry to the class's lesson log (`lesson_id` makes an offline replay a no-op)."""
    school_class = await taught_class(session, principal, class_id, entry.subject_id)
    if entry.date > school_today():
        raise invalid("body.date", "the lesson is in the future", "future_date")
    if entry.unit_id is not None:
        unit_matches = await session.scalar(
            select(CurriculumUnit.id).where(
                CurriculumUnit.id == entry.unit_id,
                CurriculumUnit.level_code == school_class.level_code,
                CurriculumUnit.subject_id == entry.subject_id,
            )
        )
        if unit_matches is None:
            raise invalid("body.unit_id", "not a unit of this level and subject", "unknown_unit")
    lesson = Lesson(
        id=lesson_id or uuid.uuid4(),
        **school_class.written_by(principal, entry.subject_id),
        unit_id=entry.unit_id,
        lesson_date=entry.date,
        title=entry.title,
        content=entry.content,
        homework_text=entry.homework.text if entry.homework else None,
        homework_due_on=entry.homework.due_date if entry.homework else None,
    )
    session.add(lesson)
    await session.flush()
    await session.refresh(lesson)
    return lesson_out(lesson)


async def list_lessons(
    session: AsyncSession,
    principal: Principal,
    class_id: uuid.UUID,
    *,
    subject_id: uuid.UUID | None = None,
    updated_since: datetime | None = None,
) -> list[LessonOut]:
    """The class's log for the subjects this teacher teaches in it, newest first."""
    school_class = await taught_class(session, principal, class_id, subject_id)
    subjects = [subject_id] if subject_id else list(school_class.subject_ids)
    statement = select(Lesson).where(
        # The class's year: one partition is read.
        Lesson.school_year == school_class.school_year,
        Lesson.school_id == school_class.school_id,
        Lesson.class_id == class_id,
        Lesson.subject_id.in_(subjects),
    )
    if updated_since is not None:
        statement = statement.where(Lesson.updated_at >= updated_since)
    lessons = await session.scalars(
        statement.order_by(Lesson.lesson_date.desc(), Lesson.created_at.desc())
    )
    return [lesson_out(lesson) for lesson in lessons]


async def lesson_changes(
    session: AsyncSession,
    principal: Principal,
    class_id: uuid.UUID,
    since: datetime,
    subject_id: uuid.UUID | None = None,
) -> LessonChanges:
    """The class's log entries for the teacher's subjects changed since then, and the ids of
    those deleted."""
    items = await list_lessons(
        session, principal, class_id, subject_id=subject_id, updated_since=since
    )
    school_class = await taught_class(session, principal, class_id, subject_id)
    subjects = [subject_id] if subject_id else list(school_class.subject_ids)
    deleted = await deleted_ids(
        session,
        Kind.LESSON,
        since,
        school_class.school_id,
        Tombstone.container_id == class_id,
        Tombstone.subject_id.in_(subjects),
    )
    return LessonChanges(items=items, deleted=deleted)


async def syllabus_progress(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID, subject_id: uuid.UUID
) -> Progress:
    """Lessons logged against the units planned for the class's level and subject."""
    school_class = await taught_class(session, principal, class_id, subject_id)
    logged = (
        select(
            Lesson.unit_id,
            func.count().label("lessons"),
            func.max(Lesson.lesson_date).label("last_taught_on"),
        )
        .where(
            Lesson.school_year == school_class.school_year,
            Lesson.school_id == school_class.school_id,
            Lesson.class_id == class_id,
            Lesson.subject_id == subject_id,
        )
        .group_by(Lesson.unit_id)
        .subquery()
    )
    units = (
        await session.execute(
            select(CurriculumUnit, logged.c.lessons, logged.c.last_taught_on)
            .outerjoin(logged, logged.c.unit_id == CurriculumUnit.id)
            .where(
                CurriculumUnit.level_code == school_class.level_code,
                CurriculumUnit.subject_id == subject_id,
            )
            .order_by(CurriculumUnit.rank)
        )
    ).all()
    without_unit = await session.scalar(
        select(func.coalesce(func.sum(logged.c.lessons), 0)).where(logged.c.unit_id.is_(None))
    )
    unit_rows = [
        UnitProgress(
            unit_id=unit.id,
            rank=unit.rank,
            title_fr=unit.title_fr,
            title_ar=unit.title_ar,
            lessons=lessons or 0,
            last_taught_on=last,
        )
        for unit, lessons, last in units
    ]
    return Progress(
        class_id=class_id,
        subject_id=subject_id,
        level_code=school_class.level_code,
        units_planned=len(unit_rows),
        units_covered=sum(1 for u in unit_rows if u.lessons),
        lessons_logged=sum(u.lessons for u in unit_rows) + int(without_unit or 0),
        lessons_without_unit=int(without_unit or 0),
        units=unit_rows,
    )
