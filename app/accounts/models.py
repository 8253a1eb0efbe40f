"""Accounts and how they log in: users, login sessions, refresh tokens, the second factor and
one-time codes.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    LargeBinary,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db.base import Base, Timestamps, UUIDPrimaryKey, checked
from app.core.ownership import place_foreign_keys
from app.core.roles import Role, StaffTitle


class AccountCodePurpose(StrEnum):
    ACTIVATION = "activation"  # first login: the account gets its password
    RESET = "reset"  # a forgotten password, reset at the school


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
    """An opaque refresh token, stored only as its SHA-256; usable once (and retried once, just
    after its use, when the client lost the answer)."""

    __tablename__ = "refresh_tokens"

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When it was presented once more, just after its use, by a client whose answer was lost.
    retried_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MfaCredential(Base):
    """One TOTP secret per account, encrypted at rest; active once a code has confirmed it."""

    __tablename__ = "mfa_credentials"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # Fernet token of the base32 secret: readable only with MASSAR_MFA_ENCRYPTION_KEY.
    secret_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The last time step a code was accepted for: that code and older ones are refused.
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)


class MfaRecoveryCode(UUIDPrimaryKey, Base):
    """A one-time recovery code, stored only as its SHA-256 (the codes are random)."""

    __tablename__ = "mfa_recovery_codes"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MfaChallenge(UUIDPrimaryKey, Base):
    """Proof that a password was right, waiting for the second factor; usable once."""

    __tablename__ = "mfa_challenges"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    user_agent: Mapped[str | None] = mapped_column(String(200))


class AccountCode(UUIDPrimaryKey, Base):
    """A one-time code a school hands to a pupil or parent to set their password: for the first
    login (activation) or after a forgotten password (reset). Stored hashed."""

    __tablename__ = "account_codes"

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[AccountCodePurpose] = mapped_column(checked(AccountCodePurpose, "purpose"))
    code_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    issued_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
