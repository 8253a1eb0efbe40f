"""The partitions of history: one per school year for a year's work, one per month for the
audit log. Creating and detaching partitions is DDL, which the serving role may not run: the
owner does it, from `massar migrate`, `massar create-partitions` and `massar archive-year`,
never a request. A write into a year with no partition yet is refused by PostgreSQL and
answers a 409 (`no_partition`), not a 500.

Table names below are constants and years are integers: nothing a client sent reaches the DDL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime

import asyncpg

# Partitioned by school year (LIST: one partition is one year). Order: a table before those
# that point into it; archiving detaches in the reverse order.
BY_YEAR = (
    "lessons",
    "attendance_sheets",
    "attendance_marks",
    "marks",
    "exam_results",
    "exam_subject_results",
)
# Not partitioned, but pointing into a year's partitions with the year in the key: their rows
# of an archived year move to the archive with it.
POINTING_INTO_YEARS = ("mark_corrections", "justified_absences", "exam_appeals")
AUDIT = "audit_log"
ARCHIVE = "archive"
# Audit months created past the end of the last planned school year.
AUDIT_MONTHS_AFTER = 3
SCHOOL_YEAR_FIRST_MONTH = 9

_PARTITION = re.compile(r"^(?P<table>[a-z_]+?)_(y\d{4}|\d{4}_\d{2}|default)$")
# PostgreSQL's words when a row's partition key matches no partition (SQLSTATE 23514).
_NO_PARTITION = "no partition of relation"


def is_partition(name: str) -> bool:
    """Whether `name` is a partition of one of the partitioned tables (not a table of its own
    for the models to describe)."""
    match = _PARTITION.match(name)
    return match is not None and match["table"] in (*BY_YEAR, AUDIT)


def include_in_comparison(name: str | None, type_: str, _parents: object) -> bool:
    """Alembic's `include_name`: partitions are made per year and month by the owner; the
    models describe the partitioned tables (`postgresql_partition_by`), not each partition."""
    return not (type_ == "table" and name is not None and is_partition(name))


def include_object_in_comparison(
    item: object, _name: str | None, type_: str, reflected: bool, _compare_to: object
) -> bool:
    """Alembic's `include_object`: a foreign key into a partitioned table is also stored once
    per partition it points to, which the models do not declare (PostgreSQL keeps them)."""
    if type_ != "foreign_key_constraint" or not reflected:
        return True
    referred = getattr(item, "referred_table", None)
    return referred is None or not is_partition(referred.name)


def no_partition(error: BaseException) -> bool:
    """Whether `error` is PostgreSQL finding no partition for a row (a year not opened yet)."""
    current: BaseException | None = getattr(error, "orig", None)
    cause = current.__cause__ if current is not None else error
    return isinstance(cause, asyncpg.CheckViolationError) and str(cause).startswith(_NO_PARTITION)


def year_partition(table: str, year: int) -> str:
    return f"{table}_y{year}"


async def create_year_partitions(conn: asyncpg.Connection, year: int) -> list[str]:
    """Create what is missing of a school year's partitions; the names of those created."""
    created = []
    for table in BY_YEAR:
        name = year_partition(table, year)
        if await _exists(conn, f"public.{name}"):
            continue
        await conn.execute(f"CREATE TABLE {name} PARTITION OF {table} FOR VALUES IN ({year})")
        created.append(name)
    return created


async def create_audit_months(conn: asyncpg.Connection, first: date, last: date) -> list[str]:
    """Create the audit log's missing monthly partitions from `first` to `last`. A month that
    already has rows in the default partition is left there: creating it would have to move
    them (they stay readable where they are)."""
    created = []
    month = first.replace(day=1)
    while month <= last:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        name = f"{AUDIT}_{month:%Y_%m}"
        if not await _exists(conn, f"public.{name}") and not await conn.fetchval(
            f"SELECT EXISTS (SELECT FROM {AUDIT}_default "  # noqa: S608 (constant names)
            "WHERE occurred_at >= $1::date AND occurred_at < $2::date)",
            month,
            following,
        ):
            bounds = f"FROM ('{month:%Y-%m-%d} 00:00+00') TO ('{following:%Y-%m-%d} 00:00+00')"
            await conn.execute(f"CREATE TABLE {name} PARTITION OF {AUDIT} FOR VALUES {bounds}")
            created.append(name)
        month = following
    return created


def calendar_school_year(day: date) -> int:
    """The school year a day falls in by the calendar (September to August)."""
    return day.year if day.month >= SCHOOL_YEAR_FIRST_MONTH else day.year - 1


