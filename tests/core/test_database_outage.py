"""The database stopped and started under a running app: requests answer 503
`database-unavailable` with `Retry-After` while it is down, and the app recovers by itself.

The server is a PostgreSQL of the test's own (never the machine's), reached over TCP like a
production one."""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from app.cli import upgrade_database
from app.core.db.embedded import EmbeddedPostgres
from app.core.db.runtime import run_admin_sql
from app.main import create_app
from app.settings import get_settings
from tests.processes import free_port

# Any read that needs the database and no login: a school's public site (404: no such school).
PROBE = "/api/v1/public/schools/00000X"


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPostgres]:
    server = EmbeddedPostgres(Path(tmp_path_factory.mktemp("outage")) / "pg", port=free_port())
    server.start()
    try:
        run_admin_sql(server.url("postgres"), 'CREATE DATABASE "massar"')
        upgrade_database(server.url("massar"))
        yield server
    finally:
        server.stop()


@pytest.fixture
async def client(own_server: EmbeddedPostgres) -> AsyncIterator[httpx.AsyncClient]:
    settings = get_settings().model_copy(update={"db_connect_timeout_seconds": 2.0})
    app = create_app(settings, own_server.url("massar"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_a_stopped_database_answers_503_then_the_app_recovers(
    client: httpx.AsyncClient, own_server: EmbeddedPostgres
) -> None:
    assert (await client.get(PROBE)).status_code == 404

    own_server.stop()
    try:
        started = time.monotonic()
        down = await client.get(PROBE)
        waited = time.monotonic() - started
        assert down.status_code == 503
        assert down.headers["content-type"].startswith("application/problem+json")
        assert down.json()["type"].endswith("/database-unavailable")
        assert int(down.headers["Retry-After"]) > 0
        # Refused at once, not after the pool's wait for a connection.
        assert waited < get_settings().db_pool_timeout_seconds
    finally:
        own_server.start()

    # The pool's dead connections are replaced: no restart of the app.
    assert (await client.get(PROBE)).status_code == 404


async def test_a_database_that_does_not_answer_is_refused_after_the_connect_timeout() -> None:
    # A listening socket that never completes PostgreSQL's handshake: a hung server.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        settings = get_settings().model_copy(update={"db_connect_timeout_seconds": 0.5})
        app = create_app(settings, f"postgresql+asyncpg://postgres@127.0.0.1:{port}/massar")
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                answer = await client.get(PROBE)
    assert answer.status_code == 503
    assert answer.json()["type"].endswith("/database-unavailable")
