"""Reads compiled once and run by asyncpg itself on the request's own connection.

SQLAlchemy builds, caches by key and compiles a statement on every execution, then wraps each
row: for a read that the apps repeat all day (the principal, a timetable, a roster) that costs
several times the database's own work. A `Prepared` read is written once with SQLAlchemy Core
(so it names the same tables and columns as every other statement, and checks against the
models), compiled once for asyncpg when the module loads, and executed as a prepared statement
(asyncpg keeps each connection's prepared statements), returning asyncpg's records.

Only reads: writes go through the session, where the audit actor is set before the first one
(`audit_context.py`). A read runs on the session's connection, inside its transaction when one
is open, and without any (no BEGIN, no COMMIT) when the request has not written; or on a
connection of the hot reads' own pool (`app/core/hot_reads.py`), which has no session at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, TypeAlias

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from app.core.db.faults import database_unreachable

# Where a read runs: a request's session, or a bare connection of the hot reads' pool.
ReadConnection: TypeAlias = AsyncSession | asyncpg.Connection | asyncpg.pool.PoolConnectionProxy


class Columns(Protocol):
    """A row read by column name: asyncpg's record, or SQLAlchemy's row mapping."""

    def __getitem__(self, key: str, /) -> Any: ...


_DIALECT = PGDialect_asyncpg()  # type: ignore[no-untyped-call]
_DRIVER = "massar.driver_connection"


class Prepared:
    """A Core read, compiled once; its `bindparam`s are given by name at each execution."""

    def __init__(self, statement: ClauseElement) -> None:
        compiled = statement.compile(dialect=_DIALECT)
        assert isinstance(compiled, SQLCompiler)
        self.sql = compiled.string
        self._names = tuple(compiled.positiontup or ())
        # The values written into the statement (an enum member, a literal); the others must
        # be given at each execution, and a missing one is a KeyError, not a NULL.
        self._defaults = {
            name: value for name, value in compiled.params.items() if value is not None
        }

    def arguments(self, values: Mapping[str, Any]) -> list[Any]:
        """The positional arguments, in the statement's order."""
        return [values[name] if name in values else self._defaults[name] for name in self._names]

    async def fetch(self, db: ReadConnection, **values: Any) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self._run(db, "fetch", values)
        return rows

    async def fetchrow(self, db: ReadConnection, **values: Any) -> asyncpg.Record | None:
        row: asyncpg.Record | None = await self._run(db, "fetchrow", values)
        return row

    async def fetchval(self, db: ReadConnection, **values: Any) -> Any:
        return await self._run(db, "fetchval", values)

    async def _run(self, db: ReadConnection, method: str, values: Mapping[str, Any]) -> Any:
        if not isinstance(db, AsyncSession):
            # The hot pool's connection: asyncpg's own pool replaces it if it breaks.
            return await getattr(db, method)(self.sql, *self.arguments(values))
        session = db
        connection = await driver_connection(session)
        try:
            return await getattr(connection, method)(self.sql, *self.arguments(values))
        except Exception as error:
            if database_unreachable(error):
                # SQLAlchemy did not see the error: tell its pool to drop this connection,
                # as it does for its own statements, so the next request gets a live one.
                await (await session.connection()).invalidate(error)
            raise


async def driver_connection(session: AsyncSession) -> asyncpg.Connection:
    """The asyncpg connection under the session, kept in the session until its transaction
    ends (the connection may go back to the pool then)."""
    connection: asyncpg.Connection | None = session.info.get(_DRIVER)
    if connection is None:
        pooled = await (await session.connection()).get_raw_connection()
        connection = session.info[_DRIVER] = pooled.driver_connection
    return connection


def forget_driver_connection(info: dict[Any, Any]) -> None:
    """The session's transaction ended: its connection may be returned to the pool."""
    info.pop(_DRIVER, None)
