"""Reads that tolerate a few seconds of lag, served by streaming replicas of the primary.

A route declares once that its reads may lag, with the `lag_tolerant` dependency on the route or
on the router it is included with; its services keep taking the request's session and never
know where it comes from. `get_session` (`session.py`) asks `ReadRouting.replica_for` which
server a request reads from:

- only GET and HEAD of a lag-tolerant route go to a replica; every write, and so everything
  inside a write transaction, uses the primary (a replica is a hot standby: it refuses writes);
- a caller who wrote moments ago reads from the primary (read-your-writes): each request that
  writes with a named caller marks it for `read_your_writes_seconds`, in Redis when configured
  (every worker sees the mark), else in this process;
- a replica is read from only while the last check found it reachable, in recovery, and less
  than `replica_max_lag_seconds` behind; otherwise, or when its connection fails, the read
  falls back to the primary, and `massar_db_replica_fallbacks_total` counts it.

Lag is measured by WAL position, in the background (never on a request): every check reads the
primary's `pg_current_wal_lsn()` and keeps the last few with their time, then each replica's
`pg_last_wal_replay_lsn()`. A replica that has replayed the newest position is current; else it
is as old as the newest position it has replayed. The replay timestamp would misread an idle
primary (nothing to replay, yet the last replayed transaction looks old).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Any, TypeVar

import asyncpg
from fastapi import Request
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.core import metrics
from app.core.db.audit_context import actor_of
from app.core.db.faults import database_unreachable
from app.core.db.prepared import Prepared
from app.core.db.runtime import asyncpg_url
from app.core.db.session import create_engine, create_session_factory
from app.core.routing import matched_route
from app.core.security.throttle import (
    MemoryThrottleStore,
    RedisThrottleStore,
    ThrottleStore,
    redis_client,
)
from app.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")

# Set in a replica session's `info`: the guards re-read on the primary what a replica lacks.
ON_REPLICA = "massar.on_replica"
_READS = frozenset({"GET", "HEAD"})
_WRITER_KEY = "wrote:"


async def lag_tolerant() -> None:
    """Declares that a route's reads may be a few seconds behind the primary (steering figures,
    public sites, OneRoster, the pupils' and parents' views of published data). It does nothing
    when called: `replica_for` looks for it among the route's dependencies."""


def tolerates_lag(route: object) -> bool:
    """Whether a route, as the app included it (`dispatch.matched_route`), declared
    `lag_tolerant`, on itself or on a router above it."""
    dependencies = getattr(route, "dependencies", None) or ()
    return any(getattr(depends, "dependency", None) is lag_tolerant for depends in dependencies)


def parse_lsn(lsn: str) -> int:
    """A WAL position (`16/B374D848`) as a byte offset."""
    high, low = lsn.split("/")
    return (int(high, 16) << 32) | int(low, 16)


@dataclass
class Replica:
    """One streaming replica, its connections, and what its last check found."""

    name: str
    engine: AsyncEngine
    factory: async_sessionmaker[AsyncSession]
    usable: bool = False
    lag_bytes: int | None = None
    lag_seconds: float | None = None
    problem: str | None = "not checked yet"

    def report(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": "ok" if self.usable else "unusable",
            "lag_bytes": self.lag_bytes,
            "lag_seconds": None if self.lag_seconds is None else round(self.lag_seconds, 3),
            "problem": self.problem,
        }


@dataclass
class WalHistory:
    """The primary's recent WAL positions with the time each was read, oldest first."""

    keep_seconds: float
    samples: deque[tuple[float, int]] = field(default_factory=deque)

    def add(self, at: float, lsn: int) -> None:
        self.samples.append((at, lsn))
        while len(self.samples) > 1 and self.samples[1][0] < at - self.keep_seconds:
            self.samples.popleft()

    def staleness(self, replayed: int, now: float) -> float:
        """How far behind a replica that replayed up to `replayed` is, at most, in seconds: the
        time since the newest read position it has reached. Infinite when it is behind every
        position kept and they do not yet cover `keep_seconds`: too little is known to trust it."""
        for at, lsn in reversed(self.samples):
            if lsn <= replayed:
                return max(now - at, 0.0)
        if not self.samples or now - self.samples[0][0] < self.keep_seconds:
            return math.inf
        return now - self.samples[0][0]


