"""LISTEN on a PostgreSQL channel from every process: a dedicated connection (never one of the
pool's) that tells a cache about each notification, and reconnects when it is lost.

A notification sent while nobody listened is lost, so a cache may keep what it reads only
while its listener is connected: `listening()` at each (re)connection, `deaf()` when the
connection is lost, and `changed()` on each notification each drop everything it holds."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Protocol

import asyncpg
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

RETRY_SECONDS = 2.0


class Invalidated(Protocol):
    def listening(self) -> None: ...

    def deaf(self) -> None: ...

    def changed(self, payload: str) -> None: ...


async def _listen_once(dsn: str, channel: str, cache: Invalidated) -> None:
    """Listen until the connection is lost."""
    connection = await asyncpg.connect(dsn)
    lost = asyncio.Event()
    try:
        connection.add_termination_listener(lambda _connection: lost.set())
        await connection.add_listener(
            channel, lambda _conn, _pid, _channel, payload: cache.changed(payload)
        )
        cache.listening()
        await lost.wait()
    finally:
        cache.deaf()
        with suppress(Exception):
            await asyncio.shield(connection.close(timeout=2))


async def _listen(dsn: str, channel: str, cache: Invalidated) -> None:
    while True:
        try:
            await _listen_once(dsn, channel, cache)
            log.warning("lost the connection listening on %s: reconnecting", channel)
        except (OSError, TimeoutError, asyncpg.PostgresError) as error:
            log.warning("cannot listen on %s (%s): retrying", channel, error)
        await asyncio.sleep(RETRY_SECONDS)


@asynccontextmanager
async def listening(database_url: str, channel: str, cache: Invalidated) -> AsyncIterator[None]:
    """Keep `cache` told of `channel` for the duration of the block."""
    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(False)
    task = asyncio.create_task(_listen(dsn, channel, cache))
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
