"""Accounts as the API shows them: people, logins and tokens, the caller's profile, the second
factor, one-time codes and the school's staff.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import EmailStr, Field

from app.accounts.models import AccountCodePurpose
from app.core.roles import Level, Role, StaffTitle
from app.core.schemas import Patch, Schema, SchoolRef, UnitRef
from app.family.models import Kinship


class PupilRef(Schema):
    id: uuid.UUID
    massar_code: str
    first_name: str
    last_name: str
    first_name_ar: str
    last_name_ar: str


class PersonRef(Schema):
    """An account: a parent, a teacher or a member of the school's staff (with their post)."""

    id: uuid.UUID
    first_name: str
    last_name: str
    first_name_ar: str | None
    last_name_ar: str | None
    role: Role
    title: StaffTitle | None


class LoginRequest(Schema):
    username: str = Field(
        min_length=3, max_length=254, examples=["D130000001@taalim.ma", "director.demo@taalim.ma"]
    )
    password: str = Field(min_length=1, max_length=256)


class RefreshRequest(Schema):
    refresh_token: str = Field(min_length=16, max_length=128)


class TokenPair(Schema):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105  (OAuth2 token type, not a secret)
    expires_in: int = Field(description="Seconds the access token lives.")
    refresh_token: str = Field(description="Single use: each refresh returns a new one.")
    refresh_expires_in: int = Field(description="Seconds the refresh token lives.")


class PasswordChange(Schema):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=8, max_length=256)


class App(StrEnum):
    """The clients an account may sign in to."""

    MOUDARIS = "moudaris"  # teachers' app
    MOUTAMADRIS = "moutamadris"  # pupils' app
    WALI = "wali"  # parents' app
    BACK_OFFICE = "back_office"  # staff web modules


class MeOut(Schema):
    id: uuid.UUID
    username: str
    role: Role
    title: StaffTitle | None
    level: Level
    first_name: str
    last_name: str
    first_name_ar: str | None
    last_name_ar: str | None
    school: SchoolRef | None
    province: UnitRef | None
    academy: UnitRef | None
    apps: list[App]


class MfaEnrolment(Schema):
    """Shown once: the secret is never returned again, and the codes are stored hashed."""

    secret: str = Field(description="Base32 TOTP secret, for typing into an authenticator.")
    otpauth_uri: str = Field(description="The same secret as an otpauth:// URI, for a QR code.")
    recovery_codes: list[str] = Field(description="One-time codes for when the phone is lost.")


class MfaCode(Schema):
    code: str = Field(
        min_length=6, max_length=32, description="A 6-digit TOTP code, or a recovery code."
    )


class MfaChallengeRef(Schema):
    challenge: str = Field(min_length=16, max_length=128)


class MfaLogin(MfaChallengeRef):
    code: str = Field(
        min_length=6, max_length=32, description="A 6-digit TOTP code, or a recovery code."
    )


class MfaChallengeProblem(Schema):
    """The 401 problem a staff login with a right password gets when a second factor is due."""

    type: str
    title: str
    status: Literal[401]
    detail: str
    instance: str
    request_id: str | None = None
    mfa_required: Literal[True] = True
    enrolment_required: bool = Field(
        description="True: enrol first (POST /auth/mfa/enrol with the challenge), then confirm."
    )
    challenge: str = Field(description="Opaque, single use; send it to POST /auth/mfa.")
    challenge_expires_in: int = Field(description="Seconds the challenge lives.")


class AccountCodeOut(Schema):
    username: str
    purpose: AccountCodePurpose
    code: str = Field(description="Shown once: hand it to the person. It is stored hashed.")
    expires_at: datetime


class ParentAccountIn(Schema):
    email: EmailStr
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    kinship: Kinship


class ActivationIn(Schema):
    username: str = Field(min_length=3, max_length=254)
    code: str = Field(min_length=6, max_length=20)
    new_password: str = Field(min_length=8, max_length=256)


class TeacherIn(Schema):
    email: EmailStr
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    first_name_ar: str | None = Field(default=None, max_length=100)
    last_name_ar: str | None = Field(default=None, max_length=100)
    ppr: str = Field(pattern=r"^[0-9]{5,12}$", description="The civil-service staff number.")
    rank: str = Field(min_length=1, max_length=120)
    specialty_code: str | None = Field(default=None, max_length=12, examples=["MATH"])


class TeacherPatch(Patch):
    REQUIRED: ClassVar[frozenset[str]] = frozenset({"first_name", "last_name", "is_active"})

    first_name: str | None = Field(default=None, min_length=1, max_length=100)
    last_name: str | None = Field(default=None, min_length=1, max_length=100)
    rank: str | None = Field(default=None, min_length=1, max_length=120)
    specialty_code: str | None = Field(default=None, max_length=12)
    is_active: bool | None = Field(default=None, description="False ends every login at once.")


class SchoolTeacherOut(Schema):
    id: uuid.UUID
    username: str
    first_name: str
    last_name: str
    ppr: str | None
    rank: str | None
    specialty_code: str | None
    is_active: bool


class NewTeacherOut(Schema):
    teacher: SchoolTeacherOut
    activation: AccountCodeOut
