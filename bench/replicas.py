"""What sending a hot read to a streaming replica costs, and how fast reads fall back to the
primary when the replica stops.

    .venv/bin/python bench/replicas.py [--calls 1000]

Makes its own primary and hot standby from the embedded PostgreSQL (`pg_basebackup -R` over
loopback, ports and directories of its own, both stopped at the end), migrates, and serves the
app in-process (ASGI, no socket). The hot read is a school's public site
(`GET /api/v1/public/schools/{code}`, lag-tolerant, one indexed statement; the code is unknown,
so each answer is the same 404 and nothing is cached). In the same run, one call of each in
turn (so that a shared machine's load weighs on each alike), with medians and this process's CPU:

- floor: the read on an app with no replica configured, on the primary as before;
- replica: the same read routed to the replica (the route lookup and the pool's pre-ping);
- read-your-writes: the read of a caller who wrote moments ago (the mark is looked up in the
  process; with Redis it is one more round trip), sent to the primary.

Both servers run on this machine, so the replica's figure is the routing's cost, not a gain:
two cores cannot show a replica's added throughput. Then the fallback: the replica is stopped,
and the first read (which finds it gone and answers from the primary), the reads after it, and
the time a restarted replica takes to serve again are timed.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from prometheus_client import REGISTRY

from app.cli import upgrade_database
from app.core.db.embedded import EmbeddedPostgres, streaming_pair
from app.core.db.replicas import Replica
from app.core.db.runtime import connect, run_admin_sql
from app.main import create_app
from app.settings import Settings, get_settings

READ = "/api/v1/public/schools/00000X"
# A bearer token's shape is all the routing reads (its `sub`, unverified): {"sub": "bench"}.
WRITER = {"Authorization": "Bearer e30.eyJzdWIiOiAiYmVuY2gifQ.c2ln"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def served(settings: Settings, url: str) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(settings, url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            yield app, client


async def median_ms(client: httpx.AsyncClient, calls: int, headers: dict[str, str]) -> float:
    timings = []
    for _ in range(calls):
        started = time.perf_counter()
        answer = await client.get(READ, headers=headers)
        timings.append(time.perf_counter() - started)
        assert answer.status_code == 404, answer.text
    return statistics.median(timings) * 1000


def served_by_replica() -> float:
    return REGISTRY.get_sample_value("massar_db_replica_reads_total", {"replica": "replica-1"}) or 0


async def interleaved(
    variants: dict[str, tuple[httpx.AsyncClient, dict[str, str]]], calls: int
) -> dict[str, tuple[list[float], list[float]]]:
    """Each variant's wall and CPU times (ms), one call of each in turn, the order rotating:
    a shared machine's load then weighs on every variant alike."""
    figures: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in variants}
    names = list(variants)
    for i in range(calls):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            client, headers = variants[name]
            started, cpu = time.perf_counter(), time.process_time()
            answer = await client.get(READ, headers=headers)
            figures[name][1].append((time.process_time() - cpu) * 1000)
            figures[name][0].append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 404, answer.text
    return figures


async def caught_up(primary_url: str, replica_url: str) -> None:
    source, standby = await connect(primary_url), await connect(replica_url)
    try:
        target = await source.fetchval("SELECT pg_current_wal_lsn()")
        # Polled: the standby's replay is another process's progress.
        while await standby.fetchval("SELECT pg_last_wal_replay_lsn() < $1", target):  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    finally:
        await source.close()
        await standby.close()


async def bench(primary: EmbeddedPostgres, replica: EmbeddedPostgres, calls: int) -> None:
    primary_url, replica_url = primary.url("massar"), replica.url("massar")
    await caught_up(primary_url, replica_url)
    plain = get_settings()
    routed = plain.model_copy(update={"database_replica_urls": [replica_url]})
    async with served(plain, primary_url) as (_, floor), served(routed, primary_url) as (app, on):
        routing = app.state.read_routing
        while not routing.replicas.replicas[0].usable:  # noqa: ASYNC110  (the first checks)
            await asyncio.sleep(0.1)
        await routing.writers.lock("wrote:bench", 3600)
        variants = {"floor": (floor, {}), "replica": (on, {}), "read-your-writes": (on, WRITER)}
        for client in (floor, on):
            await median_ms(client, 200, {})  # warm up: route table, pools, statements
        before = served_by_replica()
        figures = await interleaved(variants, calls)
        assert served_by_replica() - before == calls, "a read missed the replica"
        base = statistics.median(figures["floor"][0])
        print(f"hot read {READ}, {calls} calls of each, interleaved")
        for name, (wall, cpu) in figures.items():
            median = statistics.median(wall)
            print(
                f"  {name:<17} median {median:6.3f} ms ({median / base:4.2f}x floor)  "
                f"this process's CPU {statistics.mean(cpu):6.3f} ms a call"
            )
        await fallback(on, routing.replicas.replicas[0], replica)


async def fallback(client: httpx.AsyncClient, replica: Replica, server: EmbeddedPostgres) -> None:
    server.stop()
    started = time.perf_counter()
    answer = await client.get(READ)
    first = (time.perf_counter() - started) * 1000
    assert answer.status_code == 404
    assert not replica.usable
    after = await median_ms(client, 200, {})
    print("replica stopped:")
    print(f"  first read, finding it gone, from the primary  {first:6.2f} ms")
    print(f"  reads after it (median of 200), primary        {after:6.3f} ms")
    server.start()
    started = time.perf_counter()
    before = served_by_replica()
    while served_by_replica() == before:
        await client.get(READ)
        await asyncio.sleep(0.01)
    back = time.perf_counter() - started
    print(
        f"  restarted: served by the replica again after   {back:6.2f} s (checks every "
        f"{get_settings().replica_check_seconds:g} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="massar-replicas-") as root,
        streaming_pair(Path(root), free_port(), free_port()) as (primary, replica),
    ):
        run_admin_sql(primary.url("postgres"), 'CREATE DATABASE "massar"')
        upgrade_database(primary.url("massar"))
        asyncio.run(bench(primary, replica, args.calls))


if __name__ == "__main__":
    main()