async def create_partitions(conn: asyncpg.Connection, also: Sequence[int] = ()) -> list[str]:
    """The partitions of every planned school year and of the year after the last one, of the
    previous, current and next years by the calendar, of the years `also` names, and the audit
    months until a season past the last year's end: what `massar migrate` and
    `massar create-partitions` run, so that planning a year then running either opens it."""
    async with conn.transaction():
        today = datetime.now(UTC).date()
        this = calendar_school_year(today)
        planned = await conn.fetch("SELECT year, ends_on FROM school_years ORDER BY year")
        years = {r["year"] for r in planned} | {this - 1, this, this + 1, *also}
        years.add(max(years) + 1)
        archived = set(await archived_years(conn))
        created = []
        for year in sorted(years - archived):
            created += await create_year_partitions(conn, year)
        last = max([date(this + 1, 8, 31), *(r["ends_on"] for r in planned)])
        months = last.month + AUDIT_MONTHS_AFTER - 1
        after = date(last.year + months // 12, months % 12 + 1, 1)
        return created + await create_audit_months(conn, today, after)


async def partitioned(conn: asyncpg.Connection) -> bool:
    """Whether the database is at a revision that partitions history."""
    return bool(
        await conn.fetchval("SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass($1)", AUDIT)
    )


async def archived_years(conn: asyncpg.Connection) -> list[int]:
    rows = await conn.fetch(
        "SELECT DISTINCT substring(tablename FROM '_y([0-9]{4})$')::int AS year "
        "FROM pg_tables WHERE schemaname = $1 AND tablename ~ '_y[0-9]{4}$' ORDER BY 1",
        ARCHIVE,
    )
    return [r["year"] for r in rows]


class ArchiveRefused(Exception):
    """A year that may not be archived, and why."""


async def archive_year(conn: asyncpg.Connection, year: int) -> dict[str, int]:
    """Detach a closed school year's partitions into the `archive` schema, with the rows that
    point into them, in one transaction; the rows per table (for a detached partition, the
    planner's estimate: counting would read the whole year)."""
    async with conn.transaction():
        await _check_archivable(conn, year)
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {ARCHIVE}")
        moved = {}
        for table in POINTING_INTO_YEARS:
            moved[table] = await _move_rows(conn, table, year)
        for table in reversed(BY_YEAR):
            moved[table] = await _detach(conn, table, year)
        return moved


async def _check_archivable(conn: asyncpg.Connection, year: int) -> None:
    found = await conn.fetchrow(
        "SELECT closed_at, (SELECT year FROM school_years WHERE is_current) AS current "
        "FROM school_years WHERE year = $1 FOR UPDATE",
        year,
    )
    if found is None:
        raise ArchiveRefused(f"{year} is not a school year")
    if found["closed_at"] is None:
        raise ArchiveRefused(f"{year} is not closed")
    if found["current"] is None:
        raise ArchiveRefused("there is no current school year to keep live")
    if year >= found["current"] - 1:
        raise ArchiveRefused(f"{year} is the current or the previous school year: it stays live")
    if not await _exists(conn, f"public.{year_partition(BY_YEAR[0], year)}"):
        raise ArchiveRefused(f"{year} is archived already")


async def _move_rows(conn: asyncpg.Connection, table: str, year: int) -> int:
    """Move a year's rows of a table that points into the year's partitions to the archive.
    Its triggers (the audit) are off for the move and on again before the commit, as the bulk
    load does: this is a move, not a deletion, and the rows are kept whole in the archive."""
    target = f"{ARCHIVE}.{year_partition(table, year)}"
    of_year = f"FROM {table} WHERE school_year = {year}"
    await conn.execute(f"CREATE TABLE {target} AS SELECT * {of_year}")
    await conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    status = await conn.execute(f"DELETE {of_year}")
    await conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    return int(status.split()[-1])


async def _detach(conn: asyncpg.Connection, table: str, year: int) -> int:
    """Detach a year's partition and move it to the archive. Its foreign keys into other
    year-partitioned tables go: the rows they point to are archived with it, and a live table
    would otherwise refuse to detach them."""
    name = year_partition(table, year)
    await conn.execute(f"ALTER TABLE {table} DETACH PARTITION {name}")
    for (constraint,) in await conn.fetch(
        "SELECT conname FROM pg_constraint WHERE conrelid = to_regclass($1) AND contype = 'f' "
        "AND confrelid::regclass::text = ANY($2::text[])",
        f"public.{name}",
        list(BY_YEAR),
    ):
        await conn.execute(f'ALTER TABLE {name} DROP CONSTRAINT "{constraint}"')
    await conn.execute(f"ALTER TABLE {name} SET SCHEMA {ARCHIVE}")
    return int(
        await conn.fetchval(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass($1)",
            f"{ARCHIVE}.{name}",
        )
    )


async def row_counts(conn: asyncpg.Connection) -> dict[str, int]:
    """Every table's rows (a partitioned table's across its partitions): what a change of
    layout must keep."""
    names = await conn.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
        "AND tablename <> 'alembic_version' ORDER BY 1"
    )
    return {
        r["tablename"]: int(await conn.fetchval(f'SELECT count(*) FROM "{r["tablename"]}"'))  # noqa: S608
        for r in names
        if not is_partition(r["tablename"])
    }


async def _exists(conn: asyncpg.Connection, qualified: str) -> bool:
    return bool(await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", qualified))