class ReplicaSet:
    """The replicas, checked in the background against the primary."""

    def __init__(self, settings: Settings, primary: AsyncEngine, replicas: list[Replica]) -> None:
        self.primary = primary
        self.replicas = replicas
        self.max_lag_seconds = settings.replica_max_lag_seconds
        self.check_seconds = settings.replica_check_seconds
        # A replica that does not answer within this is set aside, as a primary answers 503.
        self.timeout = settings.db_connect_timeout_seconds
        # Enough history to tell a replica further behind than the bound.
        self.history = WalHistory(keep_seconds=self.max_lag_seconds + 2 * self.check_seconds)
        self._next = 0

    def pick(self) -> Replica | None:
        """A usable replica, in turn; None when none is."""
        count = len(self.replicas)
        for step in range(count):
            replica = self.replicas[(self._next + step) % count]
            if replica.usable:
                self._next = (self._next + step + 1) % count
                return replica
        return None

    def lost(self, replica: Replica, error: BaseException) -> None:
        """A request found the replica unreachable: no more reads until a check finds it back."""
        if replica.usable:
            log.warning("replica %s unreachable: %s", replica.name, error)
        replica.usable = False
        replica.problem = "unreachable"

    async def check(self) -> None:
        """One round: the primary's WAL position, then each replica's replay position."""
        try:
            async with asyncio.timeout(self.timeout), self.primary.connect() as conn:
                position = (await conn.execute(text("SELECT pg_current_wal_lsn()::text"))).scalar()
        except Exception as error:  # the primary down: the replicas' state is unknown too
            log.warning("replica check: primary unreachable: %s", error)
            return
        self.history.add(time.monotonic(), parse_lsn(str(position)))
        await asyncio.gather(*(self._check(replica) for replica in self.replicas))

    async def _check(self, replica: Replica) -> None:
        try:
            async with asyncio.timeout(self.timeout), replica.engine.connect() as conn:
                in_recovery, replayed = (
                    await conn.execute(
                        text("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text")
                    )
                ).one()
        except Exception as error:  # whatever the cause, it cannot serve reads now
            self._unusable(replica, "unreachable", str(error) or type(error).__name__)
            replica.lag_bytes = replica.lag_seconds = None
            metrics.REPLICA_LAG_BYTES.labels(replica.name).set(-1)
            return
        if not in_recovery or replayed is None:
            # Promoted, or pointed at a primary by mistake: it no longer follows this primary.
            self._unusable(replica, "not a standby", "not in recovery")
            return
        newest = self.history.samples[-1][1]
        replica.lag_bytes = max(newest - parse_lsn(replayed), 0)
        replica.lag_seconds = self.history.staleness(parse_lsn(replayed), time.monotonic())
        metrics.REPLICA_LAG_BYTES.labels(replica.name).set(replica.lag_bytes)
        if replica.lag_seconds > self.max_lag_seconds:
            self._unusable(replica, "lagging", f"{replica.lag_bytes} bytes behind")
            return
        if not replica.usable:
            log.info("replica %s serves reads", replica.name)
        replica.usable, replica.problem = True, None

    def _unusable(self, replica: Replica, problem: str, detail: str) -> None:
        if replica.usable or replica.problem != problem:
            log.warning("replica %s not read from (%s): %s", replica.name, problem, detail)
        replica.usable, replica.problem = False, problem

    async def watch(self) -> None:
        """Check every `replica_check_seconds` until cancelled."""
        while True:
            started = time.monotonic()
            await self.check()
            await asyncio.sleep(max(self.check_seconds - (time.monotonic() - started), 0))

    def report(self) -> list[dict[str, Any]]:
        return [replica.report() for replica in self.replicas]


