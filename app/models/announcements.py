"""Announcements a school makes to its pupils and parents."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamps, UUIDPrimaryKey
from app.models.enums import Audience, checked


class Announcement(UUIDPrimaryKey, Timestamps, Base):
    """A notice to the whole school, one level, one class, or parents only."""

    __tablename__ = "announcements"
    __table_args__ = (
        ForeignKeyConstraint(["class_id", "school_id"], ["classes.id", "classes.school_id"]),
        CheckConstraint(
            "(audience = 'level') = (level_code IS NOT NULL)"
            " AND (audience = 'class') = (class_id IS NOT NULL)",
            name="target_matches_audience",
        ),
        Index("ix_announcements_school_published", "school_id", "published_at"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    audience: Mapped[Audience] = mapped_column(checked(Audience, "audience"))
    level_code: Mapped[str | None] = mapped_column(ForeignKey("levels.code"), index=True)
    class_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
