"""Continuous training (formation continue): programmes organised by a directorate, an academy or
the ministry, their sessions, the registrations of staff members, attendance per day and the
completion certificate.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db.base import Base, Timestamps, UUIDPrimaryKey, checked
from app.core.ownership import OwnedByUnit, owner_unit_constraints
from app.organisation.models import Cycle


class TrainingAudience(StrEnum):
    """Who a programme is for: teachers (of a subject, a level or a cycle) or school staff
    (directors, deputies, surveillance générale, secretaries)."""

    TEACHERS = "teachers"
    SCHOOL_STAFF = "school_staff"


class RegistrationStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class TrainingProgramme(UUIDPrimaryKey, Timestamps, OwnedByUnit, Base):
    """A programme of the training plan; a school never organises one (`school_id` stays
    null), so it reaches the schools beneath its organiser."""

    __tablename__ = "training_programmes"
    __table_args__ = (
        *owner_unit_constraints(),
        CheckConstraint("owner_level <> 'school'", name="organised_above_schools"),
        CheckConstraint(
            "audience = 'teachers' OR (subject_id IS NULL AND level_code IS NULL"
            " AND target_cycle IS NULL)",
            name="target_only_for_teachers",
        ),
        CheckConstraint("level_code IS NULL OR target_cycle IS NULL", name="level_or_cycle"),
    )

    theme: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(4000), default="", server_default="")
    audience: Mapped[TrainingAudience] = mapped_column(checked(TrainingAudience, "audience"))
    subject_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("subjects.id"), index=True)
    level_code: Mapped[str | None] = mapped_column(ForeignKey("levels.code"), index=True)
    target_cycle: Mapped[Cycle | None] = mapped_column(checked(Cycle, "target_cycle"))
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)


class TrainingSession(UUIDPrimaryKey, Timestamps, Base):
    """One run of a programme: every date from `starts_on` to `ends_on` is a training day of
    `hours_per_day` hours."""

    __tablename__ = "training_sessions"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates_ordered"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("hours_per_day BETWEEN 1 AND 12", name="hours_per_day_range"),
    )

    programme_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_programmes.id"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(SmallInteger)
    trainer_name: Mapped[str] = mapped_column(String(120))
    hours_per_day: Mapped[int] = mapped_column(SmallInteger)


class TrainingRegistration(UUIDPrimaryKey, Timestamps, Base):
    """A staff member's place in a session; `school_id` is the staff member's school, so the
    school and its steering units find their people's registrations by an indexed equality."""

    __tablename__ = "training_registrations"
    __table_args__ = (
        UniqueConstraint("school_id", "session_id", "user_id"),
        # The target of the attendance's key, which carries the school (shardable by school).
        UniqueConstraint("id", "school_id"),
        CheckConstraint(
            "(status = 'completed') = (completed_on IS NOT NULL)", name="completed_has_date"
        ),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training_sessions.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(
        checked(RegistrationStatus, "status"), index=True
    )
    requested_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refusal_reason: Mapped[str | None] = mapped_column(String(500))
    completed_on: Mapped[date | None] = mapped_column(Date)
    completed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)


class TrainingAttendance(UUIDPrimaryKey, Timestamps, Base):
    """Present or absent, one row per registration and training day."""

    __tablename__ = "training_attendance"
    __table_args__ = (
        UniqueConstraint("school_id", "registration_id", "day"),
        Index("ix_training_attendance_registration_id", "registration_id"),
        ForeignKeyConstraint(
            ["registration_id", "school_id"],
            ["training_registrations.id", "training_registrations.school_id"],
        ),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    registration_id: Mapped[uuid.UUID] = mapped_column()
    day: Mapped[date] = mapped_column(Date)
    present: Mapped[bool] = mapped_column(Boolean)
    recorded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
