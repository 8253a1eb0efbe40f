"""Retention: what has served its purpose is deleted, what is still in use stays."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app import retention
from app.accounts.models import AuthSession, RefreshToken
from app.core.roles import Role
from app.family.models import LinkAttempt
from app.messaging.models import (
    Device,
    DeviceApp,
    DeviceLocale,
    DevicePlatform,
    Notification,
    NotificationCategory,
    PushMessage,
    PushStatus,
)
from app.settings import get_settings
from app.sync.models import SyncOperation
from tests.factories import create_user

NOW = datetime.now(UTC)


def ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


def notification(user_id: uuid.UUID, created_at: datetime) -> Notification:
    return Notification(
        user_id=user_id,
        category=NotificationCategory.MARKS,
        title_ar="ن",
        title_fr="N",
        body_ar="ن",
        body_fr="N",
        created_at=created_at,
    )


async def test_expired_and_ended_rows_go_and_live_ones_stay(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    user = await create_user(session, Role.PARENT)
    ended = AuthSession(user_id=user.id, revoked_at=ago(100), last_used_at=ago(100))
    idle = AuthSession(user_id=user.id, last_used_at=ago(200))
    live = AuthSession(user_id=user.id, last_used_at=ago(1))
    session.add_all([ended, idle, live])
    await session.flush()
    session.add_all(
        [
            RefreshToken(session_id=ended.id, token_hash=b"e" * 32, expires_at=ago(70)),
            RefreshToken(session_id=live.id, token_hash=b"x" * 32, expires_at=ago(3)),
            RefreshToken(session_id=live.id, token_hash=b"l" * 32, expires_at=NOW + timedelta(20)),
        ]
    )
    old, recent = notification(user.id, ago(400)), notification(user.id, ago(10))
    device = Device(
        user_id=user.id,
        session_id=live.id,
        token="t" * 40,
        platform=DevicePlatform.ANDROID,
        app=DeviceApp.WALI,
        locale=DeviceLocale.AR,
    )
    session.add_all([old, recent, device])
    await session.flush()
    session.add_all(
        [
            PushMessage(
                notification_id=recent.id,
                device_id=device.id,
                status=PushStatus.SENT,
                sent_at=ago(40),
                created_at=ago(40),
            ),
            LinkAttempt(parent_id=user.id, attempted_at=ago(2)),
            LinkAttempt(parent_id=user.id, attempted_at=NOW),
            SyncOperation(user_id=user.id, id=uuid.uuid4(), kind="marks", status=200, outcome={}),
            SyncOperation(
                user_id=user.id,
                id=uuid.uuid4(),
                kind="marks",
                status=200,
                outcome={},
                received_at=ago(120),
            ),
        ]
    )
    await session.flush()

    deleted = await retention.purge(session_factory, get_settings(), NOW)

    assert deleted["auth_sessions"] == 2
    assert deleted["refresh_tokens"] == 2  # both expired ones; the live one stays
    assert deleted["notifications"] == 1
    assert deleted["push_messages"] == 1
    assert deleted["link_attempts"] == 1
    assert deleted["sync_operations"] == 1
    sessions = set(
        await session.scalars(select(AuthSession.id).where(AuthSession.user_id == user.id))
    )
    assert sessions == {live.id}
    tokens = await session.scalar(
        select(func.count()).select_from(RefreshToken).where(RefreshToken.session_id == live.id)
    )
    assert tokens == 1
    inbox = set(
        await session.scalars(select(Notification.id).where(Notification.user_id == user.id))
    )
    assert inbox == {recent.id}


async def test_a_pending_push_is_kept_however_old(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    user = await create_user(session, Role.PARENT)
    login = AuthSession(user_id=user.id)
    session.add(login)
    await session.flush()
    note = notification(user.id, ago(5))
    device = Device(
        user_id=user.id,
        session_id=login.id,
        token="p" * 40,
        platform=DevicePlatform.IOS,
        app=DeviceApp.WALI,
        locale=DeviceLocale.FR,
    )
    session.add_all([note, device])
    await session.flush()
    session.add(PushMessage(notification_id=note.id, device_id=device.id, created_at=ago(90)))
    await session.flush()

    deleted = await retention.purge(session_factory, get_settings(), NOW)

    assert deleted["push_messages"] == 0
