"""Weekly timetables, dated for an ISO week: one query whoever is looking."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_year, week_days
from app.academics.models import SchoolClass, Stream, Subject, TimetableSlot
from app.academics.schemas import ClassRef, SubjectRef, TimetableEntry, Week
from app.core.db.prepared import Columns

# A subject as columns of a wider row, read back by `subject_of`.
SUBJECT_COLUMNS = (
    Subject.id.label("subject_id"),
    Subject.code.label("subject_code"),
    Subject.name_fr.label("subject_name_fr"),
    Subject.name_ar.label("subject_name_ar"),
)


def slots_of(which_slots: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    """This year's slots matching `which_slots` (a teacher's, a class's), in weekly order, with
    their class and subject as columns."""
    return (
        select(
            TimetableSlot.id.label("slot_id"),
            TimetableSlot.weekday,
            TimetableSlot.starts_at,
            TimetableSlot.ends_at,
            TimetableSlot.room,
            TimetableSlot.class_id,
            SchoolClass.name.label("class_name"),
            SchoolClass.level_code,
            Stream.code.label("stream_code"),
            *SUBJECT_COLUMNS,
        )
        .join(SchoolClass, SchoolClass.id == TimetableSlot.class_id)
        .join(Subject, Subject.id == TimetableSlot.subject_id)
        .outerjoin(Stream, Stream.id == SchoolClass.stream_id)
        .where(which_slots, TimetableSlot.school_year == current_year())
        .order_by(TimetableSlot.weekday, TimetableSlot.starts_at)
    )


async def week_of(
    session: AsyncSession, which_slots: ColumnElement[bool], iso_week: str | None
) -> Week:
    """This year's slots matching `which_slots` (a teacher's, a class's), dated for the week."""
    days = week_days(iso_week)  # a malformed week answers 422 before any query
    rows = (await session.execute(slots_of(which_slots))).mappings().all()
    return dated_week(rows, days)


def dated_week(rows: Sequence[Columns], days: list[date]) -> Week:
    """The rows of `slots_of`, dated for the week of `days`."""
    entries = [
        TimetableEntry(
            slot_id=row["slot_id"],
            date=days[row["weekday"] - 1],
            weekday=row["weekday"],
            starts_at=row["starts_at"],
            ends_at=row["ends_at"],
            room=row["room"],
            school_class=ClassRef(
                id=row["class_id"],
                name=row["class_name"],
                level_code=row["level_code"],
                stream_code=row["stream_code"],
            ),
            subject=subject_of(row),
        )
        for row in rows
    ]
    monday: date = days[0]
    iso_year, iso_week_number, _ = monday.isocalendar()
    return Week(week=f"{iso_year}-W{iso_week_number:02d}", days=days, entries=entries)


def subject_of(row: Columns) -> SubjectRef:
    """The `SUBJECT_COLUMNS` of a row as a reference."""
    return SubjectRef(
        id=row["subject_id"],
        code=row["subject_code"],
        name_fr=row["subject_name_fr"],
        name_ar=row["subject_name_ar"],
    )
