"""History partitioned by school year: the hot reads touch one partition, the migration keeps
every row both ways, and a closed year is archived (and only such a year)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import asyncpg
import httpx
import pytest
from alembic import command
from sqlalchemy import event, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.academics.calendar import school_today
from app.assessment.models import Mark
from app.cli import alembic_config, upgrade_database
from app.core.db import partitions
from app.core.db.runtime import connect, temporary_database
from app.demo.synthetic.load import Size, seed_synthetic
from app.exams.models import ExamResult
from tests.factories import TeachingWorld

BEFORE = "6a1b2c3d4e03"  # the revision below the partitioning
YEAR_TABLES = partitions.BY_YEAR
POINTING = partitions.POINTING_INTO_YEARS


# ---- the hot reads prune -------------------------------------------------------------------


@contextmanager
def _statements(connection: AsyncConnection) -> Iterator[list[tuple[str, Any]]]:
    """The SQL the app runs on the test's connection, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: object, _cursor: object, statement: str, params: Any, *_: object) -> None:
        seen.append((statement, params))

    sync = connection.sync_connection
    assert sync is not None
    event.listen(sync, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(sync, "before_cursor_execute", record)


async def _partitions_read(
    connection: AsyncConnection, statement: str, params: Any, table: str
) -> set[str]:
    plan = await connection.exec_driver_sql(f"EXPLAIN {statement}", params)
    # A partition is named by its table, or by one of its indexes (`marks_y2026_…_idx`), as the
    # plan chose a sequential or an index scan.
    partition = re.compile(rf"\b({table}_y\d{{4}})")
    return {found for row in plan for found in partition.findall(str(row[0]))}


async def _reads_of(
    connection: AsyncConnection, seen: list[tuple[str, Any]], table: str
) -> list[set[str]]:
    return [
        await _partitions_read(connection, statement, params, table)
        for statement, params in seen
        if statement.lstrip().upper().startswith("SELECT") and f" {table} " in f"{statement} "
    ]


async def test_a_sheets_attendance_marks_are_read_from_one_partition(
    client: httpx.AsyncClient, teaching: TeachingWorld, connection: AsyncConnection
) -> None:
    url = f"/api/v1/teacher/classes/{teaching.classes['c1'].id}/attendance"
    pupils = teaching.pupils["c1"]
    body = {
        "date": school_today().isoformat(),
        "start_time": "08:30",
        "subject_id": str(teaching.subjects["MATH"].id),
        "marks": [{"pupil_id": str(p.id), "status": "present"} for p in pupils],
    }
    headers = teaching.auth("teacher")
    assert (await client.put(url, json=body, headers=headers)).status_code == 200
    params = {k: body[k] for k in ("date", "start_time", "subject_id")}
    with _statements(connection) as seen:
        assert (await client.get(url, params=params, headers=headers)).status_code == 200
    year = teaching.classes["c1"].school_year
    for table in ("attendance_sheets", "attendance_marks"):
        reads = await _reads_of(connection, seen, table)
        assert reads, table
        assert all(r == {f"{table}_y{year}"} for r in reads), (table, reads)


async def test_a_classs_lessons_are_read_from_one_partition(
    client: httpx.AsyncClient, teaching: TeachingWorld, connection: AsyncConnection
) -> None:
    url = f"/api/v1/teacher/classes/{teaching.classes['c1'].id}/lessons"
    with _statements(connection) as seen:
        read = await client.get(url, headers=teaching.auth("teacher"))
        assert read.status_code == 200, read.text
    reads = await _reads_of(connection, seen, "lessons")
    year = teaching.classes["c1"].school_year
    assert reads
    assert all(r == {f"lessons_y{year}"} for r in reads), reads


async def test_a_pupils_marks_and_a_sessions_results_of_a_year_are_one_partition(
    connection: AsyncConnection, teaching: TeachingWorld
) -> None:
    """The shapes of the report card's and the results' reads: a pupil's marks of a year, a
    session's candidates in its year."""
    year = teaching.classes["c1"].school_year
    pupil = teaching.pupils["c1"][0].id
    for statement, table in (
        (select(Mark).where(Mark.pupil_id == pupil, Mark.school_year == year), "marks"),
        (
            select(ExamResult).where(
                ExamResult.school_year == year, ExamResult.session_id == pupil
            ),
            "exam_results",
        ),
    ):
        compiled = statement.compile(connection.sync_engine)
        params = tuple(compiled.params[k] for k in compiled.positiontup or ())
        read = await _partitions_read(connection, str(compiled), params, table)
        assert read == {f"{table}_y{year}"}, read


async def test_a_roll_call_of_a_year_with_no_partition_answers_409(
    client: httpx.AsyncClient, teaching: TeachingWorld, connection: AsyncConnection
) -> None:
    """A year planned but not opened yet by the owner: the write is refused whole, and said."""
    year = teaching.classes["c1"].school_year
    await connection.exec_driver_sql(
        f"ALTER TABLE attendance_marks DETACH PARTITION attendance_marks_y{year}"
    )
    url = f"/api/v1/teacher/classes/{teaching.classes['c1'].id}/attendance"
    body = {
        "date": school_today().isoformat(),
        "start_time": "08:30",
        "subject_id": str(teaching.subjects["MATH"].id),
        "marks": [{"pupil_id": str(p.id), "status": "present"} for p in teaching.pupils["c1"]],
    }
    response = await client.put(url, json=body, headers=teaching.auth("teacher"))
    assert response.status_code == 409, response.text
    assert response.json()["type"].endswith("school-year-not-ready")
    sheets = await connection.exec_driver_sql("SELECT count(*) FROM attendance_sheets")
    assert sheets.scalar() == 0


async def test_a_write_into_a_year_with_no_partition_is_named(session: AsyncSession) -> None:
    """PostgreSQL refuses the row; the app answers that with a 409, not a 500."""
    row = {"school_id": None, "school_year": 1990, "test_id": None, "pupil_id": None}
    with pytest.raises(IntegrityError) as refused:
        async with session.begin_nested():
            await session.execute(insert(Mark).values(updated_by=None, **row))
    assert partitions.no_partition(refused.value)


# ---- a filled database: the migration both ways, and archiving ------------------------------


@pytest.fixture(scope="module")
def filled(server_url: str) -> Iterator[str]:
    """A throwaway database at head with a small synthetic country in it."""
    with temporary_database(server_url, "massar_partitions") as url:
        upgrade_database(url)
        asyncio.run(seed_synthetic(url, Size(schools=2, pupils=120, weeks=1), _today(), _quiet))
        yield url


def _today() -> date:
    return school_today()


def _quiet(_line: str) -> None:
    return None


async def _counts(url: str) -> dict[str, int]:
    conn = await connect(url)
    try:
        return await partitions.row_counts(conn)
    finally:
        await conn.close()


def test_the_migration_keeps_every_row_both_ways(filled: str) -> None:
    at_head = asyncio.run(_counts(filled))
    assert min(at_head["marks"], at_head["attendance_marks"], at_head["exam_results"]) > 0
    config = alembic_config(filled)
    command.downgrade(config, BEFORE)
    below = asyncio.run(_counts(filled))
    # The migrations after the partitioning take away the tables they made (empty here);
    # every other table keeps its rows.
    assert below == {table: n for table, n in at_head.items() if table in below}
    assert all(n == 0 for table, n in at_head.items() if table not in below)
    command.upgrade(config, "head")
    assert asyncio.run(_counts(filled)) == at_head


@pytest.fixture
async def owner(filled: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await connect(filled)
    try:
        yield conn
    finally:
        await conn.close()


async def _past_year(conn: asyncpg.Connection) -> int:
    """Make the loaded year a closed one two years back: two years follow it, the last current."""
    year = int(await conn.fetchval("SELECT year FROM school_years WHERE is_current"))
    await conn.execute("UPDATE school_years SET is_current = false, closed_at = now()")
    for later in (year + 1, year + 2):
        await conn.execute(
            "INSERT INTO school_years (year, starts_on, ends_on, is_current, started_at) "
            "VALUES ($1, make_date($2, 9, 1), make_date($2 + 1, 6, 30), $3, now())",
            later,
            later,
            later == year + 2,
        )
    await partitions.create_partitions(conn)
    return year


async def test_archive_year_detaches_a_closed_year_and_refuses_the_rest(
    owner: asyncpg.Connection, filled: str
) -> None:
    year = await _past_year(owner)
    before = await _counts(filled)
    await owner.execute("UPDATE school_years SET closed_at = NULL WHERE year = $1", year + 1)
    for refused, why in ((year + 1, "not closed"), (year + 2, "not closed"), (1990, "not a")):
        with pytest.raises(partitions.ArchiveRefused, match=why):
            await partitions.archive_year(owner, refused)
    await owner.execute("UPDATE school_years SET closed_at = now() WHERE year = $1", year + 1)
    with pytest.raises(partitions.ArchiveRefused, match="current or the previous"):
        await partitions.archive_year(owner, year + 1)

    await partitions.archive_year(owner, year)

    after = await _counts(filled)
    for table in (*YEAR_TABLES, *POINTING):
        archived = await owner.fetchval(f'SELECT count(*) FROM archive."{table}_y{year}"')  # noqa: S608
        assert archived == before[table] - after[table], table
    assert after["marks"] == after["attendance_marks"] == 0
    with pytest.raises(partitions.ArchiveRefused, match="archived already"):
        await partitions.archive_year(owner, year)
    # The live tables take the next years' rows as before; the archive keeps no trigger.
    triggers = await owner.fetchval(
        "SELECT count(*) FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal",
        f"archive.marks_y{year}",
    )
    assert triggers == 0
    assert year not in await _years_with_partitions(owner)


async def _years_with_partitions(conn: asyncpg.Connection) -> set[int]:
    rows = await conn.fetch(
        "SELECT substring(c.relname FROM '_y([0-9]{4})$')::int AS year FROM pg_inherits i "
        "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'marks'::regclass"
    )
    return {r["year"] for r in rows}
