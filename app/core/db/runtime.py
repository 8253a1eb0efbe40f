"""Where the database is: the configured server, or the embedded one in `data_dir`."""

from __future__ import annotations

import asyncio
import atexit
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from app.core.db.embedded import EmbeddedPostgres
from app.settings import Settings, get_settings

APP_DATABASE = "massar"
# The embedded server's serving role: it may read and write rows, and owns nothing.
SERVING_ROLE = "massar_app"
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_SERVING_GRANTS = (
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    # The audit is written by its trigger, as the owner; the serving role may only read it.
    "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_log, alembic_version FROM {role}",
    # Partitions are reached through their table only: the statement triggers of a partitioned
    # table (the audit's append-only rule, the summaries' queue) do not fire on a partition.
    "DO $$ DECLARE p regclass; BEGIN"
    " FOR p IN SELECT c.oid::regclass FROM pg_class c"
    " WHERE c.relispartition AND c.relkind IN ('r', 'p')"
    " AND c.relnamespace = 'public'::regnamespace LOOP"
    " EXECUTE format('REVOKE ALL ON %s FROM {role}', p); END LOOP; END $$",
)


@dataclass(frozen=True, slots=True)
class Database:
    """The two ways into one database: the serving role's, which requests and workers use and
    which may only read and write rows, and the owner's, for migrations and any other DDL."""

    url: str
    owner_url: str


def asyncpg_url(url: str) -> str:
    """Accept `postgresql://` or `postgres://` URLs and use the asyncpg driver."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def embedded_server(settings: Settings) -> EmbeddedPostgres:
    return EmbeddedPostgres(settings.data_dir / "postgres")


@contextmanager
def database(settings: Settings) -> Iterator[Database]:
    """The database's URLs, running the embedded server for the duration if needed."""
    if settings.database_url is not None:
        owner = settings.migration_database_url or settings.database_url
        yield Database(asyncpg_url(settings.database_url), asyncpg_url(owner))
        return
    server = embedded_server(settings)
    server.start()
    try:
        ensure_database_exists(server, APP_DATABASE)
        yield Database(server.url(APP_DATABASE, SERVING_ROLE), server.url(APP_DATABASE))
    finally:
        server.stop()


def ensure_database_exists(server: EmbeddedPostgres, name: str) -> None:
    """Create the application database and its serving role in the embedded cluster on first
    use (the cluster's superuser owns the tables: it is a development server)."""

    async def create() -> None:
        conn = await asyncpg.connect(host=str(server.socket_dir), user="postgres")
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                await conn.execute(f'CREATE DATABASE "{name}"')
            role = await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", SERVING_ROLE)
            if not role:
                await conn.execute(f"CREATE ROLE {SERVING_ROLE} LOGIN")
        finally:
            await conn.close()

    asyncio.run(create())


def database_url_for_tools() -> str:
    """For a short-lived tool (the `alembic` command): the owner's URL, starting what is
    needed and stopping it at exit."""
    settings = get_settings()
    if settings.database_url is not None:
        return asyncpg_url(settings.migration_database_url or settings.database_url)
    server = embedded_server(settings)
    server.start()
    atexit.register(server.stop)
    ensure_database_exists(server, APP_DATABASE)
    return server.url(APP_DATABASE)


def grant_serving_role(database: Database) -> None:
    """Give the serving role what serving needs and nothing more: rows of every table to read
    and write, but the audit log only to read, and no ownership, so it can neither alter a
    table nor disable or drop a trigger. Run by the owner after every migration, so new tables
    are covered; a database served by its owner (development) has nothing to grant."""
    serving = make_url(database.url).username
    if not serving or serving == make_url(database.owner_url).username:
        return
    if not _ROLE_NAME.match(serving):
        raise ValueError(f"the serving role {serving!r} is not a plain role name")
    # The role name is checked above: a plain identifier, safe to write into the statements.
    run_admin_sql(database.owner_url, "; ".join(g.format(role=serving) for g in _SERVING_GRANTS))


async def connect(database_url: str) -> asyncpg.Connection:
    """A plain asyncpg connection to a database given by its SQLAlchemy URL (maintenance work
    and bulk loads, which need no ORM)."""
    return await asyncpg.connect(**connection_arguments(database_url))


def connection_arguments(database_url: str) -> dict[str, Any]:
    """asyncpg's connection arguments for a database given by its SQLAlchemy URL (a socket
    directory in its `host` query, for the embedded server)."""
    url = make_url(database_url)
    host = url.query.get("host")
    return {
        "host": host if isinstance(host, str) else url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
        "database": url.database,
    }


def run_admin_sql(server_url: str, sql: str) -> None:
    """Run one maintenance statement (CREATE/DROP DATABASE) outside any transaction."""

    async def run() -> None:
        conn = await connect(server_url)
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
