"""Logging in, rotating refresh tokens and logging out."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotAuthenticated, invalid
from app.models.accounts import AuthSession, RefreshToken, User
from app.schemas.auth import TokenPair
from app.security.passwords import hash_password, verify_password
from app.security.principal import Principal
from app.security.tokens import (
    TokenSubject,
    get_token_codec,
    hash_refresh_token,
    new_refresh_token,
)
from app.services.accounts import normalise_username
from app.settings import get_settings

USER_AGENT_MAX = 200
# Ids only: usernames of pupils are personal data, and passwords never reach a log.
log = logging.getLogger(__name__)


class RefreshTokenReused(Exception):
    """A refresh token came back after it was rotated: its whole login has been revoked.

    The caller must commit that revocation before answering 401.
    """


async def log_in(
    session: AsyncSession, username: str, password: str, user_agent: str | None
) -> TokenPair:
    """Check the password and open a new login session with its first token pair."""
    user = await session.scalar(select(User).where(User.username == normalise_username(username)))
    matches, needs_rehash = await verify_password(user.password_hash if user else None, password)
    if user is None or not matches or not user.is_active:
        log.info("login refused (user_id=%s)", user.id if user else None)
        raise NotAuthenticated("auth.bad_credentials")
    now = datetime.now(UTC)
    if needs_rehash:
        user.password_hash = await hash_password(password)
    user.last_login_at = now
    login = AuthSession(user_id=user.id, user_agent=(user_agent or "")[:USER_AGENT_MAX] or None)
    session.add(login)
    await session.flush()
    log.info("login user_id=%s session=%s", user.id, login.id)
    return await _issue_pair(session, _subject(user), login.id, now)


async def refresh(session: AsyncSession, refresh_token: str) -> TokenPair:
    """Trade a refresh token for a new pair; the old token can never be used again."""
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
        await _revoke(session, login.id, "refresh_reuse", now)
        log.warning("refresh token reused: session=%s of user_id=%s revoked", login.id, user.id)
        raise RefreshTokenReused()
    if login.revoked_at is not None or token.expires_at <= now or not user.is_active:
        raise NotAuthenticated("auth.invalid_refresh_token")
    token.used_at = now
    login.last_used_at = now
    return await _issue_pair(session, _subject(user), login.id, now)


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
    session: AsyncSession, subject: TokenSubject, login_id: uuid.UUID, now: datetime
) -> TokenPair:
    settings = get_settings()
    lifetime = timedelta(days=settings.refresh_token_days)
    opaque = new_refresh_token()
    session.add(
        RefreshToken(
            session_id=login_id, token_hash=hash_refresh_token(opaque), expires_at=now + lifetime
        )
    )
    await session.flush()
    access = get_token_codec().issue_access_token(subject, login_id, now)
    return TokenPair(
        access_token=access.token,
        expires_in=access.expires_in,
        refresh_token=opaque,
        refresh_expires_in=int(lifetime.total_seconds()),
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
    session: AsyncSession, principal: Principal, current: str, new: str
) -> None:
    """Replace the caller's password, proving the current one; other logins are ended."""
    user = await session.get(User, principal.user_id)
    assert user is not None
    matches, _ = await verify_password(user.password_hash, current)
    if not matches:
        raise invalid(
            "body.current_password", "this is not your current password", "wrong_password"
        )
    if new == current:
        raise invalid("body.new_password", "choose a password you do not use now", "unchanged")
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
