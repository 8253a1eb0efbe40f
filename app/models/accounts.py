"""Accounts, their login sessions and refresh tokens, and guardian links."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    LargeBinary,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamps, UUIDPrimaryKey
from app.models.enums import Kinship, Role, StaffTitle, checked
from app.models.units import place_foreign_keys

# Which scope columns each role fills: the account's place in the hierarchy.
_SCOPE_BY_ROLE = """
(role IN ('student', 'teacher', 'school_staff')
    AND school_id IS NOT NULL AND province_id IS NOT NULL AND academy_id IS NOT NULL)
OR (role = 'province_staff'
    AND school_id IS NULL AND province_id IS NOT NULL AND academy_id IS NOT NULL)
OR (role = 'academy_staff'
    AND school_id IS NULL AND province_id IS NULL AND academy_id IS NOT NULL)
OR (role IN ('central_staff', 'parent')
    AND school_id IS NULL AND province_id IS NULL AND academy_id IS NULL)
"""


class User(UUIDPrimaryKey, Timestamps, Base):
    """Anyone who logs in: pupil, parent, teacher or staff at some level."""

    __tablename__ = "users"
    __table_args__ = (
        # The denormalised scope always matches the school's (or directorate's) place.
        *place_foreign_keys(),
        CheckConstraint(_SCOPE_BY_ROLE, name="scope_matches_role"),
        CheckConstraint(
            "(role = 'school_staff') = (title IS NOT NULL)", name="title_only_for_school_staff"
        ),
        CheckConstraint("username = lower(username)", name="username_lowercase"),
    )

    username: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(checked(Role, "role"))
    title: Mapped[StaffTitle | None] = mapped_column(checked(StaffTitle, "title"))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    first_name_ar: Mapped[str | None] = mapped_column(String(100))
    last_name_ar: Mapped[str | None] = mapped_column(String(100))
    school_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    province_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    academy_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    is_active: Mapped[bool] = mapped_column(default=True, server_default="true")
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuthSession(UUIDPrimaryKey, Base):
    """One login on one device: the family of refresh tokens that rotate from it.

    Access tokens carry its id (`sid`), so logging out or detecting a stolen refresh token
    ends the access tokens of that login too.
    """

    __tablename__ = "auth_sessions"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Indexed for the retention purge (services/retention.py), like the expiries below.
    last_used_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    revoked_reason: Mapped[str | None] = mapped_column(String(32))
    user_agent: Mapped[str | None] = mapped_column(String(200))


class RefreshToken(UUIDPrimaryKey, Base):
    """An opaque refresh token, stored only as its SHA-256; usable once."""

    __tablename__ = "refresh_tokens"

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class GuardianLink(UUIDPrimaryKey, Timestamps, Base):
    """A parent's account linked to a pupil; only verified links give access."""

    __tablename__ = "guardian_links"
    __table_args__ = (UniqueConstraint("parent_id", "pupil_id"),)

    parent_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    pupil_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("pupils.id", ondelete="CASCADE"), index=True
    )
    kinship: Mapped[Kinship] = mapped_column(checked(Kinship, "kinship"))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
