"""Partnerships: partners, agreements (conventions de partenariat), their contributions and signed
documents, and the module's figure on the steering overview.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import ConfigDict, EmailStr, Field, ValidationInfo, field_validator, model_validator

from app.core.roles import Level
from app.core.schemas import Schema
from app.modules.partnerships.models import (
    NAME_MAX,
    TEXT_MAX,
    TITLE_MAX,
    AgreementDomain,
    AgreementStatus,
    ContributionKind,
    ContributionParty,
    PartnerKind,
)

MAX_CONTRIBUTIONS = 50
MAX_SCHOOLS = 1000


class _Input(Schema):
    model_config = ConfigDict(extra="forbid")


class OwnerOut(Schema):
    """The unit that registered the record; its place ids are null above its level."""

    level: Level
    name_fr: str
    school_id: uuid.UUID | None
    province_id: uuid.UUID | None
    academy_id: uuid.UUID | None


# ---- partners -------------------------------------------------------------------------------


class PartnerIn(_Input):
    kind: PartnerKind
    name: str = Field(min_length=2, max_length=NAME_MAX, examples=["Fondation Zakoura"])
    ice: str | None = Field(
        default=None,
        pattern=r"^[0-9]{15}$",
        description="Identifiant commun de l'entreprise (companies), 15 digits.",
    )
    registration: str | None = Field(
        default=None,
        max_length=100,
        description="Another registration: an association's récépissé, a commune's code…",
    )
    contact_name: str | None = Field(default=None, max_length=NAME_MAX)
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 .-]{6,20}$", max_length=30)
    email: EmailStr | None = None
    address: str | None = Field(default=None, max_length=500)

    @field_validator("name")
    @classmethod
    def _trimmed(cls, name: str) -> str:
        name = " ".join(name.split())
        if len(name) < 2:
            raise ValueError("a partner's name has at least 2 characters")
        return name


class PartnerRef(Schema):
    id: uuid.UUID
    kind: PartnerKind
    name: str


class PartnerOut(PartnerRef):
    ice: str | None
    registration: str | None
    contact_name: str | None
    phone: str | None
    email: str | None
    address: str | None
    owner: OwnerOut
    manageable: bool = Field(description="Registered by my unit: I may edit it.")
    created_at: datetime


# ---- agreements -----------------------------------------------------------------------------


class ContributionIn(_Input):
    party: ContributionParty
    kind: ContributionKind
    amount: Decimal | None = Field(
        default=None,
        ge=0,
        max_digits=14,
        decimal_places=2,
        description="In MAD: the amount (money) or the estimated value (in kind, optional).",
    )
    description: str | None = Field(default=None, min_length=1, max_length=500)

    @model_validator(mode="after")
    def _complete(self) -> ContributionIn:
        if self.kind is ContributionKind.MONEY and self.amount is None:
            raise ValueError("a money contribution needs its amount")
        if self.kind is ContributionKind.IN_KIND and not self.description:
            raise ValueError("an in-kind contribution needs its description")
        return self


class ContributionOut(Schema):
    party: ContributionParty
    kind: ContributionKind
    amount: Decimal | None
    description: str | None


class AgreementIn(_Input):
    partner_id: uuid.UUID
    title: str = Field(min_length=3, max_length=TITLE_MAX)
    domain: AgreementDomain
    objectives: str | None = Field(default=None, max_length=TEXT_MAX)
    start_date: date
    end_date: date
    contributions: list[ContributionIn] = Field(default_factory=list, max_length=MAX_CONTRIBUTIONS)
    school_ids: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=MAX_SCHOOLS,
        description="Schools concerned, within the owner's part of the tree. A school's own "
        "agreement concerns that school only (leave empty).",
    )

    @field_validator("end_date")
    @classmethod
    def _after_start(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start_date")
        if start is not None and end < start:
            raise ValueError("the end date is before the start date")
        return end

    @field_validator("school_ids")
    @classmethod
    def _distinct(cls, ids: list[uuid.UUID]) -> list[uuid.UUID]:
        return list(dict.fromkeys(ids))


class AgreementAction(Schema):
    """A move of the agreement's workflow; `activate` records the signature date."""

    action: Literal["activate", "suspend", "resume", "end"]
    signed_on: date | None = Field(
        default=None, description="Date of signature, required to activate."
    )
    model_config = ConfigDict(extra="forbid")


class ConcernedSchool(Schema):
    id: uuid.UUID
    code: str
    name_fr: str


class AgreementOut(Schema):
    id: uuid.UUID
    title: str
    domain: AgreementDomain
    objectives: str | None
    start_date: date
    end_date: date
    status: AgreementStatus
    expired: bool = Field(description="Active, but its end date has passed.")
    signed_on: date | None
    partner: PartnerRef
    owner: OwnerOut
    contributions: list[ContributionOut]
    money_total: Decimal = Field(description="Money contributions of both parties, in MAD.")
    schools: list[ConcernedSchool]
    manageable: bool = Field(description="Owned by my unit: I may edit it and move it.")
    actions: list[str] = Field(description="Workflow actions I may take now.")
    created_at: datetime
    updated_at: datetime


class DocumentOut(Schema):
    id: uuid.UUID
    title: str
    content_type: str
    size: int
    uploaded_at: datetime


# ---- steering -------------------------------------------------------------------------------


class PartnershipFigures(Schema):
    """Agreements owned within the unit that are active today (signed, not past their end)."""

    active: int
    by_domain: dict[AgreementDomain, int]
    money_total: Decimal = Field(description="Money contributions of those agreements, in MAD.")
    expiring_within_60_days: int
