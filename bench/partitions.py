"""The partition migration on a filled database: its time up and down with every table's row
count compared, then (`--archive`) the time to archive the loaded year once it is made a closed
year two years back. Run it on a throwaway database filled by `massar seed-synthetic`, at head,
with the owner's URL; `--archive` changes its school years.

    .venv/bin/python bench/partitions.py postgresql://owner@host/db [--archive]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable

from alembic import command

from app.cli import alembic_config
from app.core.db import partitions
from app.core.db.runtime import asyncpg_url, connect

BEFORE = "4d1e2f3a5b20"


async def _counts(url: str) -> dict[str, int]:
    conn = await connect(url)
    try:
        return await partitions.row_counts(conn)
    finally:
        await conn.close()


def _timed(label: str, work: Callable[[], object]) -> None:
    started = time.perf_counter()
    work()
    print(f"{label:<32} {time.perf_counter() - started:8.1f} s")


async def _archive(url: str) -> None:
    conn = await connect(url)
    try:
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
        started = time.perf_counter()
        rows = await partitions.archive_year(conn, year)
        print(f"{f'archive-year {year}':<32} {time.perf_counter() - started:8.1f} s  {rows}")
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--archive", action="store_true")
    args = parser.parse_args()
    url = asyncpg_url(args.url)
    config = alembic_config(url)
    at_head = asyncio.run(_counts(url))
    print(f"{sum(at_head.values()):,} rows in {len(at_head)} tables, marks {at_head['marks']:,}")
    _timed("down (plain tables)", lambda: command.downgrade(config, BEFORE))
    below = asyncio.run(_counts(url))
    _timed("up (partitioned)", lambda: command.upgrade(config, "head"))
    again = asyncio.run(_counts(url))
    print("row counts equal" if at_head == below == again else "ROW COUNTS DIFFER")
    if args.archive:
        asyncio.run(_archive(url))


if __name__ == "__main__":
    main()
