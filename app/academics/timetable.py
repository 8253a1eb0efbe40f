"""Weekly timetables, dated for an ISO week: one query whoever is looking."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import week_days
from app.academics.models import SchoolClass, TimetableSlot
from app.academics.reference import ReferenceData
from app.academics.schemas import ClassRef, TimetableEntry, Week


async def week_of(
    session: AsyncSession,
    which_slots: ColumnElement[bool],
    iso_week: str | None,
    reference: ReferenceData,
) -> Week:
    """This year's slots matching `which_slots` (a teacher's, a class's), dated for the week;
    subjects and streams come from the reference data, not the statement."""
    days = week_days(iso_week)
    rows: Sequence[Any] = ()
    if reference.current is not None:
        rows = (
            await session.execute(
                select(
                    TimetableSlot.id,
                    TimetableSlot.weekday,
                    TimetableSlot.starts_at,
                    TimetableSlot.ends_at,
                    TimetableSlot.room,
                    TimetableSlot.class_id,
                    TimetableSlot.subject_id,
                    SchoolClass.name,
                    SchoolClass.level_code,
                    SchoolClass.stream_id,
                )
                .join(SchoolClass, SchoolClass.id == TimetableSlot.class_id)
                .where(which_slots, TimetableSlot.school_year == reference.current)
                .order_by(TimetableSlot.weekday, TimetableSlot.starts_at)
            )
        ).all()
    reference = await reference.covering(
        session, (r.subject_id for r in rows), (r.stream_id for r in rows)
    )
    entries = [
        TimetableEntry(
            slot_id=r.id,
            date=days[r.weekday - 1],
            weekday=r.weekday,
            starts_at=r.starts_at,
            ends_at=r.ends_at,
            room=r.room,
            school_class=ClassRef(
                id=r.class_id,
                name=r.name,
                level_code=r.level_code,
                stream_code=reference.stream_codes.get(r.stream_id) if r.stream_id else None,
            ),
            subject=reference.subjects[r.subject_id],
        )
        for r in rows
    ]
    monday: date = days[0]
    iso_year, iso_week_number, _ = monday.isocalendar()
    return Week(week=f"{iso_year}-W{iso_week_number:02d}", days=days, entries=entries)
