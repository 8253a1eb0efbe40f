"""The two shapes of the worker's loops, written once.

- `drain`: an outbox (pushes, texts, webhooks) is taken a batch at a time; a full batch means more
  is waiting, so the next cycle starts at once, and anything less means the loop may rest.
- `every`: a chore (retention, summaries) runs at a fixed interval.

Both survive a failed cycle: the database may be restarting, and the next cycle tries again
rather than ending the worker. A set `stop` ends either loop between cycles, never inside one,
so nothing claimed is left half recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

log = logging.getLogger(__name__)


class Batch(Protocol):
    """A cycle's report: how many items it claimed."""

    @property
    def claimed(self) -> int: ...


async def drain(
    name: str,
    cycle: Callable[[], Awaitable[Batch]],
    stop: asyncio.Event,
    *,
    batch_size: int,
    rest_seconds: float,
) -> None:
    """Run `cycle` until `stop` is set, resting between cycles unless the last batch was full."""
    while not stop.is_set():
        try:
            claimed = (await cycle()).claimed
        except Exception:
            log.exception("%s cycle failed", name)
            claimed = 0
        if claimed < batch_size:
            await _rest(stop, rest_seconds)


async def every(
    name: str, chore: Callable[[], Awaitable[None]], stop: asyncio.Event, *, seconds: float
) -> None:
    """Run `chore` now and then every `seconds`, until `stop` is set."""
    while not stop.is_set():
        try:
            await chore()
        except Exception:
            log.exception("%s failed", name)
        await _rest(stop, seconds)


async def _rest(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
