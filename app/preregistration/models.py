"""Pre-registration's tables: a parent's sign-up and its one-time code, the schools that take
registrations for a year, and the requests themselves; the national sequence of Massar codes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    Sequence,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.academics.models import Gender
from app.core.db.base import Base, Timestamps, UUIDPrimaryKey, checked
from app.family.models import Kinship

# The numbers of the Massar codes this service allocates (`massar_codes.py`): never handed
# out twice, whatever the transactions that took them.
MASSAR_CODE_NUMBERS = Sequence(
    "massar_code_numbers", start=1, minvalue=1, maxvalue=999_999_999, metadata=Base.metadata
)


class ContactKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"


class PreregistrationStatus(StrEnum):
    PENDING = "pending"  # waiting for the school
    ACCEPTED = "accepted"  # a place for next year: becomes a pupil when the year opens
    WAITLISTED = "waitlisted"  # no place yet; may still be accepted or refused
    REFUSED = "refused"
    ENROLLED = "enrolled"  # a pupil now, with a Massar code


class Signup(UUIDPrimaryKey, Base):
    """A parent signing up with a phone number or an email address: the one-time code sent
    there (stored as an HMAC), the tries spent on it, and the account once verified."""

    __tablename__ = "preregistration_signups"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts"),
        CheckConstraint("cin ~ '^[A-Z]{1,2}[0-9]{1,6}$'", name="cin_format"),
        # One parent account per national identity card.
        Index(
            "uq_preregistration_signups_cin_verified",
            "cin",
            unique=True,
            postgresql_where=text("verified_at IS NOT NULL"),
        ),
    )

    contact_kind: Mapped[ContactKind] = mapped_column(checked(ContactKind, "contact_kind"))
    contact: Mapped[str] = mapped_column(String(254), index=True)
    cin: Mapped[str] = mapped_column(String(8))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    code_hash: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )


class RegistrationOpening(Timestamps, Base):
    """A school taking (or no longer taking) pre-registrations for a school year. The year is a
    number, not a reference: registrations open before the ministry opens the year itself."""

    __tablename__ = "preregistration_openings"

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    school_year: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    is_open: Mapped[bool]


class Preregistration(UUIDPrimaryKey, Timestamps, Base):
    """A parent's request for a place in 1AP at a school for a school year."""

    __tablename__ = "preregistrations"
    __table_args__ = (
        # A child is asked for once a year, whatever the school: a replay is refused.
        UniqueConstraint("parent_id", "school_year", "birth_date", "first_name"),
        CheckConstraint("(status = 'enrolled') = (pupil_id IS NOT NULL)", name="pupil_if_enrolled"),
        CheckConstraint("status <> 'refused' OR reason IS NOT NULL", name="refusal_has_reason"),
        Index("ix_preregistrations_school_year_status", "school_id", "school_year", "status"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    school_year: Mapped[int] = mapped_column(SmallInteger)
    parent_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    kinship: Mapped[Kinship] = mapped_column(checked(Kinship, "kinship"))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    first_name_ar: Mapped[str] = mapped_column(String(100))
    last_name_ar: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date]
    birth_place: Mapped[str | None] = mapped_column(String(100))
    gender: Mapped[Gender] = mapped_column(checked(Gender, "gender"))
    status: Mapped[PreregistrationStatus] = mapped_column(
        checked(PreregistrationStatus, "status"), server_default=PreregistrationStatus.PENDING.value
    )
    reason: Mapped[str | None] = mapped_column(String(500))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    pupil_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("pupils.id"), unique=True)
