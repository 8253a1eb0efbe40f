"""Logging in, rotating refresh tokens and logging out."""

from __future__ import annotations

import logging
import uuid
from contextlib import suppress
from datetime import UTC, datetime, timedelta

from sqlalchemy import CTE, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import mfa
from app.accounts.mfa import MfaPending
from app.accounts.models import AuthSession, RefreshToken, User
from app.accounts.schemas import MfaEnrolment, TokenPair
from app.accounts.users import normalise_username
from app.core.metrics import LOGINS
from app.core.security.passwords import HashingBusy, hash_password, verify_password
from app.core.security.principal import Principal
from app.core.security.throttle import LoginThrottle, TooManyAttempts
from app.core.security.tokens import (
    TokenSubject,
    get_token_codec,
    hash_refresh_token,
    new_refresh_token,
)
from app.errors import NotAuthenticated, NotFound, invalid
from app.settings import get_settings

USER_AGENT_MAX = 200
# Ids only: usernames of pupils are personal data, and passwords never reach a log.
log = logging.getLogger(__name__)


class LoginEnded(Exception):
    """Refreshing ended the login (a reused token, or a login past its lifetime).

    The caller must commit that revocation before answering 401.
    """


class RefreshTokenReused(LoginEnded):
    """A refresh token came back after it was rotated: its whole login has been revoked."""


async def log_in(
    session: AsyncSession,
    username: str,
    password: str,
    user_agent: str | None,
    *,
    throttle: LoginThrottle,
    client_ip: str,
    now: datetime | None = None,
) -> TokenPair | MfaPending:
    """Check the password; open a login with its first token pair, or a second-factor step.

    Locked accounts and clients answer 429 before any password work. Unknown usernames are
    hashed against a dummy and counted like wrong passwords, so neither reveals an account.
    """
    name = normalise_username(username)
    try:
        attempt = await throttle.begin(name, client_ip)
    except TooManyAttempts:
        LOGINS.labels("throttled").inc()
        raise
    user = await session.scalar(select(User).where(User.username == name))
    async with throttle.checking(attempt):
        matches, needs_rehash = await verify_password(
            user.password_hash if user else None, password
        )
    if user is None or not matches or not user.is_active:
        await throttle.failed(attempt)
        LOGINS.labels("failure").inc()
        log.info("login refused (user_id=%s)", user.id if user else None)
        raise NotAuthenticated("auth.bad_credentials")
    now = now or datetime.now(UTC)
    if needs_rehash:
        # Optional work: when hashing is busy the stronger hash waits for a calmer login.
        with suppress(HashingBusy):
            user.password_hash = await hash_password(password)
    step = await mfa.login_step(session, user)
    if step is not mfa.LoginStep.TOKENS:
        # The account's count is reset only once the second factor is given too.
        await throttle.succeeded(attempt, second_factor_due=True)
        LOGINS.labels("mfa").inc()
        log.info("login awaits second factor user_id=%s (%s)", user.id, step.value)
        return await mfa.open_challenge(session, user, user_agent, now, step)
    await throttle.succeeded(attempt)
    LOGINS.labels("success").inc()
    return await _open_login(session, user, user_agent, now)


async def complete_mfa_login(
    session: AsyncSession,
    challenge: str,
    code: str,
    *,
    throttle: LoginThrottle,
    client_ip: str,
    now: datetime | None = None,
) -> TokenPair:
    """Trade a login challenge and a TOTP (or recovery) code for the login's first token pair.

    A wrong code leaves the challenge usable until it expires, but counts as a failed login.
    """
    now = now or datetime.now(UTC)
    pending, user = await mfa.find_challenge(session, challenge, now)
    attempt = await throttle.begin(user.username, client_ip)
    if not await mfa.verify_at_login(session, user.id, code, now):
        await throttle.failed(attempt)
        log.info("second factor refused user_id=%s", user.id)
        raise NotAuthenticated("auth.invalid_mfa_code")
    pending.used_at = now
    await throttle.succeeded(attempt)
    return await _open_login(session, user, pending.user_agent, now)


async def enrol_at_login(session: AsyncSession, challenge: str) -> MfaEnrolment:
    """Enrol with a login challenge, for staff who must have MFA and have none yet."""
    _, user = await mfa.find_challenge(session, challenge)
    return await mfa.enrol(session, user)


async def _open_login(
    session: AsyncSession, user: User, user_agent: str | None, now: datetime
) -> TokenPair:
    """A new login with its first token pair. The login, its first refresh token and the
    account's last login are written by one statement: a results-day login storm costs the
    event loop and the database one round trip for them."""
    login_id = uuid.uuid4()
    opened = insert(AuthSession).values(
        id=login_id, user_id=user.id, user_agent=(user_agent or "")[:USER_AGENT_MAX] or None
    )
    seen = update(User).where(User.id == user.id).values(last_login_at=now)
    pair = await _issue_pair(
        session, _subject(user), login_id, now, along=(opened.cte("opened"), seen.cte("seen"))
    )
    log.info("login user_id=%s session=%s", user.id, login_id)
    return pair


