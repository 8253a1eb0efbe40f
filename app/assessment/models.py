"""Continuous assessment: the tests a teacher schedules and the marks they enter.  `marks` is the
biggest table of the system (hundreds of millions of rows a semester): rows carry the school
year for partitioning and the school for distribution.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.academics.models import InSchoolYear
from app.core.db.base import (
    Base,
    InYearPartition,
    Timestamps,
    UUIDPrimaryKey,
    checked,
    part_of,
    year_partitioned,
)


class TestKind(StrEnum):
    """The five marks of a subject per semester: four tests (الفرض) and integrated activities."""

    __test__ = False  # a school test, not a pytest one

    TEST_1 = "test_1"
    TEST_2 = "test_2"
    TEST_3 = "test_3"
    TEST_4 = "test_4"
    INTEGRATED_ACTIVITIES = "integrated_activities"


class TestStatus(StrEnum):
    """Marks go from the teacher (draft, submitted) to the director (validated), then out."""

    __test__ = False  # a school test, not a pytest one

    DRAFT = "draft"
    SUBMITTED = "submitted"
    VALIDATED = "validated"
    PUBLISHED = "published"


class SubjectComponent(UUIDPrimaryKey, Base):
    """A part of a primary subject marked on its own (Arabic: oral communication, reading,
    writing). The subject's average is the mean of its components' averages (`averages.py`)."""

    __tablename__ = "subject_components"
    __table_args__ = (
        UniqueConstraint("subject_id", "code"),
        # Target of the tests' (component, subject) key: a test's component is of its subject.
        UniqueConstraint("id", "subject_id"),
    )

    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"))
    code: Mapped[str] = mapped_column(String(16))
    rank: Mapped[int] = mapped_column(SmallInteger)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120))


class ClassTest(UUIDPrimaryKey, Timestamps, InSchoolYear, Base):
    """A test (فرض) or the integrated-activities mark of a class, subject and semester, on the
    whole subject or (primary) on one of its components."""

    __tablename__ = "class_tests"
    __table_args__ = (
        ForeignKeyConstraint(["class_id", "school_id"], ["classes.id", "classes.school_id"]),
        ForeignKeyConstraint(
            ["component_id", "subject_id"],
            ["subject_components.id", "subject_components.subject_id"],
        ),
        # Each kind once per class, subject (or component) and semester.
        UniqueConstraint(
            "school_id",
            "class_id",
            "subject_id",
            "component_id",
            "semester",
            "kind",
            name="uq_class_tests_kind_once",
            postgresql_nulls_not_distinct=True,
        ),
        UniqueConstraint("id", "school_id"),
        CheckConstraint("semester IN (1, 2)", name="semester_known"),
        Index("ix_class_tests_teacher_year", "teacher_id", "school_year"),
        Index("ix_class_tests_component_id_subject_id", "component_id", "subject_id"),
    )

    class_id: Mapped[uuid.UUID] = mapped_column(index=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)
    component_id: Mapped[uuid.UUID | None]
    teacher_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    semester: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[TestKind] = mapped_column(checked(TestKind, "kind"))
    test_date: Mapped[date]
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[TestStatus] = mapped_column(
        checked(TestStatus, "status"), default=TestStatus.DRAFT, server_default="draft", index=True
    )
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    validated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    validated_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Why the director sent the marks back (shown to the teacher until resubmitted).
    return_reason: Mapped[str | None] = mapped_column(String(500))


class Mark(InYearPartition, Base):
    """A pupil's mark in a test, or their absence from it. The mark is on the scale of the
    class's level (`levels.max_mark`: 10 in primary, 20 above): the CHECK below is the widest
    scale, and the trigger `marks_follow_their_test` refuses a mark above its level's."""

    __tablename__ = "marks"
    __table_args__ = (
        part_of("test_id", "class_tests"),
        UniqueConstraint("school_id", "test_id", "pupil_id", "school_year"),
        CheckConstraint("mark >= 0 AND mark <= 20", name="out_of_20"),
        CheckConstraint("NOT (absent AND mark IS NOT NULL)", name="absent_has_no_mark"),
        Index("ix_marks_pupil_year", "pupil_id", "school_year"),
        *year_partitioned(),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    school_year: Mapped[int] = mapped_column(SmallInteger)
    test_id: Mapped[uuid.UUID] = mapped_column(index=True)
    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupils.id"))
    mark: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    absent: Mapped[bool] = mapped_column(default=False, server_default="false")
    remark: Mapped[str | None] = mapped_column(String(300))
    updated_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MarkCorrection(UUIDPrimaryKey, Base):
    """The audit trail of a validated mark changed by the school: before, after, who, why."""

    __tablename__ = "mark_corrections"
    __table_args__ = (
        ForeignKeyConstraint(
            ["mark_id", "school_year"], ["marks.id", "marks.school_year"], ondelete="CASCADE"
        ),
        Index("ix_mark_corrections_mark", "mark_id"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    mark_id: Mapped[uuid.UUID]
    # The mark's year: the correction goes with its mark's partition when a year is archived.
    school_year: Mapped[int] = mapped_column(SmallInteger)
    old_mark: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    old_absent: Mapped[bool]
    new_mark: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    new_absent: Mapped[bool]
    reason: Mapped[str] = mapped_column(String(500))
    corrected_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    corrected_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class PublishedMarks(Base):
    """A pupil's published marks and averages of one semester: the very JSON the pupil and
    parent apps read, rendered when the class's marks are published or corrected (the only
    times published marks change), so results day reads one row by its key.

    `version` comes from a sequence and never repeats, even after a snapshot is dropped and
    rebuilt, so it serves as the strong ETag. `school_id` is in the key for distribution."""

    __tablename__ = "published_marks"
    __table_args__ = (
        ForeignKeyConstraint(
            ["class_id", "school_id"], ["classes.id", "classes.school_id"], ondelete="CASCADE"
        ),
        Index("ix_published_marks_class", "class_id", "semester"),
    )

    pupil_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("pupils.id", ondelete="CASCADE"), primary_key=True
    )
    school_year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    semester: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    school_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("schools.id"), primary_key=True, index=True
    )
    # The class the document was built for (where the pupil sat in that year).
    class_id: Mapped[uuid.UUID]
    version: Mapped[int] = mapped_column(BigInteger)
    document: Mapped[str] = mapped_column(Text)
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
