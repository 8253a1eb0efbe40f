"""Rows into tables through COPY, in batches, timed.

A table is loaded bare: its foreign keys, its unique constraints and its indexes are dropped
before the COPY and made again after it, in the same transaction. Checking a foreign key row
by row and growing an index row by row cost ten times more than one join and one sorted build
over the loaded table; every row is still checked, once, when the constraints come back."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from time import perf_counter

import asyncpg

Row = tuple[object, ...]
Echo = Callable[[str], None]
# Rows per COPY statement: big enough that a statement's fixed cost vanishes, small enough
# that progress shows and the server's memory stays flat.
BATCH = 500_000


@dataclass(frozen=True, slots=True)
class Table:
    """A table of the load: its name, the columns its rows fill, and the rows (a generator,
    consumed once)."""

    name: str
    columns: tuple[str, ...]
    rows: Iterable[Row]


class _Batches:
    """The rows cut into batches that are streamed, not built: the server inserts one part
    of a batch while the next part is being made."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self._rows = iter(rows)
        self.count = 0

    def next(self) -> Iterator[Row] | None:
        first = next(self._rows, None)
        return None if first is None else self._batch(first)

    def _batch(self, first: Row) -> Iterator[Row]:
        self.count += 1
        yield first
        for row in islice(self._rows, BATCH - 1):
            self.count += 1
            yield row


async def copy_table(conn: asyncpg.Connection, table: Table, echo: Echo) -> int:
    """COPY the table's rows into it bare; say how many and how long it took."""
    started = perf_counter()
    restore = await _strip(conn, table.name)
    batches = _Batches(table.rows)
    while (batch := batches.next()) is not None:
        await conn.copy_records_to_table(table.name, records=batch, columns=table.columns)
    copied = perf_counter()
    for statement in restore:
        await conn.execute(statement)
    echo(
        f"{table.name:<30} {batches.count:>12,} rows {copied - started:>8.1f} s copy"
        f" {perf_counter() - copied:>7.1f} s keys and indexes"
    )
    return batches.count


# Constraints and indexes of a table that nothing else leans on: the primary key stays (the
# ids come in order, so it grows at its end), and so does anything another table's foreign
# key uses. A foreign key into a partitioned table is also stored once per partition
# (`conparentid` names the whole one): dropping and adding the whole one is enough.
_REMOVABLE = """
SELECT c.contype::text AS kind, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
FROM pg_constraint c
WHERE c.conrelid = $1::regclass AND c.contype IN ('f', 'u') AND c.conparentid = 0
  AND NOT EXISTS (
    SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid
        AND c.contype = 'u')
UNION ALL
SELECT 'i', ci.relname, pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
WHERE i.indrelid = $1::regclass
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
"""


async def _strip(conn: asyncpg.Connection, table: str) -> list[str]:
    """Drop what slows a bulk load; answer the statements that make it again: indexes
    first, then unique constraints, then foreign keys (checked against loaded tables)."""
    found = await conn.fetch(_REMOVABLE, table)
    restore: dict[str, list[str]] = {"i": [], "u": [], "f": []}
    for row in found:
        name = row["name"]
        if row["kind"] == "i":
            await conn.execute(f'DROP INDEX "{name}"')
            restore["i"].append(row["definition"])
        else:
            await conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            restore[row["kind"]].append(
                f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {row["definition"]}'
            )
    return restore["i"] + restore["u"] + restore["f"]
