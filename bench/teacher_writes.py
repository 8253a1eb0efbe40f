"""Time `PUT attendance` and `PUT marks` for a class of 40 pupils, and count their SQL.

Runs the application in-process (ASGI, no network) against a throwaway database on the
embedded PostgreSQL (or MASSAR_DATABASE_URL's server): migrate, load the demo, add a class of 40
pupils taught by the demo teacher, then call each endpoint N times and report the median, p95
and the SQL statements one call issues (auth and transaction statements included).

    .venv/bin/python bench/teacher_writes.py --calls 50
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from datetime import date, timedelta

import httpx
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.cli import upgrade_database
from app.db.runtime import database, temporary_database
from app.db.session import create_engine, create_session_factory
from app.main import create_app
from app.models.academics import Subject
from app.models.accounts import User
from app.models.classes import Enrolment, Pupil, SchoolClass, TeachingAssignment
from app.models.enums import Gender
from app.services import demo
from app.services.calendar import school_today
from app.settings import get_settings

CLASS_SIZE = 40


async def prepare(session: AsyncSession) -> tuple[uuid.UUID, uuid.UUID, list[uuid.UUID]]:
    """The demo, plus a 40-pupil class taught maths by the demo teacher."""
    await demo.seed_demo(session)
    teacher = (
        await session.execute(select(User).where(User.username == "teacher.demo@taalim.ma"))
    ).scalar_one()
    math = (await session.execute(select(Subject).where(Subject.code == "MATH"))).scalar_one()
    year = school_today().year if school_today().month >= 9 else school_today().year - 1
    assert teacher.school_id is not None
    big = SchoolClass(
        school_id=teacher.school_id, school_year=year, level_code="1AC", name="1AC-40"
    )
    session.add(big)
    await session.flush()
    pupils = [
        Pupil(
            massar_code=f"B{n:09d}",
            school_id=teacher.school_id,
            first_name=f"P{n}",
            last_name=f"N{n}",
            first_name_ar="س",
            last_name_ar="ب",
            birth_date=date(2013, 1, 1),
            gender=Gender.FEMALE,
        )
        for n in range(CLASS_SIZE)
    ]
    session.add_all(pupils)
    await session.flush()
    session.add_all(
        Enrolment(
            pupil_id=p.id,
            class_id=big.id,
            school_id=big.school_id,
            school_year=year,
            enrolled_on=date(year, 9, 1),
        )
        for p in pupils
    )
    session.add(
        TeachingAssignment(
            school_id=big.school_id,
            school_year=year,
            teacher_id=teacher.id,
            class_id=big.id,
            subject_id=math.id,
        )
    )
    await session.commit()
    return big.id, math.id, [p.id for p in pupils]


class StatementCounter:
    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)
        # BEGIN and COMMIT are sent by the driver, not through a cursor: count them too.
        event.listen(engine.sync_engine, "begin", self._seen)
        event.listen(engine.sync_engine, "commit", self._seen)

    def _seen(self, *_: object) -> None:
        self.count += 1


async def measure(url: str, calls: int) -> None:
    settings = get_settings()
    engine = create_engine(settings, url)
    async with create_session_factory(engine)() as session:
        class_id, math_id, pupil_ids = await prepare(session)
    app = create_app(settings, database_url=url)
    app.state.engine = engine
    app.state.session_factory = create_session_factory(engine)
    counter = StatementCounter(engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        login = {"username": "teacher.demo@taalim.ma", "password": demo.DEMO_PASSWORD}
        token = (await client.post("/api/v1/auth/token", json=login)).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        test = await client.post(
            f"/api/v1/teacher/classes/{class_id}/tests",
            json={
                "subject_id": str(math_id),
                "semester": 1,
                "kind": "test_3",
                "date": str(school_today()),
                "title": "Bench",
            },
            headers=headers,
        )
        test_id = test.json()["id"]

        def attendance(i: int) -> dict[str, object]:
            statuses = ["present", "absent", "late"]
            return {
                "date": str(school_today() - timedelta(days=i % 7)),
                "start_time": "08:30",
                "subject_id": str(math_id),
                "marks": [
                    {
                        "pupil_id": str(p),
                        "status": statuses[(n + i) % 3],
                        **({"minutes_late": 5} if (n + i) % 3 == 2 else {}),
                    }
                    for n, p in enumerate(pupil_ids)
                ],
            }

        def marks(i: int) -> list[dict[str, object]]:
            return [
                {"pupil_id": str(p), "mark": f"{(n * 7 + i) % 2001 / 100:.2f}"}
                for n, p in enumerate(pupil_ids)
            ]

        for name, method, path, body in (
            (
                "PUT attendance (40)",
                "PUT",
                f"/api/v1/teacher/classes/{class_id}/attendance",
                attendance,
            ),
            ("PUT marks (40)", "PUT", f"/api/v1/teacher/tests/{test_id}/marks", marks),
        ):
            timings, statements = [], []
            for i in range(calls):
                before = counter.count
                started = time.perf_counter()
                response = await client.request(method, path, json=body(i), headers=headers)
                timings.append(time.perf_counter() - started)
                statements.append(counter.count - before)
                assert response.status_code == 200, response.text
            timings.sort()
            print(
                f"{name:<22} median {statistics.median(timings) * 1000:6.1f} ms  "
                f"p95 {timings[int(0.95 * len(timings)) - 1] * 1000:6.1f} ms  "
                f"SQL per call (BEGIN, COMMIT included) {statistics.median(statements):.0f} "
                f"(min {min(statements)}, max {max(statements)})  n={calls}"
            )
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50)
    args = parser.parse_args()
    with database(get_settings()) as app_url, temporary_database(app_url, "massar_bench") as url:
        upgrade_database(url)
        asyncio.run(measure(url, args.calls))


if __name__ == "__main__":
    main()
