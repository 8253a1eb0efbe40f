"""National data beside the demo data, for `bench/results_day.py --national-database-url`: the
median latency of `/student/marks` at the first `--connections` on each (issue: within 1.3x),
and the central `GET /steering/overview` on each, one request at a time (target: a median of
150 ms at most on 2,000 schools and a million pupils).

The national database is one filled by `massar seed-synthetic` (migrated, its summaries built
by the load). The load writes marks as published without publishing them, so no pupil has the
snapshot a publication renders (`assessment/snapshots.py`); the bench renders those of one
class, the first pupil account's (by user name) with a published test, as a publication would,
and reads the marks of that pupil. Both services run the same code, one worker each, and are
measured in turns, so that what else the machine runs weighs on both alike.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import asyncpg
import httpx
from sqlalchemy import select

from app.academics.models import SchoolClass
from app.assessment import snapshots
from app.assessment.models import ClassTest, TestStatus
from app.core.db.runtime import asyncpg_url, connection_arguments
from app.core.db.session import create_engine, create_session_factory
from app.demo.world import DEMO_PASSWORD
from app.settings import get_settings

MARKS = "/api/v1/student/marks"
OVERVIEW = "/api/v1/steering/overview"
CENTRAL = "central.synthetic@men.gov.ma"  # `massar seed-synthetic`'s ministry account
OVERVIEW_CALLS = 20

# The first pupil account (by user name) enrolled in a class with a published test.
_SAMPLE_PUPIL = """
SELECT u.username, e.class_id
FROM users u
JOIN pupils p ON p.user_id = u.id
JOIN enrolments e ON e.pupil_id = p.id AND e.left_on IS NULL
WHERE u.role = 'student'
  AND EXISTS (SELECT 1 FROM class_tests t WHERE t.class_id = e.class_id AND t.status = 'published')
ORDER BY u.username
LIMIT 1
"""


@dataclass(frozen=True)
class Sample:
    pupil: str
    class_id: object


async def sample_pupil(database_url: str) -> Sample:
    connection = await asyncpg.connect(**connection_arguments(database_url))
    try:
        row = await connection.fetchrow(_SAMPLE_PUPIL)
    finally:
        await connection.close()
    if row is None:
        raise SystemExit("the national database has no pupil with published marks")
    return Sample(row["username"], row["class_id"])


async def render_published(database_url: str, class_id: object) -> int:
    """Render the published marks of the class's pupils, as its publications would have."""
    engine = create_engine(get_settings(), asyncpg_url(database_url))
    try:
        async with create_session_factory(engine)() as session, session.begin():
            school_class = await session.get_one(SchoolClass, class_id)
            semesters = await session.scalars(
                select(ClassTest.semester)
                .distinct()
                .where(ClassTest.class_id == class_id, ClassTest.status == TestStatus.PUBLISHED)
            )
            built = 0
            for semester in semesters.all():
                built += await snapshots.rebuild_class(session, school_class, semester)
            return built
    finally:
        await engine.dispose()


def bearer(base_url: str, username: str) -> dict[str, str]:
    answer = httpx.post(
        f"{base_url}/api/v1/auth/token",
        json={"username": username, "password": DEMO_PASSWORD},
        timeout=60,
    )
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def one_at_a_time(url: str, headers: dict[str, str], calls: int) -> list[float]:
    """The latencies in ms of `calls` requests sent one after the other (after three to warm)."""
    took: list[float] = []
    async with httpx.AsyncClient(timeout=60) as client:
        for n in range(calls + 3):
            started = time.perf_counter()
            (await client.get(url, headers=headers)).raise_for_status()
            if n >= 3:
                took.append((time.perf_counter() - started) * 1000)
    return took


Measure = Callable[[str, dict[str, str]], Awaitable[tuple[float, float, float, int]]]


async def compare(
    demo_url: str,
    national_url: str,
    national_database_url: str,
    measure: Measure,
    rounds: int,
    connections: int,
) -> None:
    """Print the side-by-side figures. `measure(url, headers)` drives one endpoint and gives
    its requests/s, p50 and p99 in ms, and its errors."""
    sample = await sample_pupil(national_database_url)
    rendered = await render_published(national_database_url, sample.class_id)
    print(
        f"\nNational data: {sample.pupil} (its class's {rendered} published marks documents "
        f"rendered), against the demo pupil; /student/marks at {connections} connections, "
        f"{rounds} rounds in turns"
    )
    pupils = {
        "demo": (demo_url, bearer(demo_url, "D130000001@taalim.ma")),
        "national": (national_url, bearer(national_url, sample.pupil)),
    }
    medians: dict[str, list[float]] = {name: [] for name in pupils}
    for round_ in range(rounds):
        for name, (base_url, headers) in pupils.items():
            rate, p50, p99, errors = await measure(base_url + MARKS, headers)
            medians[name].append(p50)
            print(
                f"  round {round_ + 1} {name:<9} {rate:>7.0f} req/s  p50 {p50:>7.1f} ms  "
                f"p99 {p99:>7.1f} ms  errors {errors}",
                flush=True,
            )
    demo, national = (statistics.median(medians[name]) for name in ("demo", "national"))
    ratio = national / demo
    print(
        f"  median latency: demo {demo:.1f} ms, national {national:.1f} ms: x{ratio:.2f} "
        f"(target within x1.3: {'met' if ratio <= 1.3 else 'NOT met'})"
    )
    central = {
        "demo": (demo_url, bearer(demo_url, "central.demo@men.gov.ma")),
        "national": (national_url, bearer(national_url, CENTRAL)),
    }
    for name, (base_url, headers) in central.items():
        took = await one_at_a_time(base_url + OVERVIEW, headers, OVERVIEW_CALLS)
        print(
            f"  GET /steering/overview (central), {name:<9}: median "
            f"{statistics.median(took):.1f} ms, slowest {max(took):.1f} ms "
            f"({OVERVIEW_CALLS} one at a time)"
        )
