"""Second factor: enrolment, codes, and the login challenge."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from app.schemas.common import Schema


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
