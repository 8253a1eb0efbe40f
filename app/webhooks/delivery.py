"""The worker's side of webhooks: due deliveries are claimed with `SKIP LOCKED`, posted signed
to their endpoint, and each outcome recorded at once.

Delivery is AT LEAST ONCE, unlike a push: a receiver has an idempotency key (`webhook-id`, the
event's id, the same on every attempt), so a delivery whose outcome is unknown (the worker
stopped after posting, before recording) is posted again once its lease runs out, rather than
lost. Anything but a 2xx, or no answer, is tried again after `base × 2^attempts` seconds (with
a little jitter, so that a receiver coming back up is not hit by every retry at once), and
given up (`dead`) after `MASSAR_WEBHOOK_MAX_ATTEMPTS`. A redirect is not followed: it counts as
a failure, so a receiver cannot send the worker somewhere else. Each attempt resolves the
endpoint's host and posts to the address it resolved (`addresses.py`); outside development an
address that is not public refuses the attempt, recorded as a failure with its reason. A
settled delivery's payload is erased; its log line stays until the retention rules remove
it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.security.sealing import unseal
from app.integrations.models import ApiClient
from app.settings import Environment, Settings
from app.webhooks.addresses import DeliveryRefused, Resolver, pinned_target, resolve_host
from app.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from app.webhooks.signing import signed_headers

log = logging.getLogger(__name__)

_ERROR_MAX = 200
_SETTLED: dict[str, Any] = {"payload": None, "claimed_at": None}


@dataclass(frozen=True, slots=True)
class Outgoing:
    id: uuid.UUID
    event_id: uuid.UUID
    attempts: int
    url: str
    secret: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Outcome:
    delivered: bool
    status_code: int | None = None
    error: str | None = None


@dataclass
class WebhookCycleReport:
    """What one cycle did, for logs and tests."""

    released: int = 0
    claimed: int = 0
    delivered: int = 0
    retried: int = 0
    dead: int = 0


class WebhookWorker:
    """Delivers the webhook outbox."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        settings: Settings,
        client: httpx.AsyncClient,
        resolver: Resolver = resolve_host,
    ) -> None:
        self._sessions = session_factory
        self._settings = settings
        self._client = client
        self._resolver = resolver

    async def run_cycle(self) -> WebhookCycleReport:
        """Put back what a stopped worker left unconfirmed, then claim, send and record a batch."""
        report = WebhookCycleReport(released=await self._release_leases())
        batch = await self._claim()
        report.claimed = len(batch)
        limit = asyncio.Semaphore(self._settings.push_concurrency)

        async def deliver(delivery: Outgoing) -> None:
            async with limit:
                outcome = await self._send(delivery)
                await self._record(delivery, outcome, report)

        await asyncio.gather(*(deliver(delivery) for delivery in batch))
        if batch:
            log.info("webhook cycle: %s", report)
        return report

    async def _release_leases(self) -> int:
        lease = timedelta(seconds=self._settings.push_lease_seconds)
        async with self._sessions.begin() as session:
            released = await session.scalars(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.status == DeliveryStatus.SENDING,
                    WebhookDelivery.claimed_at < func.now() - lease,
                )
                .values(status=DeliveryStatus.PENDING, claimed_at=None)
                .returning(WebhookDelivery.id)
                .execution_options(synchronize_session=False)
            )
            return len(released.all())

    async def _claim(self) -> list[Outgoing]:
        # Only for endpoints turned on, of clients not revoked: the others' deliveries wait.
        due = (
            select(WebhookDelivery.id)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .join(ApiClient, ApiClient.id == WebhookEndpoint.client_id)
            .where(
                WebhookDelivery.status == DeliveryStatus.PENDING,
                WebhookDelivery.next_attempt_at <= func.now(),
                WebhookEndpoint.disabled_at.is_(None),
                ApiClient.revoked_at.is_(None),
            )
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(self._settings.push_batch_size)
            .with_for_update(of=WebhookDelivery, skip_locked=True)
        )
        claim = (
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_(due))
            .values(status=DeliveryStatus.SENDING, claimed_at=func.now())
            .returning(
                WebhookDelivery.id,
                WebhookDelivery.event_id,
                WebhookDelivery.attempts,
                WebhookDelivery.payload,
                WebhookDelivery.endpoint_id,
            )
            .execution_options(synchronize_session=False)
        )
        async with self._sessions.begin() as session:
            claimed = (await session.execute(claim)).all()
            endpoints = {
                row.id: row
                for row in await session.execute(
                    select(
                        WebhookEndpoint.id, WebhookEndpoint.url, WebhookEndpoint.secret_sealed
                    ).where(WebhookEndpoint.id.in_({row.endpoint_id for row in claimed}))
                )
            }
        key = self._settings.webhook_secret_key
        return [
            Outgoing(
                id=row.id,
                event_id=row.event_id,
                attempts=row.attempts,
                url=endpoints[row.endpoint_id].url,
                secret=unseal(endpoints[row.endpoint_id].secret_sealed, key),
                payload=row.payload or {},
            )
            for row in claimed
        ]

    async def _send(self, delivery: Outgoing) -> Outcome:
        body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
        headers = signed_headers(delivery.secret, str(delivery.event_id), int(time.time()), body)
        try:
            target = await pinned_target(
                delivery.url,
                self._resolver,
                public_only=self._settings.environment == Environment.PROD,
            )
        except DeliveryRefused as refusal:
            return Outcome(False, error=str(refusal)[:_ERROR_MAX])
        try:
            response = await self._client.post(
                target.url,
                content=body,
                headers=headers | target.headers,
                extensions=target.extensions,
            )
        except httpx.TimeoutException:
            return Outcome(False, error="timeout")
        except httpx.HTTPError as exc:
            return Outcome(False, error=f"connection error: {type(exc).__name__}"[:_ERROR_MAX])
        code = response.status_code
        return Outcome(200 <= code < 300, code, None if 200 <= code < 300 else f"http {code}")

    async def _record(
        self, delivery: Outgoing, outcome: Outcome, report: WebhookCycleReport
    ) -> None:
        attempts = delivery.attempts + 1
        values: dict[str, Any] = {
            "attempts": attempts,
            "last_status_code": outcome.status_code,
            "last_error": outcome.error,
        }
        if outcome.delivered:
            values |= {"status": DeliveryStatus.DELIVERED, "delivered_at": func.now(), **_SETTLED}
            report.delivered += 1
        elif attempts >= self._settings.webhook_max_attempts:
            values |= {"status": DeliveryStatus.DEAD, **_SETTLED}
            report.dead += 1
        else:
            delay = self._settings.webhook_backoff_base_seconds * 2**delivery.attempts
            delay *= 1 + random.uniform(0, 0.1)  # noqa: S311 (spreading load, not a secret)
            values |= {
                "status": DeliveryStatus.PENDING,
                "next_attempt_at": func.now() + timedelta(seconds=delay),
                "claimed_at": None,
            }
            report.retried += 1
        async with self._sessions.begin() as session:
            await session.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.id == delivery.id,
                    WebhookDelivery.status == DeliveryStatus.SENDING,
                )
                .values(**values)
                .execution_options(synchronize_session=False)
            )


@contextlib.asynccontextmanager
async def webhook_worker(
    session_factory: async_sessionmaker[AsyncSession],
    settings: Settings,
    resolver: Resolver = resolve_host,
) -> AsyncIterator[WebhookWorker]:
    """A worker and its HTTP client, closed on the way out."""
    async with httpx.AsyncClient(
        timeout=httpx.Timeout(settings.webhook_timeout_seconds),
        follow_redirects=False,
        headers={"user-agent": "massar-webhooks/1"},
    ) as client:
        yield WebhookWorker(session_factory, settings, client, resolver)
