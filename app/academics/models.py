"""The academic frame and a school's structure: years, semesters, levels, streams, subjects and
curriculum; classes, pupils, enrolments, teachers, their assignments and timetable; the lesson
log; transfers between schools.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
    func,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.core.db.base import (
    Base,
    InYearPartition,
    Timestamps,
    UUIDPrimaryKey,
    checked,
    year_partitioned,
)
from app.organisation.models import Cycle


class Gender(StrEnum):
    MALE = "M"
    FEMALE = "F"


class TransferStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class SchoolYear(Timestamps, Base):
    """A school year, identified by the year it starts in (2025 is 2025/2026)."""

    __tablename__ = "school_years"
    __table_args__ = (
        CheckConstraint("starts_on < ends_on", name="dates_ordered"),
        # At most one current year.
        Index(
            "uq_school_years_current",
            "is_current",
            unique=True,
            postgresql_where=text("is_current"),
        ),
    )

    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    is_current: Mapped[bool] = mapped_column(default=False, server_default="false")
    # Planned until the ministry starts it; closed (its marks and roll calls frozen, by the
    # database: `school_year_is_closed`) after its end.
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Semester(Base):
    """One of the two semesters (الدورة الأولى / الثانية) of a school year."""

    __tablename__ = "semesters"
    __table_args__ = (
        CheckConstraint("number IN (1, 2)", name="number_known"),
        CheckConstraint("starts_on < ends_on", name="dates_ordered"),
    )

    school_year: Mapped[int] = mapped_column(
        SmallInteger, ForeignKey("school_years.year", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    starts_on: Mapped[date]
    ends_on: Mapped[date]


class CalendarPeriod(UUIDPrimaryKey):
    """Days of a school year set by the ministry (`academy_id` NULL) or by an academy for its
    region; an academy's row may replace one of the ministry's (`replaces_id`), its dates
    shifted inside the year. Both days are included."""

    school_year: Mapped[int] = mapped_column(
        SmallInteger, ForeignKey("school_years.year", ondelete="CASCADE")
    )
    academy_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("academies.id", ondelete="CASCADE"), index=True
    )
    name_fr: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date]
    ends_on: Mapped[date]

    __tablename__: str

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:  # noqa: N805  (a class attribute, per class)
        return (
            CheckConstraint("starts_on <= ends_on", name="dates_ordered"),
            Index(f"ix_{cls.__tablename__}_year", "school_year", "starts_on"),
        )

    @declared_attr
    def replaces_id(cls) -> Mapped[uuid.UUID | None]:  # noqa: N805  (its own table's rows)
        return mapped_column(ForeignKey(f"{cls.__tablename__}.id", ondelete="CASCADE"), index=True)


class Holiday(CalendarPeriod, Base):
    """A school holiday (عطلة): no classes."""

    __tablename__ = "school_holidays"


class ExamPeriod(CalendarPeriod, Base):
    """A period of exams (local, regional or national)."""

    __tablename__ = "exam_periods"


class Level(Base):
    """A year of study: 1AP to 6AP, 1AC to 3AC, TC, 1BAC, 2BAC.

    `max_mark` is the level's scale: primary marks out of 10 (pass line 5), collège and lycée
    out of 20 (pass line 10). Marks, averages and exam results of the level follow it."""

    __tablename__ = "levels"
    __table_args__ = (CheckConstraint("max_mark IN (10, 20)", name="scale_known"),)

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    cycle: Mapped[Cycle] = mapped_column(checked(Cycle, "cycle"))
    rank: Mapped[int] = mapped_column(SmallInteger, unique=True)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120))
    max_mark: Mapped[int] = mapped_column(SmallInteger, server_default="20")

    @property
    def pass_mark(self) -> int:
        """The pass line: half the scale."""
        return self.max_mark // 2


class Stream(UUIDPrimaryKey, Base):
    """A lycée stream (filière) of one level, e.g. 2BAC SPF (sciences physiques, option
    française)."""

    __tablename__ = "streams"
    __table_args__ = (UniqueConstraint("level_code", "code"),)

    level_code: Mapped[str] = mapped_column(ForeignKey("levels.code"), index=True)
    code: Mapped[str] = mapped_column(String(12))
    name_fr: Mapped[str] = mapped_column(String(160))
    name_ar: Mapped[str] = mapped_column(String(160))


class Subject(UUIDPrimaryKey, Base):
    __tablename__ = "subjects"

    code: Mapped[str] = mapped_column(String(12), unique=True)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120))


class SubjectCoefficient(UUIDPrimaryKey, Base):
    """The weight of a subject in the semester average, for a level (and stream)."""

    __tablename__ = "subject_coefficients"
    __table_args__ = (
        UniqueConstraint(
            "level_code", "stream_id", "subject_id", postgresql_nulls_not_distinct=True
        ),
        CheckConstraint("coefficient > 0", name="positive"),
    )

    level_code: Mapped[str] = mapped_column(ForeignKey("levels.code"))
    stream_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("streams.id"), index=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)
    coefficient: Mapped[Decimal] = mapped_column(Numeric(4, 2))


class CurriculumUnit(UUIDPrimaryKey, Base):
    """A unit (chapter) planned for a level and subject, in teaching order."""

    __tablename__ = "curriculum_units"
    __table_args__ = (UniqueConstraint("level_code", "subject_id", "rank"),)

    level_code: Mapped[str] = mapped_column(ForeignKey("levels.code"))
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)
    rank: Mapped[int] = mapped_column(SmallInteger)
    title_fr: Mapped[str] = mapped_column(String(200))
    title_ar: Mapped[str] = mapped_column(String(200))


MASSAR_CODE_PATTERN = "^[A-Z][0-9]{9}$"


class InSchoolYear:
    """The school and the school year of a row of a year's work: a class, an enrolment, a
    teaching assignment or slot, a lesson, a test, a roll call."""

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    school_year: Mapped[int] = mapped_column(SmallInteger, ForeignKey("school_years.year"))


class SchoolClass(UUIDPrimaryKey, Timestamps, InSchoolYear, Base):
    """A class (قسم) of one school, year, level and stream, named like `2BACSPF-1`."""

    __tablename__ = "classes"
    __table_args__ = (
        UniqueConstraint("school_id", "school_year", "name"),
        # Referenced with the school so children rows cannot point across schools.
        UniqueConstraint("id", "school_id"),
    )

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


class Enrolment(UUIDPrimaryKey, Timestamps, InSchoolYear, Base):
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


class TeachingAssignment(UUIDPrimaryKey, Timestamps, InSchoolYear, Base):
    """Who teaches which subject to which class in a year: the basis of a teacher's scope."""

    __tablename__ = "teaching_assignments"
    __table_args__ = (
        ForeignKeyConstraint(["class_id", "school_id"], ["classes.id", "classes.school_id"]),
        UniqueConstraint("school_id", "class_id", "subject_id"),
        Index("ix_teaching_assignments_teacher_year", "teacher_id", "school_year"),
    )

    teacher_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    class_id: Mapped[uuid.UUID] = mapped_column(index=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)