class ReadRouting:
    """Which server a request reads from, and who wrote moments ago."""

    def __init__(self, replicas: ReplicaSet, writers: ThrottleStore, window_seconds: int) -> None:
        self.replicas = replicas
        self.writers = writers
        self.window_seconds = window_seconds

    async def replica_for(self, request: Request) -> Replica | None:
        """The replica this request reads from, or None for the primary."""
        if request.method not in _READS or not tolerates_lag(matched_route(request.scope)):
            return None
        writer = token_subject(request)
        if writer and await self.writers.locked_for(_WRITER_KEY + writer):
            metrics.READ_YOUR_WRITES.inc()
            return None
        replica = self.replicas.pick()
        if replica is None:
            metrics.REPLICA_FALLBACKS.labels("unusable").inc()
        return replica

    async def open(self, replica: Replica) -> AsyncSession | None:
        """A session on the replica with its connection in hand; None (and the replica set
        aside) when the connection fails, so the request reads from the primary at once."""
        session = replica.factory(info={ON_REPLICA: True})
        try:
            async with asyncio.timeout(self.replicas.timeout):
                await session.connection()
        except Exception as error:
            await session.close()
            if not (isinstance(error, TimeoutError) or database_unreachable(error)):
                raise
            self.replicas.lost(replica, error)
            metrics.REPLICA_FALLBACKS.labels("unreachable").inc()
            return None
        metrics.REPLICA_READS.labels(replica.name).inc()
        return session

    async def wrote(self, request: Request, session: AsyncSession) -> None:
        """After a write request committed: its caller reads from the primary for a while."""
        actor = actor_of(session.sync_session)
        if request.method not in _READS and actor is not None and actor.actor_id:
            await self.writers.lock(_WRITER_KEY + actor.actor_id, self.window_seconds)

    async def aclose(self) -> None:
        await self.writers.aclose()
        for replica in self.replicas.replicas:
            await replica.engine.dispose()


def on_replica(session: AsyncSession) -> bool:
    return bool(session.info.get(ON_REPLICA))


async def live_read(
    request: Request, session: AsyncSession, read: Callable[[AsyncSession], Awaitable[T | None]]
) -> T | None:
    """A guard's read of a live account or API client. On a replica, what it does not find is
    looked for on the primary: a login or a client newer than the replica's replay is live."""
    found = await read(session)
    if found is None and on_replica(session):
        factory: async_sessionmaker[AsyncSession] = request.app.state.session_factory
        async with factory() as primary:
            found = await read(primary)
    return found


async def fetch_live(
    request: Request, session: AsyncSession, read: Prepared, **values: Any
) -> asyncpg.Record | None:
    """`live_read` of one prepared statement's row."""
    return await live_read(request, session, lambda db: read.fetchrow(db, **values))


def token_subject(request: Request) -> str | None:
    """The `sub` of the bearer token, unverified: it only chooses the server to read from (a
    forged one gains nothing, the guards still verify the token), so no signature check."""
    header = request.headers.get("authorization", "")
    if header[:7].lower() != "bearer ":
        return None
    parts = header[7:].strip().split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError):
        return None
    subject = claims.get("sub") if isinstance(claims, dict) else None
    return subject if isinstance(subject, str) else None


def build_read_routing(settings: Settings, primary: AsyncEngine) -> ReadRouting | None:
    """The replicas the settings name, or None when there are none (every read on the primary).
    Each is named by its rank (`replica-1`): the names are shown on `/readyz` and in metrics,
    where its address would tell the public about the network."""
    if not settings.database_replica_urls:
        return None
    replicas = []
    for rank, url in enumerate(settings.database_replica_urls, start=1):
        # Each connection is tried as it leaves the pool: a read cannot be retried on the
        # primary once its handler has run, so a replica that stopped or restarted must be
        # found out before, while the request can still go to the primary.
        engine = create_engine(settings, asyncpg_url(url), pre_ping=True)
        replicas.append(Replica(f"replica-{rank}", engine, create_session_factory(engine)))
    writers: ThrottleStore
    if settings.redis_url:
        writers = RedisThrottleStore(redis_client(settings.redis_url), prefix="massar:reads:")
    else:
        if settings.workers > 1:
            log.warning("MASSAR_REDIS_URL is unset: each worker knows only its own recent writers")
        writers = MemoryThrottleStore()
    return ReadRouting(
        ReplicaSet(settings, primary, replicas), writers, settings.read_your_writes_seconds
    )


@asynccontextmanager
async def checked(routing: ReadRouting | None) -> AsyncIterator[None]:
    """Check the replicas once (so the first requests may use them), then in the background
    until the block ends; then close their connections."""
    if routing is None:
        yield
        return
    await routing.replicas.check()
    watcher = asyncio.create_task(routing.replicas.watch(), name="replica-check")
    try:
        yield
    finally:
        watcher.cancel()
        with suppress(asyncio.CancelledError):
            await watcher
        await routing.aclose()
