"""Staff second factor: enrol, confirm, check a code, disable, and the login challenges."""

from __future__ import annotations

import enum
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import MfaChallenge, MfaCredential, MfaRecoveryCode, User
from app.accounts.schemas import MfaEnrolment
from app.core.roles import STAFF_ROLES
from app.core.security import totp as otp
from app.core.security.tokens import hash_refresh_token, new_refresh_token
from app.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, invalid
from app.settings import get_settings

USER_AGENT_MAX = 200
# Ids only, never a secret, a code or a challenge.
log = logging.getLogger(__name__)


class LoginStep(enum.Enum):
    """What a right password leads to."""

    TOKENS = "tokens"
    VERIFY = "verify"
    ENROL = "enrol"


@dataclass(frozen=True, slots=True)
class MfaPending:
    """A password login that waits for its second factor."""

    challenge: str
    expires_in: int
    enrolment_required: bool


def wrong_code() -> InvalidInput:
    """The 422 a wrong, replayed or used-up code answers on the caller's own account."""
    return invalid("body.code", "this code is not valid", "wrong_code")


async def _credential(session: AsyncSession, user_id: uuid.UUID) -> MfaCredential | None:
    # Locked: two requests with one code must not both see its step as unused.
    return await session.scalar(
        select(MfaCredential).where(MfaCredential.user_id == user_id).with_for_update()
    )


async def login_step(session: AsyncSession, user: User) -> LoginStep:
    """Whether this account, its password just proven, gets tokens or a second-factor step."""
    if user.role not in STAFF_ROLES:
        return LoginStep.TOKENS
    confirmed = await session.scalar(
        select(MfaCredential.confirmed_at).where(MfaCredential.user_id == user.id)
    )
    if confirmed is not None:
        return LoginStep.VERIFY
    return LoginStep.ENROL if get_settings().mfa_required_for_staff else LoginStep.TOKENS


async def enrol(session: AsyncSession, user: User) -> MfaEnrolment:
    """A new secret and recovery codes; MFA becomes active only once a code confirms it."""
    if user.role not in STAFF_ROLES:
        raise Forbidden()
    credential = await _credential(session, user.id)
    if credential is not None and credential.confirmed_at is not None:
        raise Conflict("mfa.already_active")
    secret = otp.new_totp_secret()
    if credential is None:
        session.add(MfaCredential(user_id=user.id, secret_encrypted=otp.encrypt_secret(secret)))
    else:
        # Enrolling again before confirming: the earlier secret was perhaps seen by someone.
        credential.secret_encrypted = otp.encrypt_secret(secret)
        credential.last_used_step = None
    codes = await _replace_recovery_codes(session, user.id)
    log.info("mfa enrolment started user_id=%s", user.id)
    return MfaEnrolment(
        secret=secret,
        otpauth_uri=otp.provisioning_uri(secret, user.username),
        recovery_codes=codes,
    )


async def _replace_recovery_codes(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    await session.execute(delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user_id))
    codes = otp.new_recovery_codes()
    session.add_all(
        MfaRecoveryCode(user_id=user_id, code_hash=otp.hash_recovery_code(code)) for code in codes
    )
    await session.flush()
    return codes


async def confirm(session: AsyncSession, user_id: uuid.UUID, code: str, now: datetime) -> bool:
    """Activate a pending enrolment with a TOTP code; False when the code is wrong."""
    credential = await _credential(session, user_id)
    if credential is None:
        raise Conflict("mfa.not_enrolled")
    if credential.confirmed_at is not None:
        raise Conflict("mfa.already_active")
    return _accept_totp(credential, code, now, confirming=True)


async def check_code(session: AsyncSession, user_id: uuid.UUID, code: str, now: datetime) -> bool:
    """Whether a TOTP or recovery code is good for this account's active MFA; uses it up."""
    credential = await _credential(session, user_id)
    if credential is None or credential.confirmed_at is None:
        return False
    if otp.looks_like_totp(code):
        return _accept_totp(credential, code, now, confirming=False)
    used = await session.execute(
        update(MfaRecoveryCode)
        .where(
            MfaRecoveryCode.user_id == user_id,
            MfaRecoveryCode.code_hash == otp.hash_recovery_code(code),
            MfaRecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .returning(MfaRecoveryCode.id)
    )
    if used.first() is None:
        return False
    log.info("mfa recovery code used user_id=%s", user_id)
    return True


def _accept_totp(credential: MfaCredential, code: str, now: datetime, *, confirming: bool) -> bool:
    secret = otp.decrypt_secret(credential.secret_encrypted)
    step = otp.matching_step(secret, code, now, credential.last_used_step)
    if step is None:
        return False
    credential.last_used_step = step
    if confirming:
        credential.confirmed_at = now
        log.info("mfa activated user_id=%s", credential.user_id)
    return True


async def disable(session: AsyncSession, user_id: uuid.UUID, code: str, now: datetime) -> bool:
    """Turn MFA off, proven by a current TOTP or a recovery code; False when the code is wrong."""
    credential = await _credential(session, user_id)
    if credential is None or credential.confirmed_at is None:
        raise Conflict("mfa.not_enrolled")
    if not await check_code(session, user_id, code, now):
        return False
    await session.execute(delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user_id))
    await session.delete(credential)
    await session.flush()
    log.info("mfa disabled user_id=%s", user_id)
    return True


async def verify_at_login(
    session: AsyncSession, user_id: uuid.UUID, code: str, now: datetime
) -> bool:
    """The second step of a login: confirms a pending enrolment, else checks the active one."""
    pending = await session.scalar(
        select(MfaCredential.user_id).where(
            MfaCredential.user_id == user_id, MfaCredential.confirmed_at.is_(None)
        )
    )
    if pending is not None:
        return await confirm(session, user_id, code, now)
    return await check_code(session, user_id, code, now)


async def open_challenge(
    session: AsyncSession, user: User, user_agent: str | None, now: datetime, step: LoginStep
) -> MfaPending:
    """A single-use challenge that stands for the proven password for a few minutes."""
    lifetime = timedelta(seconds=get_settings().mfa_challenge_seconds)
    opaque = new_refresh_token()
    session.add(
        MfaChallenge(
            user_id=user.id,
            token_hash=hash_refresh_token(opaque),
            expires_at=now + lifetime,
            user_agent=(user_agent or "")[:USER_AGENT_MAX] or None,
        )
    )
    await session.flush()
    return MfaPending(
        challenge=opaque,
        expires_in=int(lifetime.total_seconds()),
        enrolment_required=step is LoginStep.ENROL,
    )


async def find_challenge(
    session: AsyncSession, opaque: str, now: datetime | None = None
) -> tuple[MfaChallenge, User]:
    """The live challenge and its account, locked; 401 when unknown, used, expired or disabled."""
    now = now or datetime.now(UTC)
    row = (
        await session.execute(
            select(MfaChallenge, User)
            .join(User, User.id == MfaChallenge.user_id)
            .where(MfaChallenge.token_hash == hash_refresh_token(opaque))
            .with_for_update(of=MfaChallenge)
        )
    ).one_or_none()
    if row is None:
        raise NotAuthenticated("auth.invalid_challenge")
    challenge, user = row
    if challenge.used_at is not None or challenge.expires_at <= now or not user.is_active:
        raise NotAuthenticated("auth.invalid_challenge")
    return challenge, user
