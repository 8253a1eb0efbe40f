"""Migrations go up from empty and back down, and match the models."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, pool
from sqlalchemy.ext.asyncio import create_async_engine

from app.cli import alembic_config
from app.core.db.base import Base
from app.core.db.partitions import (
    include_in_comparison,
    include_object_in_comparison,
    is_partition,
)
from app.core.db.runtime import temporary_database


@pytest.fixture
def empty_database(server_url: str) -> Iterator[str]:
    with temporary_database(server_url, "massar_migrations") as url:
        yield url


def _inspect(url: str, check: object) -> object:
    async def run() -> object:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(check)  # type: ignore[arg-type]
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _tables(connection: Connection) -> set[str]:
    names = set(inspect(connection).get_table_names()) - {"alembic_version"}
    return {name for name in names if not is_partition(name)}


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection,
        opts={
            "include_name": include_in_comparison,
            "include_object": include_object_in_comparison,
        },
    )
    return compare_metadata(context, Base.metadata)


def _partitioned(connection: Connection) -> dict[str, str]:
    """Each partitioned table and its partition key, as PostgreSQL writes it."""
    rows = connection.exec_driver_sql(
        "SELECT c.relname, pg_get_partkeydef(c.oid) FROM pg_class c "
        "WHERE c.relkind = 'p' AND c.relnamespace = 'public'::regnamespace"
    )
    return {str(name): str(key) for name, key in rows}


def _declared_partitioning() -> dict[str, str]:
    return {
        name: table.dialect_options["postgresql"]["partition_by"]
        for name, table in Base.metadata.tables.items()
        if table.dialect_options["postgresql"]["partition_by"]
    }


def test_upgrade_from_empty_to_head_and_back_to_base(empty_database: str) -> None:
    config = alembic_config(empty_database)
    command.upgrade(config, "head")
    assert _inspect(empty_database, _tables) == set(Base.metadata.tables)
    assert _inspect(empty_database, _diff) == []
    # Autogenerate compares neither partitioning nor partitions: checked here.
    assert _inspect(empty_database, _partitioned) == _declared_partitioning()

    command.downgrade(config, "base")
    assert _inspect(empty_database, _tables) == set()

    command.upgrade(config, "head")
    assert _inspect(empty_database, _diff) == []


def test_single_head() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("postgresql+asyncpg://unused/none"))
    assert len(script.get_heads()) == 1
