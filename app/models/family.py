"""What links a family to a pupil: the pupil's contact details and the one-time codes a
school issues so that a parent can link their account to their child."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, LargeBinary, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamps, UUIDPrimaryKey
from app.models.enums import AccountCodePurpose, PhoneOperator, PhoneOwner, checked


class PupilContact(Timestamps, Base):
    """How the school reaches a pupil's family; edited by the pupil in Moutamadris."""

    __tablename__ = "pupil_contacts"

    pupil_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("pupils.id", ondelete="CASCADE"), primary_key=True
    )
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(16))
    operator: Mapped[PhoneOperator | None] = mapped_column(checked(PhoneOperator, "operator"))
    phone_owner: Mapped[PhoneOwner | None] = mapped_column(checked(PhoneOwner, "phone_owner"))
    recovery_email: Mapped[str | None] = mapped_column(String(254))


class LinkCode(UUIDPrimaryKey, Base):
    """A one-time code handed to a parent by the pupil's school; stored hashed, like a
    password, since it grants access to a minor's records."""

    __tablename__ = "link_codes"

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    pupil_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("pupils.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    issued_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    used_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)


class LinkAttempt(UUIDPrimaryKey, Base):
    """A parent's failed attempt to link a child: counted to throttle guessing."""

    __tablename__ = "link_attempts"
    __table_args__ = (Index("ix_link_attempts_parent_time", "parent_id", "attempted_at"),)

    parent_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    attempted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )


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
