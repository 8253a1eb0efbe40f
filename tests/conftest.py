"""Test harness: a fresh database per run on a real PostgreSQL, one rolled-back transaction
per test.

The server is `MASSAR_TEST_DATABASE_URL` when set (CI points it at the machine's PostgreSQL),
else an embedded one kept in `.data/postgres-test`.
"""

from __future__ import annotations

import asyncio
import os

os.environ["MASSAR_ENVIRONMENT"] = "test"

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from app.cli import upgrade_database
from app.core.db.embedded import EmbeddedPostgres
from app.core.db.partitions import create_partitions
from app.core.db.runtime import asyncpg_url, connect, temporary_database
from app.core.db.session import create_engine
from app.main import create_app, install_services
from app.settings import get_settings
from tests.factories import (
    FamilyWorld,
    TeachingWorld,
    World,
    build_family_world,
    build_teaching_world,
    build_world,
    current_school_year_number,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """A maintenance URL (database `postgres`) on the server the tests use."""
    configured = os.environ.get("MASSAR_TEST_DATABASE_URL")
    if configured:
        yield asyncpg_url(configured)
        return
    server = EmbeddedPostgres(ROOT / ".data" / "postgres-test")
    server.start()
    try:
        yield server.url("postgres")
    finally:
        server.stop()


@pytest.fixture(scope="session")
def fresh_database(server_url: str) -> Iterator[str]:
    with temporary_database(server_url, "massar_test") as url:
        yield url


@pytest.fixture(scope="session")
def database_url(fresh_database: str) -> str:
    """The test database, migrated to head."""
    upgrade_database(fresh_database)
    asyncio.run(_create_partitions(fresh_database))
    return fresh_database


async def _create_partitions(url: str) -> None:
    """The partitions of the years the tests open (the migration made those around today)."""
    this = current_school_year_number()
    conn = await connect(url)
    try:
        await create_partitions(conn, also=range(this - 3, this + 5))
    finally:
        await conn.close()


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(get_settings(), database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """One connection whose outer transaction is rolled back after the test."""
    async with engine.connect() as conn:
        transaction = await conn.begin()
        try:
            yield conn
        finally:
            await transaction.rollback()


@pytest.fixture
def session_factory(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    # Commits inside the app release a savepoint; the test's transaction still holds them.
    return async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
async def session(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    async with session_factory() as session:
        yield session


@pytest.fixture(scope="session")
def shared_app(database_url: str) -> FastAPI:
    """One app for the run: its first request builds the route table of every face, about a
    second of CPU that each test would otherwise pay again."""
    return create_app(get_settings(), database_url=database_url)


class ConnectionLender:
    """The hot reads' connections in a test (`app/core/hot_reads.py`): the test's own, so the
    lean path reads inside the test's transaction, as the sessions do."""

    def __init__(self, driver_connection: Any) -> None:
        self.driver_connection = driver_connection

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[Any]:
        yield self.driver_connection


@pytest.fixture
async def hot_reads(connection: AsyncConnection) -> ConnectionLender:
    return ConnectionLender((await connection.get_raw_connection()).driver_connection)


@pytest.fixture
def app(
    shared_app: FastAPI,
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
    hot_reads: ConnectionLender,
) -> FastAPI:
    """The shared app with this test's transaction and fresh helpers (throttle, documents), so
    nothing a test sets on it reaches the next one. The hot reads take their lean path, on the
    test's connection."""
    shared_app.state.engine = engine
    shared_app.state.session_factory = session_factory
    shared_app.state.hot_reads = hot_reads
    install_services(shared_app, get_settings())
    return shared_app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with _client_of(app) as client:
        yield client


@pytest.fixture
def own_app(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession], database_url: str
) -> FastAPI:
    """An app of the test's own, for tests that add a throwaway route to it."""
    app = create_app(get_settings(), database_url=database_url)
    app.state.engine = engine
    app.state.session_factory = session_factory
    return app


@pytest.fixture
async def own_client(own_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with _client_of(own_app) as client:
        yield client


def _client_of(app: FastAPI) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


@pytest.fixture
async def world(session: AsyncSession) -> World:
    """Four schools in three directorates and a caller (with a token) of every role."""
    world = await build_world(session)
    await session.commit()
    return world


@pytest.fixture
async def teaching(session: AsyncSession, world: World) -> TeachingWorld:
    """Classes, pupils and teaching assignments on top of `world` (see `TeachingWorld`)."""
    teaching = await build_teaching_world(session, world)
    await session.commit()
    return teaching


@pytest.fixture
async def family(session: AsyncSession, teaching: TeachingWorld) -> FamilyWorld:
    """Pupil and parent accounts linked to the teaching world's pupils (see `FamilyWorld`)."""
    family = await build_family_world(session, teaching)
    await session.commit()
    return family
