"""The school calendar and curriculum: years, semesters, levels, streams, subjects,
coefficients and the units planned per level and subject. Reference data, shared by all
schools."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamps, UUIDPrimaryKey
from app.models.enums import Cycle, checked


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


class Level(Base):
    """A year of study: 1AP to 6AP, 1AC to 3AC, TC, 1BAC, 2BAC."""

    __tablename__ = "levels"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    cycle: Mapped[Cycle] = mapped_column(checked(Cycle, "cycle"))
    rank: Mapped[int] = mapped_column(SmallInteger, unique=True)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120))


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
