"""The integrated school project (projet d'établissement intégré, PEI): one plan per school and
school year, from a diagnosis to priority axes, objectives, actions and their indicators,
reviewed by the school's provincial directorate.  Every row carries `school_id` and its
project's id, so the whole plan loads in one statement per table and every scope is an indexed
equality.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db.base import Base, Timestamps, UUIDPrimaryKey, checked

TITLE_MAX = 300
TEXT_MAX = 4000
COMMENT_MAX = 2000
OWNER_LABEL_MAX = 120
UNIT_MAX = 40


class ProjectStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class ReviewAction(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"


class SchoolProject(UUIDPrimaryKey, Timestamps, Base):
    """A school's PEI for one school year (one per school and year)."""

    __tablename__ = "school_projects"
    __table_args__ = (UniqueConstraint("school_id", "school_year"),)

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    school_year: Mapped[int] = mapped_column(ForeignKey("school_years.year"), index=True)
    status: Mapped[ProjectStatus] = mapped_column(
        checked(ProjectStatus, "status"),
        default=ProjectStatus.DRAFT,
        server_default="draft",
        index=True,
    )
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    diagnosis: Mapped[str | None] = mapped_column(String(TEXT_MAX))
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class InProject:
    """A part of a project's plan: its school and its project, each indexed."""

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("school_projects.id", ondelete="CASCADE"), index=True
    )


class ProjectAxis(UUIDPrimaryKey, Timestamps, InProject, Base):
    """A priority axis (axe prioritaire) of the project."""

    __tablename__ = "school_project_axes"

    position: Mapped[int] = mapped_column(SmallInteger)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str | None] = mapped_column(String(TEXT_MAX))


class ProjectObjective(UUIDPrimaryKey, Timestamps, InProject, Base):
    """An objective under an axis."""

    __tablename__ = "school_project_objectives"

    axis_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("school_project_axes.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str | None] = mapped_column(String(TEXT_MAX))


class ProjectAction(UUIDPrimaryKey, Timestamps, Base):
    """An action serving an objective: who carries it, when, at what cost, how far it went."""

    __tablename__ = "school_project_actions"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates_ordered"),
        CheckConstraint("budget >= 0", name="budget_not_negative"),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),
        # A member of the school or a label ("Association des parents"), one of the two.
        CheckConstraint("num_nonnulls(owner_user_id, owner_label) = 1", name="one_owner"),
        Index("ix_school_project_actions_project_id_status", "project_id", "status"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("school_projects.id", ondelete="CASCADE")
    )
    objective_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("school_project_objectives.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    owner_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    owner_label: Mapped[str | None] = mapped_column(String(OWNER_LABEL_MAX))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    budget: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(0), server_default="0")
    status: Mapped[ActionStatus] = mapped_column(
        checked(ActionStatus, "status"), default=ActionStatus.PLANNED, server_default="planned"
    )
    progress: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")


class ProjectIndicator(UUIDPrimaryKey, Timestamps, InProject, Base):
    """A measure of an objective: where it started, where it should go, where it is."""

    __tablename__ = "school_project_indicators"

    objective_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("school_project_objectives.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(TITLE_MAX))
    unit: Mapped[str] = mapped_column(String(UNIT_MAX))
    baseline: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    target: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    actual: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))


class ProjectReview(UUIDPrimaryKey, Base):
    """One step of the review: submitted by the school, approved or returned by the
    directorate, with the comment given. Append-only: the project's history."""

    __tablename__ = "school_project_reviews"
    __table_args__ = (Index("ix_school_project_reviews_project_id_at", "project_id", "at"),)

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("school_projects.id", ondelete="CASCADE")
    )
    action: Mapped[ReviewAction] = mapped_column(checked(ReviewAction, "action"))
    comment: Mapped[str | None] = mapped_column(String(COMMENT_MAX))
    by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
