"""Diagnostic and remedial tests (évaluation diagnostique et soutien): a test defined for a level
and subject by the ministry, an academy or a directorate, made of competencies; each pupil's
score per competency; remedial groups (groupes de soutien) built from the results, their
sessions and attendance.  A score is out of 100 per competency; a competency is mastered
(acquise) when the score reaches the test's `mastery_threshold`. A post-test (évaluation post-
remédiation) reuses the competencies of its diagnostic test, so progress is post-test score
minus diagnostic score.
"""

from __future__ import annotations

import uuid
from datetime import date, time
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
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

from app.core.db.base import Base, Timestamps, UUIDPrimaryKey, checked
from app.core.ownership import OwnedByUnit, owner_unit_constraints


class DiagnosticKind(StrEnum):
    DIAGNOSTIC = "diagnostic"  # start of year
    POST_TEST = "post_test"  # after remediation, on the diagnostic's competencies


class RemedialGroupStatus(StrEnum):
    CONFIRMED = "confirmed"
    CLOSED = "closed"


class DiagnosticTest(UUIDPrimaryKey, Timestamps, OwnedByUnit, Base):
    """A test definition for one level and subject of a school year, owned by a unit."""

    __tablename__ = "diagnostic_tests"
    __table_args__ = (
        *owner_unit_constraints(),
        CheckConstraint(
            "(kind = 'post_test') = (diagnostic_id IS NOT NULL)", name="post_test_has_diagnostic"
        ),
        CheckConstraint("mastery_threshold BETWEEN 1 AND 100", name="threshold_in_range"),
        # One post-test per diagnostic test.
        Index(
            "uq_diagnostic_tests_post_test",
            "diagnostic_id",
            unique=True,
            postgresql_where=text("diagnostic_id IS NOT NULL"),
        ),
    )

    school_year: Mapped[int] = mapped_column(
        SmallInteger, ForeignKey("school_years.year"), index=True
    )
    level_code: Mapped[str] = mapped_column(ForeignKey("levels.code"), index=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)
    kind: Mapped[DiagnosticKind] = mapped_column(checked(DiagnosticKind, "kind"))
    diagnostic_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("diagnostic_tests.id"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    mastery_threshold: Mapped[int] = mapped_column(SmallInteger)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)


class DiagnosticCompetency(UUIDPrimaryKey, Base):
    """A competency assessed by a diagnostic test (and by its post-test), in order."""

    __tablename__ = "diagnostic_competencies"
    __table_args__ = (
        UniqueConstraint("test_id", "code"),
        UniqueConstraint("test_id", "rank"),
    )

    test_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("diagnostic_tests.id", ondelete="CASCADE")
    )
    rank: Mapped[int] = mapped_column(SmallInteger)
    code: Mapped[str] = mapped_column(String(20))
    label_fr: Mapped[str] = mapped_column(String(200))
    label_ar: Mapped[str] = mapped_column(String(200))


class DiagnosticResult(UUIDPrimaryKey, Timestamps, Base):
    """A pupil's score on one competency of a test, entered in a class; or their absence."""

    __tablename__ = "diagnostic_results"
    __table_args__ = (
        ForeignKeyConstraint(["class_id", "school_id"], ["classes.id", "classes.school_id"]),
        UniqueConstraint("school_id", "test_id", "competency_id", "pupil_id"),
        CheckConstraint("score BETWEEN 0 AND 100", name="score_in_range"),
        CheckConstraint("absent = (score IS NULL)", name="score_or_absent"),
        Index("ix_diagnostic_results_test_class", "test_id", "class_id"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    test_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("diagnostic_tests.id"))
    competency_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("diagnostic_competencies.id"), index=True
    )
    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupils.id"), index=True)
    class_id: Mapped[uuid.UUID] = mapped_column(index=True)
    score: Mapped[int | None] = mapped_column(SmallInteger)
    absent: Mapped[bool] = mapped_column(default=False, server_default="false")
    updated_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)


class RemedialGroup(UUIDPrimaryKey, Timestamps, Base):
    """A remedial group (groupe de soutien) of a class on one competency of a diagnostic."""

    __tablename__ = "remedial_groups"
    __table_args__ = (
        ForeignKeyConstraint(["class_id", "school_id"], ["classes.id", "classes.school_id"]),
        UniqueConstraint("school_id", "class_id", "name"),
        UniqueConstraint("id", "school_id"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    class_id: Mapped[uuid.UUID] = mapped_column(index=True)
    test_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("diagnostic_tests.id"), index=True)
    competency_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("diagnostic_competencies.id"), index=True
    )
    teacher_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    status: Mapped[RemedialGroupStatus] = mapped_column(
        checked(RemedialGroupStatus, "status"),
        default=RemedialGroupStatus.CONFIRMED,
        server_default="confirmed",
    )


class RemedialGroupMember(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "remedial_group_members"
    __table_args__ = (
        ForeignKeyConstraint(
            ["group_id", "school_id"],
            ["remedial_groups.id", "remedial_groups.school_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("school_id", "group_id", "pupil_id"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    group_id: Mapped[uuid.UUID] = mapped_column(index=True)
    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupils.id"), index=True)


class RemedialSession(UUIDPrimaryKey, Timestamps, Base):
    """A remedial session (séance de soutien): a date, times and a place."""

    __tablename__ = "remedial_sessions"
    __table_args__ = (
        ForeignKeyConstraint(
            ["group_id", "school_id"],
            ["remedial_groups.id", "remedial_groups.school_id"],
            ondelete="CASCADE",
        ),
        CheckConstraint("starts_at < ends_at", name="times_ordered"),
        UniqueConstraint("id", "school_id"),
        Index("ix_remedial_sessions_group_date", "group_id", "session_date"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    group_id: Mapped[uuid.UUID] = mapped_column()
    session_date: Mapped[date]
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)
    place: Mapped[str] = mapped_column(String(120))


class RemedialAttendance(UUIDPrimaryKey, Timestamps, Base):
    """Whether a member attended a remedial session."""

    __tablename__ = "remedial_attendance"
    __table_args__ = (
        ForeignKeyConstraint(
            ["session_id", "school_id"],
            ["remedial_sessions.id", "remedial_sessions.school_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("school_id", "session_id", "pupil_id"),
        Index("ix_remedial_attendance_session_id", "session_id"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    session_id: Mapped[uuid.UUID] = mapped_column()
    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupils.id"), index=True)
    present: Mapped[bool]
