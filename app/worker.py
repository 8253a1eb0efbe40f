"""The worker: every background loop of the service, in one place.

It runs as its own process (`massar worker`) or as a task of the web process
(`massar serve --with-worker`); both start exactly the loops listed here:
- the outboxes: push notifications (whose cycle also announces exam results when they come out),
  texts (SMS, email) and webhooks;
- the retention rules;
- the steering summaries' refresh.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app import retention
from app.core.loops import Batch, drain
from app.messaging.push import PushWorker, push_worker
from app.messaging.texts import TextWorker, text_worker
from app.settings import Settings
from app.steering import summaries
from app.webhooks.delivery import WebhookWorker, webhook_worker

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outboxes:
    """The three delivery workers, with their HTTP clients open."""

    push: PushWorker
    texts: TextWorker
    webhooks: WebhookWorker

    async def run_cycle(self) -> list[object]:
        """One cycle of each, in turn (`massar worker --once`): their reports."""
        return [
            await self.push.run_cycle(),
            await self.texts.run_cycle(),
            await self.webhooks.run_cycle(),
        ]


@contextlib.asynccontextmanager
async def outboxes(
    session_factory: async_sessionmaker[AsyncSession], settings: Settings
) -> AsyncIterator[Outboxes]:
    """The delivery workers, their clients closed on the way out."""
    async with (
        push_worker(session_factory, settings) as push,
        text_worker(session_factory, settings) as texts,
        webhook_worker(session_factory, settings) as webhooks,
    ):
        yield Outboxes(push, texts, webhooks)


async def run(
    session_factory: async_sessionmaker[AsyncSession], settings: Settings, stop: asyncio.Event
) -> None:
    """Every loop, until `stop` is set; each ends once its cycle in flight is recorded."""

    def drained(name: str, cycle: Callable[[], Awaitable[Batch]]) -> Awaitable[None]:
        return drain(
            name,
            cycle,
            stop,
            batch_size=settings.push_batch_size,
            rest_seconds=settings.push_poll_seconds,
        )

    async with outboxes(session_factory, settings) as delivery:
        loops = [
            drained("push", delivery.push.run_cycle),
            drained("webhook", delivery.webhooks.run_cycle),
            retention.run(session_factory, settings, stop),
            summaries.run(session_factory, settings, stop),
        ]
        if settings.text_gateway_url is None:
            log.warning("MASSAR_TEXT_GATEWAY_URL is not set: SMS and email texts stay queued")
        else:
            loops.append(drained("text", delivery.texts.run_cycle))
        await asyncio.gather(*loops)


@contextlib.asynccontextmanager
async def in_background(
    session_factory: async_sessionmaker[AsyncSession], settings: Settings
) -> AsyncIterator[None]:
    """Run the worker as a task of this process for the duration (`serve --with-worker`)."""
    stop = asyncio.Event()
    task = asyncio.create_task(run(session_factory, settings, stop), name="worker")
    try:
        yield
    finally:
        stop.set()
        # The send in flight may finish; past that the task is cancelled, and what it had
        # claimed and not confirmed is given up when the lease runs out (never sent twice).
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(task, timeout=settings.push_timeout_seconds + 1)
