"""Per-school summaries: the steering figures of each school, kept current from the events that
change them (`app.steering.summaries`), so that a directorate, an academy or the ministry sums
school rows instead of reading every mark and roll call.

Every row is keyed by its school (the schema stays distributable by school) and carries the
time it was computed (`as_of`). Figures of the school year are keyed by the year too, so a new
year starts from rows of its own.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    ARRAY,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db.base import Base

HISTOGRAM_BINS = 20
# The grade-entry counts a school's summary holds (`Completion`'s, late tests aside).
COMPLETION_COUNTS = ("tests", "expected", "entered", "submitted", "validated", "published")


class SummaryPart:
    """What a queued change asks to recompute: the school's figures, or one day's roll calls."""

    SCHOOL = "school"
    ATTENDANCE = "attendance"


def _school() -> Mapped[uuid.UUID]:
    return mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True)


def _as_of() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now())


class SchoolSummary(Base):
    """A school's counts of the year: classes, pupils, teachers, pending requests, grade
    entry."""

    __tablename__ = "school_summaries"

    school_id: Mapped[uuid.UUID] = _school()
    school_year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    classes: Mapped[int] = mapped_column(Integer)
    # Pupils in a class of the year (not left), in total, by gender and by cycle.
    pupils: Mapped[int] = mapped_column(Integer)
    pupils_male: Mapped[int] = mapped_column(Integer)
    pupils_female: Mapped[int] = mapped_column(Integer)
    pupils_primary: Mapped[int] = mapped_column(Integer)
    pupils_college: Mapped[int] = mapped_column(Integer)
    pupils_lycee: Mapped[int] = mapped_column(Integer)
    # Active teacher accounts; teachers assigned this year to classes of each cycle.
    teachers: Mapped[int] = mapped_column(Integer)
    teachers_primary: Mapped[int] = mapped_column(Integer)
    teachers_college: Mapped[int] = mapped_column(Integer)
    teachers_lycee: Mapped[int] = mapped_column(Integer)
    pending_justifications: Mapped[int] = mapped_column(Integer)
    pending_transfers: Mapped[int] = mapped_column(Integer)
    # Grade entry (`app.assessment.completion`), the late tests aside: see `SchoolDraftTests`.
    tests: Mapped[int] = mapped_column(Integer)
    expected: Mapped[int] = mapped_column(Integer)
    entered: Mapped[int] = mapped_column(Integer)
    submitted: Mapped[int] = mapped_column(Integer)
    validated: Mapped[int] = mapped_column(Integer)
    published: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[datetime] = _as_of()


class SchoolDraftTests(Base):
    """Draft tests by date: whether one is late depends on the day it is read, so the dates
    are kept rather than a count."""

    __tablename__ = "school_draft_tests"

    school_id: Mapped[uuid.UUID] = _school()
    school_year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    test_date: Mapped[date] = mapped_column(Date, primary_key=True)
    tests: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[datetime] = _as_of()


class SchoolAttendanceDay(Base):
    """One day's roll-call marks of the school, by status: any period is a sum of days."""

    __tablename__ = "school_attendance_days"
    __table_args__ = (Index("ix_school_attendance_days_lesson_date", "lesson_date"),)

    school_id: Mapped[uuid.UUID] = _school()
    lesson_date: Mapped[date] = mapped_column(Date, primary_key=True)
    marks: Mapped[int] = mapped_column(Integer)
    present: Mapped[int] = mapped_column(Integer)
    late: Mapped[int] = mapped_column(Integer)
    absent: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[datetime] = _as_of()


class _SubjectAverageLine:
    """A semester, level and subject's published marks: the pupils' subject averages counted,
    summed and binned, so a unit's mean and histogram are sums of lines."""

    __table_args__ = (
        CheckConstraint(
            f"cardinality(histogram) = {HISTOGRAM_BINS}", name="histogram_has_every_bin"
        ),
    )

    school_year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    semester: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    level_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    pupils: Mapped[int] = mapped_column(Integer)
    # The sum of the pupils' averages (each 2 decimals): the unit's mean is sum / pupils.
    total: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    histogram: Mapped[list[int]] = mapped_column(ARRAY(Integer))
    as_of: Mapped[datetime] = _as_of()


class SchoolSubjectAverage(_SubjectAverageLine, Base):
    """A school's lines of averages."""

    __tablename__ = "school_subject_averages"

    school_id: Mapped[uuid.UUID] = _school()
    subject_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("subjects.id"), primary_key=True, index=True
    )


class ProvinceSubjectAverage(_SubjectAverageLine, Base):
    """A directorate's lines: its schools' lines summed, rewritten with them in the same
    transaction, so an academy or the ministry sums about 80 directorates' lines, not the lines
    of thousands of schools. Keyed by the directorate, not by a school: a figure above the
    school, kept next to the school lines it sums (`docs/architecture.md`)."""

    __tablename__ = "province_subject_averages"

    province_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("provinces.id", ondelete="CASCADE"), primary_key=True
    )
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), primary_key=True)


class SummaryChange(Base):
    """A change to a school's figures not yet summarised, queued by the database's triggers on
    the tables the figures read (so no write path can forget it), and taken by the worker."""

    __tablename__ = "summary_queue"
    __table_args__ = (
        CheckConstraint("part IN ('school', 'attendance')", name="part_known"),
        CheckConstraint("(part = 'attendance') = (day IS NOT NULL)", name="day_for_attendance"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    part: Mapped[str] = mapped_column(String(16))
    day: Mapped[date | None] = mapped_column(Date)
    # The clock, not the transaction's start: a long transaction's change is queued when made.
    queued_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
