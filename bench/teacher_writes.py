"""Time `PUT attendance` and `PUT marks` for a class of 40 pupils, and count their SQL.

Runs the application in-process (ASGI, no network) against a throwaway database on the
embedded PostgreSQL (or MASSAR_DATABASE_URL's server): migrate, load the demo, add a class of 40
pupils taught by the demo teacher, then call each endpoint N times and report the median, p95
and the SQL statements one call issues (auth and transaction statements included).

    .venv/bin/python bench/teacher_writes.py --calls 50
    .venv/bin/python bench/teacher_writes.py --calls 50 --without-audit   # the triggers' cost
"""

from __future__ import annotations

import argparse
import asyncio
import uuid
from datetime import date, timedelta

from harness import bench_app, migrated_database
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import Enrolment, Gender, Pupil, SchoolClass, Subject, TeachingAssignment
from app.accounts.models import User
from app.core.db.session import create_engine, create_session_factory
from app.demo import world as demo
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


# Every row trigger that writes the audit log (the append-only guard stays).
_AUDIT_TRIGGERS = text(
    "SELECT tgrelid::regclass::text, tgname FROM pg_trigger"
    " WHERE tgfoid = 'audit_row'::regproc AND NOT tgisinternal"
)


async def disable_audit(session: AsyncSession) -> None:
    """Switch the audit triggers off, to measure what they cost."""
    for table, trigger in (await session.execute(_AUDIT_TRIGGERS)).all():
        await session.execute(text(f'ALTER TABLE {table} DISABLE TRIGGER "{trigger}"'))
    await session.commit()


async def run(url: str, calls: int, *, without_audit: bool) -> None:
    settings = get_settings()
    engine = create_engine(settings, url)
    async with create_session_factory(engine)() as session:
        class_id, math_id, pupil_ids = await prepare(session)
        if without_audit:
            await disable_audit(session)
    await engine.dispose()
    async with bench_app(url) as bench:
        headers = await bench.login("teacher.demo@taalim.ma")
        test = await bench.client.post(
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

        def roll_call(i: int) -> dict[str, object]:
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

        attendance_url = f"/api/v1/teacher/classes/{class_id}/attendance"
        await bench.measure(
            "PUT attendance (40)",
            calls,
            lambda i: bench.client.put(attendance_url, json=roll_call(i), headers=headers),
        )
        marks_url = f"/api/v1/teacher/tests/{test_id}/marks"
        await bench.measure(
            "PUT marks (40)",
            calls,
            lambda i: bench.client.put(marks_url, json=marks(i), headers=headers),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--without-audit", action="store_true", help="audit triggers off")
    args = parser.parse_args()
    with migrated_database() as url:
        asyncio.run(run(url, args.calls, without_audit=args.without_audit))


if __name__ == "__main__":
    main()
