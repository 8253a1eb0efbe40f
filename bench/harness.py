"""What the in-process benchmarks share: a throwaway migrated database with the demo, the app
served over ASGI (no network), a SQL statement counter, and timing of repeated calls."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass

import httpx
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from app.academics import reference
from app.cli import upgrade_database
from app.core.db.runtime import database, temporary_database
from app.core.db.session import create_engine, create_session_factory
from app.demo import world as demo
from app.main import create_app
from app.settings import get_settings


@contextmanager
def migrated_database() -> Iterator[str]:
    """A fresh database, migrated to head, on the embedded (or configured) server."""
    with (
        database(get_settings()) as server,
        temporary_database(server.owner_url, "massar_bench") as url,
    ):
        upgrade_database(url)
        yield url


class StatementCounter:
    """Counts every statement sent, BEGIN and COMMIT included (the driver sends those itself)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        for name in ("before_cursor_execute", "begin", "commit"):
            event.listen(engine.sync_engine, name, self._seen)

    def _seen(self, *_: object) -> None:
        self.count += 1


@dataclass
class Bench:
    client: httpx.AsyncClient
    engine: AsyncEngine
    counter: StatementCounter

    async def login(self, username: str) -> dict[str, str]:
        body = {"username": username, "password": demo.DEMO_PASSWORD}
        token = (await self.client.post("/api/v1/auth/token", json=body)).json()["access_token"]
        return {"Authorization": f"Bearer {token}"}

    async def measure(
        self, name: str, calls: int, call: Callable[[int], Awaitable[httpx.Response]]
    ) -> None:
        """Run `call` `calls` times; print the median and p95 time and the statements per call."""
        timings, statements = [], []
        for i in range(calls):
            before = self.counter.count
            started = time.perf_counter()
            response = await call(i)
            timings.append(time.perf_counter() - started)
            statements.append(self.counter.count - before)
            assert response.status_code == 200, response.text
        timings.sort()
        print(
            f"{name:<24} median {statistics.median(timings) * 1000:6.1f} ms  "
            f"p95 {_nearest_rank(timings, 0.95) * 1000:6.1f} ms  "
            f"SQL per call (BEGIN, COMMIT included) {statistics.median(statements):.0f} "
            f"(min {min(statements)}, max {max(statements)})  n={calls}"
        )


def _nearest_rank(ordered: list[float], share: float) -> float:
    """The smallest value with at least `share` of the values at or below it."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@asynccontextmanager
async def bench_app(url: str) -> AsyncIterator[Bench]:
    """The app on `url`, served in-process, with a statement counter on its engine."""
    settings = get_settings()
    engine = create_engine(settings, url)
    app = create_app(settings, database_url=url)
    app.state.engine = engine
    app.state.session_factory = create_session_factory(engine)
    transport = httpx.ASGITransport(app=app)
    try:
        # The reference data cached as when served (the lifespan is not run here).
        async with (
            reference.kept_current(app, url),
            httpx.AsyncClient(transport=transport, base_url="http://bench") as client,
        ):
            yield Bench(client, engine, StatementCounter(engine))
    finally:
        await engine.dispose()
