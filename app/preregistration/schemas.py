"""Pre-registration's request and response shapes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import Field

from app.academics.models import Gender
from app.core.schemas import Schema
from app.family.models import Kinship
from app.messaging.models import TextChannel
from app.preregistration.models import PreregistrationStatus

CIN_PATTERN = r"^[A-Za-z]{1,2}[0-9]{1,6}$"


class SignupIn(Schema):
    contact: str = Field(
        min_length=5,
        max_length=254,
        description="A Moroccan mobile number (06…, 07…, +212…) or an email address: the"
        " one-time code is sent there, and it becomes the login.",
        examples=["0612345678", "amina.idrissi@example.ma"],
    )
    cin: str = Field(
        pattern=CIN_PATTERN,
        description="The parent's national identity card number (CIN): one or two letters"
        " then up to six digits.",
        examples=["AB123456"],
    )
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)


class SignupOut(Schema):
    signup_id: uuid.UUID
    channel: TextChannel
    expires_at: datetime


class SignupVerificationIn(Schema):
    signup_id: uuid.UUID
    code: str = Field(min_length=4, max_length=16, examples=["K7QM-2XPA"])
    password: str = Field(min_length=8, max_length=256)


class ParentAccountOut(Schema):
    username: str = Field(description="The login: the verified phone number or email address.")


class SchoolTakingRegistrations(Schema):
    id: uuid.UUID
    code: str
    name_fr: str
    name_ar: str
    commune: str
    school_year: int


class ChildIn(Schema):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    first_name_ar: str = Field(min_length=1, max_length=100)
    last_name_ar: str = Field(min_length=1, max_length=100)
    birth_date: date
    birth_place: str | None = Field(default=None, max_length=100)
    gender: Gender


class PreregistrationIn(Schema):
    school_id: uuid.UUID
    kinship: Kinship
    child: ChildIn


class PreregistrationOut(Schema):
    id: uuid.UUID
    school_id: uuid.UUID
    school_name_fr: str
    school_name_ar: str
    school_year: int
    kinship: Kinship
    first_name: str
    last_name: str
    first_name_ar: str
    last_name_ar: str
    birth_date: date
    birth_place: str | None
    gender: Gender
    status: PreregistrationStatus
    reason: str | None
    massar_code: str | None = Field(description="Once the child is a pupil.")
    created_at: datetime
    decided_at: datetime | None


class SchoolPreregistrationOut(PreregistrationOut):
    parent_first_name: str
    parent_last_name: str
    parent_contact: str
    parent_cin: str | None = Field(
        description="Given at sign-up; none for an account a school opened."
    )
    actions: list[str] = Field(description="What the school may do with it now.")


class PreregistrationDecision(StrEnum):
    ACCEPT = "accept"
    WAITLIST = "waitlist"
    REFUSE = "refuse"


class PreregistrationDecisionIn(Schema):
    decision: PreregistrationDecision
    reason: str | None = Field(
        default=None,
        min_length=1,
        max_length=500,
        description="Told to the parent; required to refuse.",
    )


class OpeningIn(Schema):
    is_open: bool


class OpeningOut(Schema):
    school_year: int
    is_open: bool


class EnrolIn(Schema):
    school_year: int | None = Field(
        default=None,
        ge=2000,
        le=2100,
        description="The year whose accepted children become pupils; by default the one after"
        " the current year. Its school year must be open (created by the ministry).",
    )
    class_id: uuid.UUID | None = Field(
        default=None,
        description="A 1AP class of the year to place the new pupils in; none: they are"
        " registered at the school, unplaced, and placed later like any pupil.",
    )


class EnrolmentRow(Schema):
    preregistration_id: uuid.UUID
    pupil_id: uuid.UUID
    massar_code: str
    class_id: uuid.UUID | None
    outcome: str = Field(description="`enrolled` now, or `already` by an earlier run.")


class EnrolmentReport(Schema):
    school_year: int
    rows: list[EnrolmentRow]
