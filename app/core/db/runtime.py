"""Where the database is: the configured server, or the embedded one in `data_dir`."""

from __future__ import annotations

import asyncio
import atexit
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg
from sqlalchemy.engine import make_url

from app.core.db.embedded import EmbeddedPostgres
from app.settings import Settings, get_settings

APP_DATABASE = "massar"


def asyncpg_url(url: str) -> str:
    """Accept `postgresql://` or `postgres://` URLs and use the asyncpg driver."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def embedded_server(settings: Settings) -> EmbeddedPostgres:
    return EmbeddedPostgres(settings.data_dir / "postgres")


@contextmanager
def database(settings: Settings) -> Iterator[str]:
    """Yield the database URL, running the embedded server for the duration if needed."""
    if settings.database_url is not None:
        yield asyncpg_url(settings.database_url)
        return
    server = embedded_server(settings)
    server.start()
    try:
        ensure_database_exists(server, APP_DATABASE)
        yield server.url(APP_DATABASE)
    finally:
        server.stop()


def ensure_database_exists(server: EmbeddedPostgres, name: str) -> None:
    """Create the application database in the embedded cluster on first use."""

    async def create() -> None:
        conn = await asyncpg.connect(host=str(server.socket_dir), user="postgres")
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(create())


def database_url_for_tools() -> str:
    """For a short-lived tool (the `alembic` command): start what is needed, stop it at exit."""
    settings = get_settings()
    if settings.database_url is not None:
        return asyncpg_url(settings.database_url)
    server = embedded_server(settings)
    server.start()
    atexit.register(server.stop)
    ensure_database_exists(server, APP_DATABASE)
    return server.url(APP_DATABASE)


def run_admin_sql(server_url: str, sql: str) -> None:
    """Run one maintenance statement (CREATE/DROP DATABASE) outside any transaction."""
    url = make_url(server_url)

    async def run() -> None:
        conn = await asyncpg.connect(
            host=url.query.get("host") or url.host,
            port=url.port,
            user=url.username,
            password=url.password,
            database=url.database,
        )
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


@contextmanager
def temporary_database(server_url: str, prefix: str) -> Iterator[str]:
    """Create an empty database on the server, yield its URL, drop it afterwards (tests and
    benchmarks)."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    run_admin_sql(server_url, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        run_admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
