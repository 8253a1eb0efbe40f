"""Attendance taken by teachers, one sheet per lesson. A big table: rows carry the school year
so that it can be partitioned by year."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    SmallInteger,
    String,
    Time,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamps, UUIDPrimaryKey
from app.models.enums import AttendanceStatus, checked


class AttendanceSheet(UUIDPrimaryKey, Timestamps, Base):
    """One lesson's roll call: a class, a subject, a date and a start time."""

    __tablename__ = "attendance_sheets"
    __table_args__ = (
        ForeignKeyConstraint(["class_id", "school_id"], ["classes.id", "classes.school_id"]),
        UniqueConstraint("school_id", "class_id", "lesson_date", "starts_at", "subject_id"),
        UniqueConstraint("id", "school_id"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    school_year: Mapped[int] = mapped_column(SmallInteger, ForeignKey("school_years.year"))
    class_id: Mapped[uuid.UUID] = mapped_column(index=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)
    teacher_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    lesson_date: Mapped[date]
    starts_at: Mapped[time] = mapped_column(Time)


class AttendanceMark(UUIDPrimaryKey, Base):
    """A pupil's status in one lesson: present, absent, or late by some minutes."""

    __tablename__ = "attendance_marks"
    __table_args__ = (
        ForeignKeyConstraint(
            ["sheet_id", "school_id"],
            ["attendance_sheets.id", "attendance_sheets.school_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("school_id", "sheet_id", "pupil_id"),
        # Referenced with the school by the justifications that cover an absence.
        UniqueConstraint("id", "school_id"),
        CheckConstraint("minutes_late IS NULL OR status = 'late'", name="minutes_only_when_late"),
        CheckConstraint("minutes_late IS NULL OR minutes_late BETWEEN 1 AND 240", name="minutes"),
        Index("ix_attendance_marks_pupil_year", "pupil_id", "school_year"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    school_year: Mapped[int] = mapped_column(SmallInteger)
    sheet_id: Mapped[uuid.UUID] = mapped_column(index=True)
    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupils.id"))
    status: Mapped[AttendanceStatus] = mapped_column(checked(AttendanceStatus, "status"))
    minutes_late: Mapped[int | None] = mapped_column(SmallInteger)
    note: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
