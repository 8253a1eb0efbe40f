"""Alembic environment: async, on the application's metadata.

The URL is `sqlalchemy.url` when the caller set it (the CLI and the tests do), else the one the
application would use. Callers inside an event loop run these commands in a worker thread.
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

import app.tables  # noqa: F401  (every table must be known to autogenerate)
from app.core.db.base import Base
from app.core.db.partitions import include_in_comparison, include_object_in_comparison

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from app.core.db.runtime import database_url_for_tools

    return database_url_for_tools()


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        include_name=include_in_comparison,
        include_object=include_object_in_comparison,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online(url: str) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as conn:
        await conn.run_sync(_run_sync)
    await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online(_url()))
