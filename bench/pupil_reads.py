"""Time the reads of results day on the demo data: `GET /student/marks` above all, and the
parent's view of the same, with the SQL statements each call issues.

    .venv/bin/python bench/pupil_reads.py --calls 50
"""

from __future__ import annotations

import argparse
import asyncio

from harness import bench_app, migrated_database

from app.core.db.session import create_engine, create_session_factory
from app.demo import world as demo
from app.settings import get_settings


async def run(url: str, calls: int) -> None:
    engine = create_engine(get_settings(), url)
    async with create_session_factory(engine)() as session:
        await demo.seed_demo(session)
        await session.commit()
    await engine.dispose()
    async with bench_app(url) as bench:
        pupil = await bench.login("D130000001@taalim.ma")
        parent = await bench.login("parent.demo@taalim.ma")
        children = (await bench.client.get("/api/v1/parent/children", headers=parent)).json()
        child = next(c["id"] for c in children if c["massar_code"] == "D130000001")
        await bench.measure(
            "GET /student/marks",
            calls,
            lambda _: bench.client.get("/api/v1/student/marks", headers=pupil),
        )
        await bench.measure(
            "GET /parent/…/marks",
            calls,
            lambda _: bench.client.get(f"/api/v1/parent/children/{child}/marks", headers=parent),
        )
        await bench.measure(
            "GET /student/absences",
            calls,
            lambda _: bench.client.get("/api/v1/student/absences", headers=pupil),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50)
    args = parser.parse_args()
    with migrated_database() as url:
        asyncio.run(run(url, args.calls))


if __name__ == "__main__":
    main()
