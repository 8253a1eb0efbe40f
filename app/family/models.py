"""Pupils' families: contacts, guardian links to parent accounts and the codes that make them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Self

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db.base import Base, Timestamps, UUIDPrimaryKey, checked


class Kinship(StrEnum):
    FATHER = "father"
    MOTHER = "mother"
    TUTOR = "tutor"


class PhoneOperator(StrEnum):
    IAM = "iam"
    ORANGE = "orange"
    INWI = "inwi"
    OTHER = "other"


class PhoneOwner(StrEnum):
    FATHER = "father"
    MOTHER = "mother"
    PUPIL = "pupil"
    TUTOR = "tutor"


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

    @classmethod
    def verified(cls, parent_id: uuid.UUID, pupil_id: uuid.UUID, kinship: Kinship) -> Self:
        """A link verified now: opened by the school, or with a code the school issued."""
        return cls(
            parent_id=parent_id, pupil_id=pupil_id, kinship=kinship, verified_at=datetime.now(UTC)
        )
