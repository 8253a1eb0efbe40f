"""Bulk writes in one statement: the upsert every bulk endpoint shares."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, tuple_
from sqlalchemy.dialects.postgresql import Insert, insert
from sqlalchemy.orm import DeclarativeBase


def upsert(
    model: type[DeclarativeBase],
    rows: Sequence[dict[str, Any]],
    *,
    key: Sequence[str],
    update: Sequence[str],
) -> Insert:
    """INSERT … ON CONFLICT (key) DO UPDATE the `update` columns, only where they differ.

    Rows whose values are unchanged are left alone, `updated_at` included, so a replayed
    request changes nothing and delta sync (`updated_since`) does not see it again.
    """
    statement = insert(model).values(list(rows))
    table = model.__table__
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=list(key),
        set_={**{c: excluded[c] for c in update}, "updated_at": func.now()},
        where=tuple_(*(table.c[c] for c in update)).is_distinct_from(
            tuple_(*(excluded[c] for c in update))
        ),
    )