async def refresh(session: AsyncSession, refresh_token: str) -> TokenPair:
    """Trade a refresh token for a new pair; the old token can never be used again, but for
    one retry just after its use (a client whose answer was lost on the network).

    Tokens are stored hashed, so the retry gets a fresh pair of the same login, not the lost
    one. Any other reuse is taken for theft: the whole login is ended.
    """
    row = (
        await session.execute(
            select(RefreshToken, AuthSession, User)
            .join(AuthSession, AuthSession.id == RefreshToken.session_id)
            .join(User, User.id == AuthSession.user_id)
            .where(RefreshToken.token_hash == hash_refresh_token(refresh_token))
            # Two concurrent refreshes with one token: the second waits, then sees it used.
            .with_for_update(of=RefreshToken)
        )
    ).one_or_none()
    if row is None:
        raise NotAuthenticated("auth.invalid_refresh_token")
    token, login, user = row
    now = datetime.now(UTC)
    if token.used_at is not None:
        if not _may_retry(token, now):
            await _revoke(session, login.id, "refresh_reuse", now)
            log.warning("refresh token reused: session=%s of user_id=%s revoked", login.id, user.id)
            raise RefreshTokenReused()
        token.retried_at = now
    if login.revoked_at is not None or token.expires_at <= now or not user.is_active:
        raise NotAuthenticated("auth.invalid_refresh_token")
    if now >= _login_ends(login):
        await _revoke(session, login.id, "expired", now)
        raise LoginEnded()
    token.used_at = token.used_at or now
    login.last_used_at = now
    return await _issue_pair(session, _subject(user), login.id, now, ends=_login_ends(login))


def _may_retry(token: RefreshToken, now: datetime) -> bool:
    """A used token may be presented once more, within the retry window after its use."""
    window = timedelta(seconds=get_settings().refresh_retry_seconds)
    assert token.used_at is not None
    return token.retried_at is None and now - token.used_at <= window


def _login_ends(login: AuthSession) -> datetime:
    """The absolute end of a login: refreshing cannot carry it past this."""
    return login.created_at + timedelta(days=get_settings().session_max_days)


async def log_out(session: AsyncSession, refresh_token: str) -> None:
    """End the login the refresh token belongs to; unknown tokens are ignored."""
    login_id = await session.scalar(
        select(RefreshToken.session_id).where(
            RefreshToken.token_hash == hash_refresh_token(refresh_token)
        )
    )
    if login_id is not None:
        await _revoke(session, login_id, "logout", datetime.now(UTC))


async def _revoke(session: AsyncSession, login_id: uuid.UUID, reason: str, now: datetime) -> None:
    await session.execute(
        update(AuthSession)
        .where(AuthSession.id == login_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
    )


async def _issue_pair(
    session: AsyncSession,
    subject: TokenSubject,
    login_id: uuid.UUID,
    now: datetime,
    *,
    ends: datetime | None = None,
    along: tuple[CTE, ...] = (),
) -> TokenPair:
    """A new refresh token of the login, stored hashed, and an access token; `along`: other
    writes to make in the same statement (the refresh token's row is checked against its
    login at the statement's end, so the login may be one of them)."""
    settings = get_settings()
    expires_at = now + timedelta(days=settings.refresh_token_days)
    if ends is not None:
        expires_at = min(expires_at, ends)
    opaque = new_refresh_token()
    stored = insert(RefreshToken).values(
        # Given here: with other statements attached, SQLAlchemy sends the column's Python
        # default as null.
        id=uuid.uuid4(),
        session_id=login_id,
        token_hash=hash_refresh_token(opaque),
        expires_at=expires_at,
    )
    await session.execute(stored.add_cte(*along))
    access = get_token_codec().issue_access_token(subject, login_id, now)
    return TokenPair(
        access_token=access.token,
        expires_in=access.expires_in,
        refresh_token=opaque,
        refresh_expires_in=int((expires_at - now).total_seconds()),
    )


def _subject(user: User) -> TokenSubject:
    return TokenSubject(
        user_id=user.id,
        role=user.role,
        school_id=user.school_id,
        province_id=user.province_id,
        academy_id=user.academy_id,
    )


async def change_password(
    session: AsyncSession,
    principal: Principal,
    current: str,
    new: str,
    *,
    throttle: LoginThrottle,
    client_ip: str,
) -> None:
    """Replace the caller's password, proving the current one; other logins are ended.

    The proof is throttled like a login: a stolen access token must not become a way to
    guess the password it was issued for."""
    user = await session.get(User, principal.user_id)
    assert user is not None
    attempt = await throttle.begin(user.username, client_ip)
    async with throttle.checking(attempt):
        matches, _ = await verify_password(user.password_hash, current)
    if not matches:
        await throttle.failed(attempt)
        raise invalid(
            "body.current_password", "this is not your current password", "wrong_password"
        )
    if new == current:
        raise invalid("body.new_password", "choose a password you do not use now", "unchanged")
    await throttle.succeeded(attempt)
    user.password_hash = await hash_password(new)
    await session.execute(
        update(AuthSession)
        .where(
            AuthSession.user_id == user.id,
            AuthSession.id != principal.session_id,
            AuthSession.revoked_at.is_(None),
        )
        .values(revoked_at=datetime.now(UTC), revoked_reason="password_changed")
    )
    log.info("password changed user_id=%s; other sessions revoked", user.id)


async def disable_user(session: AsyncSession, username: str) -> User:
    """Disable an account and end every login it has: its refresh tokens die at once.

    Its access tokens die too, since each request checks `is_active` and the session.
    """
    user = await session.scalar(
        select(User).where(User.username == normalise_username(username)).with_for_update()
    )
    if user is None:
        raise NotFound()
    now = datetime.now(UTC)
    user.is_active = False
    user.disabled_at = user.disabled_at or now
    await session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason="account_disabled")
    )
    await session.flush()
    log.info("account disabled user_id=%s; all sessions revoked", user.id)
    return user
