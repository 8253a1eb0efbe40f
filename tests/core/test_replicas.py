"""Lag-tolerant reads on a real streaming replica: a primary and a hot standby of the test's own
(never the machine's server, which allows no replication), made from the embedded PostgreSQL's
binaries with `initdb`, `pg_basebackup -R` over loopback and their own ports and directories.

The probe routes below answer which server ran their statements: `pg_is_in_recovery()` is true
on the standby only, and `inet_server_port()` names the server."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI
from prometheus_client import REGISTRY
from sqlalchemy import select, text, update

from app.accounts.guards import CurrentPrincipal
from app.accounts.models import User
from app.cli import upgrade_database
from app.core.db.embedded import EmbeddedPostgres, streaming_pair
from app.core.db.replicas import lag_tolerant, tolerates_lag
from app.core.db.runtime import connect, run_admin_sql
from app.core.db.session import SessionDep, create_engine, create_session_factory
from app.core.routing import included_routes
from app.main import create_app
from app.settings import get_settings
from tests.factories import World, build_world
from tests.processes import free_port

MAX_LAG_SECONDS = 1.0
CHECK_SECONDS = 0.2
WINDOW_SECONDS = 2


@dataclass
class Pair:
    primary: EmbeddedPostgres
    replica: EmbeddedPostgres

    def url(self, server: EmbeddedPostgres) -> str:
        return server.url("massar")


async def _position(url: str, query: str) -> int:
    conn = await connect(url)
    try:
        return int(await conn.fetchval(f"SELECT ({query}) - '0/0'::pg_lsn"))
    finally:
        await conn.close()


async def caught_up(pair: Pair) -> None:
    """Wait until the replica has replayed everything the primary wrote so far."""
    target = await _position(pair.url(pair.primary), "pg_current_wal_lsn()")
    deadline = time.monotonic() + 30
    while await _position(pair.url(pair.replica), "pg_last_wal_replay_lsn()") < target:
        assert time.monotonic() < deadline, "the replica did not catch up"
        await asyncio.sleep(0.05)


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    root = Path(tmp_path_factory.mktemp("replication"))
    with streaming_pair(root, free_port(), free_port()) as (primary, replica):
        run_admin_sql(primary.url("postgres"), 'CREATE DATABASE "massar"')
        upgrade_database(primary.url("massar"))
        yield Pair(primary, replica)


@pytest.fixture(scope="module")
async def world(pair: Pair) -> World:
    engine = create_engine(get_settings(), pair.url(pair.primary))
    try:
        async with create_session_factory(engine)() as session:
            world = await build_world(session)
            await session.commit()
    finally:
        await engine.dispose()
    await caught_up(pair)
    return world


def probe_routes() -> APIRouter:
    """Routes declared lag-tolerant, which say where their statements ran."""
    router = APIRouter(prefix="/probe", dependencies=[Depends(lag_tolerant)])

    async def server(session: SessionDep) -> dict[str, Any]:
        row = (
            await session.execute(text("SELECT pg_is_in_recovery() AS standby, inet_server_port()"))
        ).one()
        return {"standby": row.standby, "port": row.inet_server_port}

    @router.get("/anyone")
    async def anyone(session: SessionDep) -> dict[str, Any]:
        return await server(session)

    @router.get("/mine")
    async def mine(principal: CurrentPrincipal, session: SessionDep) -> dict[str, Any]:
        return await server(session)

    @router.get("/name/{user_id}")
    async def name(user_id: uuid.UUID, session: SessionDep) -> dict[str, Any]:
        found = await session.scalar(select(User.last_name).where(User.id == user_id))
        return {**(await server(session)), "last_name": found}

    @router.post("/write")
    async def write(principal: CurrentPrincipal, session: SessionDep) -> dict[str, Any]:
        await session.execute(
            update(User).where(User.id == principal.user_id).values(last_name="Probe")
        )
        return await server(session)

    return router


@pytest.fixture
async def app(pair: Pair, world: World) -> AsyncIterator[FastAPI]:
    settings = get_settings().model_copy(
        update={
            "database_replica_urls": [pair.url(pair.replica)],
            "replica_max_lag_seconds": MAX_LAG_SECONDS,
            "replica_check_seconds": CHECK_SECONDS,
            "read_your_writes_seconds": WINDOW_SECONDS,
        }
    )
    app = create_app(settings, pair.url(pair.primary))
    app.include_router(probe_routes())
    async with app.router.lifespan_context(app):
        # The first check may find the replica still catching up on a busy machine.
        deadline = time.monotonic() + 30
        while not app.state.read_routing.replicas.replicas[0].usable:
            assert time.monotonic() < deadline, "the replica was never found usable"
            await asyncio.sleep(CHECK_SECONDS)
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


def counted(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_a_lag_tolerant_read_is_served_by_the_replica(
    client: httpx.AsyncClient, pair: Pair, world: World
) -> None:
    answer = (await client.get("/probe/anyone")).json()
    assert answer == {"standby": True, "port": pair.replica.port}
    # A caller's login session, made on the primary, is read on the replica once replayed.
    mine = await client.get("/probe/mine", headers=world.auth("province_staff"))
    assert mine.json() == {"standby": True, "port": pair.replica.port}


async def test_a_row_written_on_the_primary_is_read_on_the_replica_after_replay(
    client: httpx.AsyncClient, pair: Pair, world: World
) -> None:
    user = world.users["teacher"]
    conn = await connect(pair.url(pair.primary))
    try:
        await conn.execute("UPDATE users SET last_name = 'Replayed' WHERE id = $1", user.id)
    finally:
        await conn.close()
    await caught_up(pair)
    answer = (await client.get(f"/probe/name/{user.id}")).json()
    assert answer == {"standby": True, "port": pair.replica.port, "last_name": "Replayed"}


async def test_a_real_lag_tolerant_route_is_served_by_the_replica(
    client: httpx.AsyncClient, world: World
) -> None:
    before = counted("massar_db_replica_reads_total", replica="replica-1")
    site = await client.get(f"/api/v1/public/schools/{world.schools['c'].code}")
    assert site.status_code in (200, 404)  # a school's public site, published or not
    overview = await client.get("/api/v1/steering/overview", headers=world.auth("province_staff"))
    assert overview.status_code == 200
    assert counted("massar_db_replica_reads_total", replica="replica-1") == before + 2


async def test_a_caller_who_wrote_reads_from_the_primary_for_a_while(
    client: httpx.AsyncClient, pair: Pair, world: World
) -> None:
    writer, other = world.auth("academy_staff"), world.auth("central_staff")
    wrote = await client.post("/probe/write", headers=writer)
    # The write, on a lag-tolerant route too, ran on the primary: a standby refuses writes.
    assert wrote.json() == {"standby": False, "port": pair.primary.port}

    assert (await client.get("/probe/mine", headers=writer)).json()["standby"] is False
    assert (await client.get("/probe/mine", headers=other)).json()["standby"] is True
    await asyncio.sleep(WINDOW_SECONDS + 0.2)
    assert (await client.get("/probe/mine", headers=writer)).json()["standby"] is True


async def test_a_route_that_did_not_declare_it_reads_from_the_primary(
    app: FastAPI, client: httpx.AsyncClient, pair: Pair
) -> None:
    router = APIRouter()

    @router.get("/strict")
    async def strict(session: SessionDep) -> bool:
        return bool((await session.execute(text("SELECT pg_is_in_recovery()"))).scalar())

    app.include_router(router)
    assert (await client.get("/strict")).json() is False


async def test_nothing_is_written_to_the_replica(pair: Pair) -> None:
    conn = await connect(pair.url(pair.replica))
    try:
        assert await conn.fetchval("SHOW transaction_read_only") == "on"
        # Every change the replica holds came from the primary's WAL: it wrote none of its own.
        assert await conn.fetchval("SELECT pg_is_in_recovery()") is True
    finally:
        await conn.close()


async def test_readyz_reports_the_replica(client: httpx.AsyncClient) -> None:
    ready = (await client.get("/readyz")).json()
    assert ready["status"] == "ok"
    [replica] = ready["replicas"]
    assert replica["name"] == "replica-1"
    assert replica["status"] == "ok"
    assert replica["lag_bytes"] is not None


async def test_reads_fall_back_to_the_primary_at_once_when_the_replica_stops(
    client: httpx.AsyncClient, pair: Pair
) -> None:
    assert (await client.get("/probe/anyone")).json()["standby"] is True
    fallbacks = counted("massar_db_replica_fallbacks_total", reason="unreachable")
    pair.replica.stop()
    try:
        # Before any check has seen it go: the request's own connection finds it gone.
        started = time.monotonic()
        answer = await client.get("/probe/anyone")
        waited = time.monotonic() - started
        assert answer.json() == {"standby": False, "port": pair.primary.port}
        assert waited < 1.0
        assert counted("massar_db_replica_fallbacks_total", reason="unreachable") == fallbacks + 1
        # Set aside: the next reads go to the primary without trying it.
        assert (await client.get("/probe/anyone")).json()["standby"] is False
        await asyncio.sleep(CHECK_SECONDS * 3)
        [state] = (await client.get("/readyz")).json()["replicas"]
        assert state["status"] == "unusable"
        assert state["problem"] == "unreachable"
    finally:
        pair.replica.start()
    deadline = time.monotonic() + 30
    while (await client.get("/probe/anyone")).json()["standby"] is False:
        assert time.monotonic() < deadline, "the replica was not read from again"
        await asyncio.sleep(CHECK_SECONDS)


def test_the_lag_tolerant_routes_are_the_declared_faces() -> None:
    app = create_app(get_settings(), "postgresql+asyncpg://nobody@127.0.0.1:1/none")
    tolerant = {
        str(getattr(route, "path", ""))
        for route in included_routes(list(app.routes))
        if tolerates_lag(route)
    }
    families = (
        "/api/v1/steering/overview",
        "/api/v1/steering/units",
        "/api/v1/public/",
        "/ims/oneroster/",
        "/api/v1/student/",
        "/api/v1/parent/children/{child_id}/",
    )
    assert tolerant
    for path in tolerant:
        assert path.startswith(families), path
    for family in families:
        assert any(path.startswith(family) for path in tolerant), family
