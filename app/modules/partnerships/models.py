"""Partnerships (partenariats): partners of the school system and the agreements (conventions de
partenariat) a school, a directorate, an academy or the ministry signs with them.  Partners and
agreements are owned by a unit (`OwnedByUnit`). An agreement's contribution lines, signed
documents and concerned schools are its children and reach the caller only through it.
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
    Integer,
    Numeric,
    String,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db.base import Base, Timestamps, UUIDPrimaryKey, checked
from app.core.ownership import OwnedByUnit, owner_unit_constraints

NAME_MAX = 200
TITLE_MAX = 300
TEXT_MAX = 2000


class PartnerKind(StrEnum):
    NGO = "ngo"  # association, fondation, ONG
    COMPANY = "company"
    LOCAL_AUTHORITY = "local_authority"  # collectivité territoriale: commune, province, région
    UNIVERSITY = "university"
    FOREIGN_COOPERATION = "foreign_cooperation"


class AgreementDomain(StrEnum):
    INFRASTRUCTURE = "infrastructure"
    PEDAGOGICAL_SUPPORT = "pedagogical_support"
    SCHOOL_TRANSPORT = "school_transport"
    SOCIAL_SUPPORT = "social_support"  # cantine scolaire, internat, appui social
    DIGITAL = "digital"
    SPORTS_CULTURE = "sports_culture"
    TRAINING = "training"
    HEALTH = "health"
    OTHER = "other"


class AgreementStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"  # signed and running
    SUSPENDED = "suspended"
    ENDED = "ended"


class ContributionParty(StrEnum):
    PARTNER = "partner"
    MINISTRY = "ministry"  # the education side: school, directorate, academy or ministry


class ContributionKind(StrEnum):
    MONEY = "money"
    IN_KIND = "in_kind"


class Partner(UUIDPrimaryKey, Timestamps, OwnedByUnit, Base):
    """A partner as registered by one unit; `name_key` (the name folded) is unique per owner so
    the same association is not entered twice by the same unit."""

    __tablename__ = "partners"
    __table_args__ = (
        *owner_unit_constraints(),
        Index(
            "uq_partners_owner_name",
            "owner_level",
            "school_id",
            "province_id",
            "academy_id",
            "name_key",
            unique=True,
            postgresql_nulls_not_distinct=True,
        ),
        CheckConstraint("ice ~ '^[0-9]{15}$'", name="ice_is_15_digits"),
    )

    kind: Mapped[PartnerKind] = mapped_column(checked(PartnerKind, "kind"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    name_key: Mapped[str] = mapped_column(String(NAME_MAX))
    # Identifiant commun de l'entreprise (companies), 15 digits.
    ice: Mapped[str | None] = mapped_column(String(15))
    # Any other registration: association's récépissé, commune's code, agreement number abroad.
    registration: Mapped[str | None] = mapped_column(String(100))
    contact_name: Mapped[str | None] = mapped_column(String(NAME_MAX))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)


class Agreement(UUIDPrimaryKey, Timestamps, OwnedByUnit, Base):
    """A convention de partenariat; its scope is its owner's part of the tree."""

    __tablename__ = "partnership_agreements"
    __table_args__ = (
        *owner_unit_constraints(),
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
        # Signed before it runs: every state after the draft has its signature date.
        CheckConstraint("status = 'draft' OR signed_on IS NOT NULL", name="signed_when_active"),
        Index("ix_partnership_agreements_status_end_date", "status", "end_date"),
    )

    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    domain: Mapped[AgreementDomain] = mapped_column(checked(AgreementDomain, "domain"), index=True)
    objectives: Mapped[str | None] = mapped_column(String(TEXT_MAX))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    status: Mapped[AgreementStatus] = mapped_column(
        checked(AgreementStatus, "status"), default=AgreementStatus.DRAFT, server_default="draft"
    )
    signed_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)


class AgreementContribution(UUIDPrimaryKey, Base):
    """One line of what a party brings: money (amount in MAD) or in kind (a description and
    its estimated value in MAD, when known)."""

    __tablename__ = "partnership_contributions"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint(
            "(kind = 'money' AND amount IS NOT NULL)"
            " OR (kind = 'in_kind' AND description IS NOT NULL)",
            name="money_has_amount_in_kind_has_description",
        ),
    )

    agreement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("partnership_agreements.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    party: Mapped[ContributionParty] = mapped_column(checked(ContributionParty, "party"))
    kind: Mapped[ContributionKind] = mapped_column(checked(ContributionKind, "kind"))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    description: Mapped[str | None] = mapped_column(String(500))


class AgreementSchool(Base):
    """A school the agreement concerns (établissement bénéficiaire)."""

    __tablename__ = "partnership_agreement_schools"

    agreement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("partnership_agreements.id", ondelete="CASCADE"), primary_key=True
    )
    school_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("schools.id"), primary_key=True, index=True
    )


class AgreementDocument(UUIDPrimaryKey, Base):
    """A signed agreement (PDF) in the document store; the uploader's file name is not kept."""

    __tablename__ = "partnership_documents"

    agreement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("partnership_agreements.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(NAME_MAX))
    document_key: Mapped[str] = mapped_column(String(200), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
