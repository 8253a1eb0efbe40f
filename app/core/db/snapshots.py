"""Snapshots: documents rendered when the data behind them changes, stored under a key with a
version that never repeats, and read back by one prepared statement on results day."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db.base import Base
from app.core.db.prepared import ReadConnection


async def store_snapshot(
    session: AsyncSession,
    model: type[Base],
    key: dict[str, Any],
    school_id: uuid.UUID,
    versions: str,
    values: dict[str, Any],
) -> None:
    """Write the snapshot under `key` at the school, with a fresh version from the sequence
    `versions`; a snapshot of the same key at another school (a pupil who moved) is dropped."""
    table: Any = model
    await session.execute(
        delete(table).where(
            *(getattr(table, column) == value for column, value in key.items()),
            table.school_id != school_id,
        )
    )
    fresh = {"version": func.nextval(versions), "built_at": func.now(), **values}
    statement = insert(table).values(**key, school_id=school_id, **fresh)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[*key, "school_id"],
            set_={column: statement.excluded[column] for column in fresh},
        )
    )


async def fetch_row(db: ReadConnection, sql: str, *arguments: Any) -> Any:
    """One row of a fixed statement ($1, $2… for the arguments), on the session's connection
    or a hot read's: sent as written (no SQLAlchemy compilation, no ORM), and prepared by
    asyncpg once per connection, which keeps it (the hot reads of results day)."""
    if not isinstance(db, AsyncSession):
        return await db.fetchrow(sql, *arguments)
    connection = await db.connection()
    result = await connection.exec_driver_sql(sql, arguments)
    return result.first()
