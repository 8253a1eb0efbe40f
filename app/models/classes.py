"""A school's people and structure for a year: classes, pupils and their enrolments,
teachers' files, teaching assignments and the weekly timetable."""

from __future__ import annotations

import uuid
from datetime import date, time

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    SmallInteger,
    String,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamps, UUIDPrimaryKey
from app.models.enums import Gender, checked

MASSAR_CODE_PATTERN = "^[A-Z][0-9]{9}$"


class SchoolClass(UUIDPrimaryKey, Timestamps, Base):
    """A class (قسم) of one school, year, level and stream, named like `2BACSPF-1`."""

    __tablename__ = "classes"
    __table_args__ = (
        UniqueConstraint("school_id", "school_year", "name"),
        # Referenced with the school so children rows cannot point across schools.
        UniqueConstraint("id", "school_id"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    school_year: Mapped[int] = mapped_column(SmallInteger, ForeignKey("school_years.year"))
    level_code: Mapped[str] = mapped_column(ForeignKey("levels.code"), index=True)
    stream_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("streams.id"), index=True)
    name: Mapped[str] = mapped_column(String(32))
    is_active: Mapped[bool] = mapped_column(default=True, server_default="true")


class Pupil(UUIDPrimaryKey, Timestamps, Base):
    """A pupil, known nationally by the Massar code; `school_id` is the current school."""

    __tablename__ = "pupils"
    __table_args__ = (
        CheckConstraint(f"massar_code ~ '{MASSAR_CODE_PATTERN}'", name="massar_code_format"),
        UniqueConstraint("id", "school_id"),
    )

    massar_code: Mapped[str] = mapped_column(String(10), unique=True)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    first_name_ar: Mapped[str] = mapped_column(String(100))
    last_name_ar: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date]
    birth_place: Mapped[str | None] = mapped_column(String(100))
    birth_place_ar: Mapped[str | None] = mapped_column(String(100))
    gender: Mapped[Gender] = mapped_column(checked(Gender, "gender"))
    # The pupil's own login, once activated.
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )


class Enrolment(UUIDPrimaryKey, Timestamps, Base):
    """A pupil in a class for a year. Rows are kept when a pupil leaves: that is the history."""

    __tablename__ = "enrolments"
    __table_args__ = (
        ForeignKeyConstraint(["class_id", "school_id"], ["classes.id", "classes.school_id"]),
        # One current class per pupil and year.
        Index(
            "uq_enrolments_current",
            "pupil_id",
            "school_year",
            unique=True,
            postgresql_where=text("left_on IS NULL"),
        ),
        CheckConstraint("left_on IS NULL OR left_on >= enrolled_on", name="dates_ordered"),
    )

    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupils.id"), index=True)
    class_id: Mapped[uuid.UUID] = mapped_column(index=True)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    school_year: Mapped[int] = mapped_column(SmallInteger, ForeignKey("school_years.year"))
    enrolled_on: Mapped[date]
    left_on: Mapped[date | None] = mapped_column(Date)


class TeacherProfile(Timestamps, Base):
    """A teacher's administrative file, one per teacher account."""

    __tablename__ = "teacher_profiles"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    # PPR: the civil-service staff number (رقم التأجير).
    ppr: Mapped[str] = mapped_column(String(12), unique=True)
    rank: Mapped[str] = mapped_column(String(120))
    specialty_subject_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("subjects.id"), index=True
    )
    hired_on: Mapped[date | None] = mapped_column(Date)


class TeachingAssignment(UUIDPrimaryKey, Timestamps, Base):
    """Who teaches which subject to which class in a year: the basis of a teacher's scope."""

    __tablename__ = "teaching_assignments"
    __table_args__ = (
        ForeignKeyConstraint(["class_id", "school_id"], ["classes.id", "classes.school_id"]),
        UniqueConstraint("school_id", "class_id", "subject_id"),
        Index("ix_teaching_assignments_teacher_year", "teacher_id", "school_year"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    school_year: Mapped[int] = mapped_column(SmallInteger, ForeignKey("school_years.year"))
    teacher_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    class_id: Mapped[uuid.UUID] = mapped_column(index=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)


class TimetableSlot(UUIDPrimaryKey, Timestamps, Base):
    """A weekly lesson: a class, a subject and its teacher, a weekday, a time and a room."""

    __tablename__ = "timetable_slots"
    __table_args__ = (
        ForeignKeyConstraint(["class_id", "school_id"], ["classes.id", "classes.school_id"]),
        CheckConstraint("weekday BETWEEN 1 AND 7", name="weekday_iso"),
        CheckConstraint("starts_at < ends_at", name="times_ordered"),
        Index("ix_timetable_slots_teacher_year", "teacher_id", "school_year"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    school_year: Mapped[int] = mapped_column(SmallInteger, ForeignKey("school_years.year"))
    class_id: Mapped[uuid.UUID] = mapped_column(index=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)
    teacher_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    weekday: Mapped[int] = mapped_column(SmallInteger)  # ISO: Monday is 1
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)
    room: Mapped[str | None] = mapped_column(String(40))
