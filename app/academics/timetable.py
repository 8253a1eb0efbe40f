"""Weekly timetables, dated for an ISO week: one query whoever is looking."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_year, week_days
from app.academics.models import SchoolClass, Stream, Subject, TimetableSlot
from app.academics.schemas import ClassRef, SubjectRef, TimetableEntry, Week


async def week_of(
    session: AsyncSession, which_slots: ColumnElement[bool], iso_week: str | None
) -> Week:
    """This year's slots matching `which_slots` (a teacher's, a class's), dated for the week."""
    days = week_days(iso_week)
    rows = await session.execute(
        select(
            TimetableSlot,
            SchoolClass.name,
            SchoolClass.level_code,
            Stream.code.label("stream_code"),
            Subject,
        )
        .join(SchoolClass, SchoolClass.id == TimetableSlot.class_id)
        .join(Subject, Subject.id == TimetableSlot.subject_id)
        .outerjoin(Stream, Stream.id == SchoolClass.stream_id)
        .where(which_slots, TimetableSlot.school_year == current_year())
        .order_by(TimetableSlot.weekday, TimetableSlot.starts_at)
    )
    entries = [
        TimetableEntry(
            slot_id=r.TimetableSlot.id,
            date=days[r.TimetableSlot.weekday - 1],
            weekday=r.TimetableSlot.weekday,
            starts_at=r.TimetableSlot.starts_at,
            ends_at=r.TimetableSlot.ends_at,
            room=r.TimetableSlot.room,
            school_class=ClassRef.of(r, id=r.TimetableSlot.class_id),
            subject=SubjectRef.model_validate(r.Subject),
        )
        for r in rows
    ]
    monday: date = days[0]
    iso_year, iso_week_number, _ = monday.isocalendar()
    return Week(week=f"{iso_year}-W{iso_week_number:02d}", days=days, entries=entries)
