"""Retention: rows that served their purpose are deleted, so that login sessions, one-time
codes, the push and text outboxes, unverified sign-ups and the inbox do not grow for ever,
and personal data is not kept longer than it is needed.

Each rule is a table and the condition that makes a row expendable. Rows go in batches, each
batch its own short transaction, so a purge never holds locks for long or bloats one
transaction; an advisory lock per rule lets several workers run without doing the work twice.
The audit log is not purged here: it is append-only by design, and its retention belongs to
partition management (detach and archive a school year).
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.accounts.models import AccountCode, AuthSession, MfaChallenge, RefreshToken
from app.core.loops import every
from app.family.models import LinkAttempt, LinkCode
from app.messaging.models import Notification, PushMessage, PushStatus, TextMessage
from app.preregistration.models import Signup
from app.settings import Settings
from app.sync.models import SyncOperation, Tombstone
from app.webhooks.models import DeliveryStatus, WebhookDelivery

log = logging.getLogger(__name__)

BATCH = 5000
_DONE = (PushStatus.SENT, PushStatus.DEAD, PushStatus.FAILED)


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    table: Any
    key: Any
    expendable: Callable[[Settings, datetime], ColumnElement[bool]]


def _days(n: int) -> timedelta:
    return timedelta(days=n)


RULES = (
    # A refresh token past its expiry can no longer be used or replayed.
    Rule(
        "refresh_tokens",
        RefreshToken,
        RefreshToken.id,
        lambda s, now: RefreshToken.expires_at < now - _days(1),
    ),
    # A login ended (logout, revocation) or idle longer than any refresh token lives; its
    # tokens go with it (ON DELETE CASCADE).
    Rule(
        "auth_sessions",
        AuthSession,
        AuthSession.id,
        lambda s, now: or_(
            AuthSession.revoked_at < now - _days(s.retention_session_days),
            AuthSession.last_used_at < now - _days(s.refresh_token_days + s.retention_session_days),
        ),
    ),
    # The outbox once the outcome is known; the inbox keeps the notification itself.
    Rule(
        "push_messages",
        PushMessage,
        PushMessage.id,
        lambda s, now: (
            (PushMessage.status.in_(_DONE))
            & (PushMessage.created_at < now - _days(s.retention_push_days))
        ),
    ),
    # Texts by SMS or email once settled (their text is erased already).
    Rule(
        "text_messages",
        TextMessage,
        TextMessage.id,
        lambda s, now: (
            (TextMessage.status.in_(_DONE))
            & (TextMessage.created_at < now - _days(s.retention_push_days))
        ),
    ),
    # Webhook deliveries once settled (their payload is erased already): the client's log.
    Rule(
        "webhook_deliveries",
        WebhookDelivery,
        WebhookDelivery.id,
        lambda s, now: (
            WebhookDelivery.status.in_((DeliveryStatus.DELIVERED, DeliveryStatus.DEAD))
            & (WebhookDelivery.created_at < now - _days(s.retention_push_days))
        ),
    ),
    # A sign-up never verified: the contact and CIN of someone who did not go on.
    Rule(
        "preregistration_signups",
        Signup,
        Signup.id,
        lambda s, now: Signup.verified_at.is_(None) & (Signup.expires_at < now - _days(1)),
    ),
    Rule(
        "notifications",
        Notification,
        Notification.id,
        lambda s, now: Notification.created_at < now - _days(s.retention_notification_days),
    ),
    # Offline outcomes answer replays; an app offline longer than this syncs afresh.
    Rule(
        "sync_operations",
        SyncOperation,
        SyncOperation.id,
        lambda s, now: SyncOperation.received_at < now - _days(s.retention_sync_days),
    ),
    # Deletions are answered to apps that synced within the window; older ones sync afresh.
    Rule(
        "tombstones",
        Tombstone,
        Tombstone.id,
        lambda s, now: Tombstone.deleted_at < now - _days(s.retention_sync_days),
    ),
    # Throttling looks back minutes; one day is plenty.
    Rule(
        "link_attempts",
        LinkAttempt,
        LinkAttempt.id,
        lambda s, now: LinkAttempt.attempted_at < now - _days(1),
    ),
    Rule(
        "mfa_challenges",
        MfaChallenge,
        MfaChallenge.id,
        lambda s, now: MfaChallenge.expires_at < now - _days(1),
    ),
    # One-time codes, used or not, once expired: kept a while so a school can see what it issued.
    Rule(
        "link_codes",
        LinkCode,
        LinkCode.id,
        lambda s, now: LinkCode.expires_at < now - _days(s.retention_code_days),
    ),
    Rule(
        "account_codes",
        AccountCode,
        AccountCode.id,
        lambda s, now: AccountCode.expires_at < now - _days(s.retention_code_days),
    ),
)


async def _purge_batch(session: AsyncSession, rule: Rule, settings: Settings, now: datetime) -> int:
    """Delete one batch of the rule's rows; 0 when another worker holds the rule."""
    lock = zlib.crc32(f"massar.retention.{rule.name}".encode())
    if not await session.scalar(select(func.pg_try_advisory_xact_lock(lock))):
        return 0
    batch = select(rule.key).where(rule.expendable(settings, now)).limit(BATCH)
    result = await session.execute(delete(rule.table).where(rule.key.in_(batch.scalar_subquery())))
    return int(getattr(result, "rowcount", 0) or 0)


async def purge(
    session_factory: async_sessionmaker[AsyncSession], settings: Settings, now: datetime
) -> dict[str, int]:
    """Apply every rule until nothing is left to delete; rows deleted, by table."""
    deleted: dict[str, int] = {}
    for rule in RULES:
        total = 0
        while True:
            async with session_factory() as session, session.begin():
                count = await _purge_batch(session, rule, settings, now)
            total += count
            if count < BATCH:
                break
        deleted[rule.name] = total
    return deleted


async def run(
    session_factory: async_sessionmaker[AsyncSession], settings: Settings, stop: asyncio.Event
) -> None:
    """Purge now and then every `retention_interval_seconds`, until `stop` is set."""

    async def chore() -> None:
        deleted = await purge(session_factory, settings, datetime.now(UTC))
        if any(deleted.values()):
            log.info("retention purge: %s", deleted)

    await every("retention purge", chore, stop, seconds=settings.retention_interval_seconds)