class TimetableSlot(UUIDPrimaryKey, Timestamps, InSchoolYear, Base):
    """A weekly lesson: a class, a subject and its teacher, a weekday, a time and a room."""

    __tablename__ = "timetable_slots"
    __table_args__ = (
        ForeignKeyConstraint(["class_id", "school_id"], ["classes.id", "classes.school_id"]),
        CheckConstraint("weekday BETWEEN 1 AND 7", name="weekday_iso"),
        CheckConstraint("starts_at < ends_at", name="times_ordered"),
        Index("ix_timetable_slots_teacher_year", "teacher_id", "school_year"),
        # Double bookings are refused by the database too, so two adds at once cannot both
        # pass the service's check (`timerange` is a range of times, made by the migration).
        *(
            ExcludeConstraint(
                *((column, "=") for column in columns),
                ("school_year", "="),
                ("weekday", "="),
                (func.timerange(literal_column("starts_at"), literal_column("ends_at")), "&&"),
                name=f"no_{busy}_double_booking",
                using="gist",
                where=where,
            )
            for busy, columns, where in (
                ("teacher", ("teacher_id",), None),
                ("class", ("class_id",), None),
                ("room", ("school_id", "room"), literal_column("room IS NOT NULL")),
            )
        ),
    )

    class_id: Mapped[uuid.UUID] = mapped_column(index=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)
    teacher_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    weekday: Mapped[int] = mapped_column(SmallInteger)  # ISO: Monday is 1
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)
    room: Mapped[str | None] = mapped_column(String(40))


class Lesson(InYearPartition, Timestamps, InSchoolYear, Base):
    """One entry of a class's lesson log for a subject."""

    __tablename__ = "lessons"
    __table_args__ = (
        ForeignKeyConstraint(["class_id", "school_id"], ["classes.id", "classes.school_id"]),
        Index("ix_lessons_class_subject_date", "class_id", "subject_id", "lesson_date"),
        Index("ix_lessons_homework_due", "class_id", "homework_due_on"),
        *year_partitioned(),
    )

    class_id: Mapped[uuid.UUID]
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)
    teacher_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("curriculum_units.id"), index=True)
    lesson_date: Mapped[date]
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    homework_text: Mapped[str | None] = mapped_column(Text)
    homework_due_on: Mapped[date | None] = mapped_column(Date)


class Transfer(UUIDPrimaryKey, Timestamps, Base):
    """`school_id` is the sending school; `to_school_id` the receiving one."""

    __tablename__ = "transfers"
    __table_args__ = (
        # One open request per pupil at a time.
        Index(
            "uq_transfers_pending_pupil",
            "pupil_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
    )

    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupils.id"), index=True)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    to_school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    status: Mapped[TransferStatus] = mapped_column(
        checked(TransferStatus, "status"), default=TransferStatus.PENDING, server_default="pending"
    )
    reason: Mapped[str | None] = mapped_column(String(500))
    requested_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refusal_reason: Mapped[str | None] = mapped_column(String(500))
