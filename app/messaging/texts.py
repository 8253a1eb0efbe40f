"""Texts sent by SMS or email to an address rather than to an account: the one-time code of
someone signing up. `queue_text` writes the outbox row in the caller's transaction; the worker
(`TextWorker`, run beside the push worker) posts committed rows to the gateway.

The gateway is plain JSON over HTTP (`POST <url>/messages` with `channel`, `to`, `text`), the
shape of the common SMS and mail relays, behind `MASSAR_TEXT_GATEWAY_URL`. Delivery follows the
push outbox's rules (`push.py`): claimed with `SKIP LOCKED` and committed before the send,
each outcome recorded at once, retried only when the gateway said it did not take the message,
and a message left `sending` past the lease given up rather than sent twice. A code sent twice
would do no harm, but a code sent late is worth less than a fresh one the person asks for.
The text is erased once the message is settled: it may hold a code."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.messaging.models import PushStatus, TextChannel, TextMessage
from app.settings import Settings

log = logging.getLogger(__name__)
_RETRYABLE_STATUS = frozenset({401, 408, 429})
_SETTLED = {"body": None, "claimed_at": None}
# Left `sending` past the lease by a worker that stopped: maybe sent, so never sent again.
LEASE_EXPIRED = "outcome unknown: the worker stopped before confirming"


async def queue_text(
    session: AsyncSession, channel: TextChannel, address: str, body: str
) -> uuid.UUID:
    """Queue a text to an address, sent after the caller's transaction commits."""
    message = TextMessage(channel=channel, address=address, body=body)
    session.add(message)
    await session.flush()
    return message.id


@dataclass(frozen=True, slots=True)
class OutgoingText:
    id: uuid.UUID
    channel: TextChannel
    address: str
    body: str
    attempts: int


@dataclass
class TextCycleReport:
    """What one cycle did, for logs and tests."""

    expired: int = 0
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    dead: int = 0


class TextWorker:
    """Delivers the text outbox; `client` is None when no gateway is configured."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        settings: Settings,
        client: httpx.AsyncClient | None,
    ) -> None:
        self._sessions = session_factory
        self._settings = settings
        self._client = client

    async def run_cycle(self) -> TextCycleReport:
        """Give up dead workers' texts, then claim, send and record one batch."""
        report = TextCycleReport(expired=await self._expire_leases())
        if self._client is None:
            return report
        batch = await self._claim()
        report.claimed = len(batch)
        limit = asyncio.Semaphore(self._settings.push_concurrency)

        async def deliver(message: OutgoingText) -> None:
            async with limit:
                verdict = await self._send(message)
                await self._record(message, verdict, report)

        await asyncio.gather(*(deliver(message) for message in batch))
        return report

    async def _expire_leases(self) -> int:
        lease = timedelta(seconds=self._settings.push_lease_seconds)
        async with self._sessions.begin() as session:
            expired = await session.scalars(
                update(TextMessage)
                .where(
                    TextMessage.status == PushStatus.SENDING,
                    TextMessage.claimed_at < func.now() - lease,
                )
                .values(status=PushStatus.FAILED, last_error=LEASE_EXPIRED, **_SETTLED)
                .returning(TextMessage.id)
                .execution_options(synchronize_session=False)
            )
            return len(expired.all())

    async def _claim(self) -> list[OutgoingText]:
        due = (
            select(TextMessage.id)
            .where(
                TextMessage.status == PushStatus.PENDING,
                TextMessage.next_attempt_at <= func.now(),
            )
            .order_by(TextMessage.next_attempt_at)
            .limit(self._settings.push_batch_size)
            .with_for_update(skip_locked=True)
        )
        claim = (
            update(TextMessage)
            .where(TextMessage.id.in_(due))
            .values(status=PushStatus.SENDING, claimed_at=func.now())
            .returning(
                TextMessage.id,
                TextMessage.channel,
                TextMessage.address,
                TextMessage.body,
                TextMessage.attempts,
            )
            .execution_options(synchronize_session=False)
        )
        async with self._sessions.begin() as session:
            rows = (await session.execute(claim)).all()
        return [OutgoingText(r.id, r.channel, r.address, r.body or "", r.attempts) for r in rows]

    async def _send(self, message: OutgoingText) -> tuple[str, str | None]:
        """("sent" | "retry" | "dead", a short error)."""
        assert self._client is not None
        payload = {"channel": message.channel.value, "to": message.address, "text": message.body}
        try:
            response = await self._client.post("/messages", json=payload)
        except httpx.TimeoutException:
            return "retry", "timeout"
        except httpx.TransportError as exc:
            return "retry", f"connection error: {type(exc).__name__}"
        status = response.status_code
        if 200 <= status < 300:
            return "sent", None
        if status >= 500 or status in _RETRYABLE_STATUS:
            return "retry", f"http {status}"
        return "dead", f"http {status}"

    async def _record(
        self, message: OutgoingText, verdict: tuple[str, str | None], report: TextCycleReport
    ) -> None:
        kind, error = verdict
        attempts = message.attempts + 1
        values: dict[str, object]
        if kind == "sent":
            values = {"status": PushStatus.SENT, "sent_at": func.now(), **_SETTLED}
            report.sent += 1
        elif kind == "dead" or attempts >= self._settings.push_max_attempts:
            values = {"status": PushStatus.DEAD, "last_error": error, **_SETTLED}
            report.dead += 1
        else:
            delay = self._settings.push_backoff_base_seconds * 2**message.attempts
            delay *= 1 + random.uniform(0, 0.1)  # noqa: S311 (spreading load, not a secret)
            values = {
                "status": PushStatus.PENDING,
                "next_attempt_at": func.now() + timedelta(seconds=delay),
                "claimed_at": None,
                "last_error": error,
            }
            report.retried += 1
        async with self._sessions.begin() as session:
            await session.execute(
                update(TextMessage)
                .where(TextMessage.id == message.id, TextMessage.status == PushStatus.SENDING)
                .values(attempts=attempts, **values)
                .execution_options(synchronize_session=False)
            )


@contextlib.asynccontextmanager
async def text_worker(
    session_factory: async_sessionmaker[AsyncSession], settings: Settings
) -> AsyncIterator[TextWorker]:
    """A worker and its HTTP client (none without a gateway URL), closed on the way out."""
    if settings.text_gateway_url is None:
        yield TextWorker(session_factory, settings, None)
        return
    headers = {}
    if settings.text_gateway_credentials is not None:
        headers["Authorization"] = f"Bearer {settings.text_gateway_credentials.get_secret_value()}"
    async with httpx.AsyncClient(
        base_url=settings.text_gateway_url,
        headers=headers,
        timeout=httpx.Timeout(settings.push_timeout_seconds),
    ) as client:
        yield TextWorker(session_factory, settings, client)
