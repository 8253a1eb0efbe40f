"""Deliberating a 3AC regional session: the time per 1,000 candidates, against a floor in the
same run that reads the same rows with plain SELECTs (every candidate's published continuous
marks, their exam marks, and their local exam's average) and computes nothing.

    .venv/bin/python bench/deliberation.py --candidates 10000 --schools 20 --repeat 3

A throwaway database gets the demo, then in bulk SQL: `--schools` schools, their 3AC classes
of 40 pupils taught MATH, FR and SVT, two published tests a subject and semester with every
pupil's mark, each school's local 3AC exam deliberated (an exam average each), and the
academy's regional 3AC session in marking with a mark in each subject for each candidate.
Each deliberation runs in a transaction rolled back afterwards, so every run sees the same
data; the figure is the median of `--repeat` runs. The SQL statements sent are counted.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

from harness import StatementCounter, migrated_database
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.core.db.session import create_engine, create_session_factory
from app.demo import world as demo
from app.exams.deliberation import deliberate_candidates
from app.exams.models import ExamSession
from app.settings import get_settings

_BENCH_SCHOOLS = "(SELECT id FROM schools WHERE code LIKE 'X%')"
_CLASSES = f"(SELECT id FROM classes WHERE school_id IN {_BENCH_SCHOOLS})"
_REGIONAL = "(SELECT id FROM exam_sessions WHERE name_fr = 'Bench régional')"

STEPS: list[tuple[str, str]] = [
    (
        "schools",
        """
        INSERT INTO schools (id, code, name_fr, name_ar, cycles, sector, area, province_id,
                             academy_id)
        SELECT gen_random_uuid(), 'X' || lpad(g::text, 6, '0'), 'Bench ' || g, 'مدرسة ' || g,
               ARRAY['college']::varchar[], 'public', 'urban', p.id, p.academy_id
        FROM generate_series(1, :schools) g
        CROSS JOIN (SELECT id, academy_id FROM provinces
                    WHERE academy_id = (SELECT min(academy_id::text)::uuid FROM provinces)
                    ORDER BY code LIMIT 1) p
        """,
    ),
    (
        "classes",
        """
        INSERT INTO classes (id, school_id, school_year, level_code, name)
        SELECT gen_random_uuid(), s.id, CAST(:year AS smallint), '3AC', '3AC-' || k
        FROM (SELECT id, row_number() OVER (ORDER BY code) AS rn FROM schools
              WHERE code LIKE 'X%') s
        CROSS JOIN generate_series(1, CAST(ceil(:candidates / 40.0 / :schools) AS int)) k
        """,
    ),
    (
        "teachers",
        f"""
        INSERT INTO users (id, username, password_hash, role, first_name, last_name, school_id,
                           province_id, academy_id)
        SELECT gen_random_uuid(), 'xbench.' || lower(s.code) || '@taalim.ma', 'x', 'teacher',
               'Prof', s.code, s.id, s.province_id, s.academy_id
        FROM schools s WHERE s.id IN {_BENCH_SCHOOLS}
        """,
    ),
    (
        "pupils and enrolments",
        f"""
        WITH c AS (SELECT id, school_id, row_number() OVER (ORDER BY school_id, name) AS rn
                   FROM classes WHERE id IN {_CLASSES}),
        p AS (
            INSERT INTO pupils (id, massar_code, school_id, first_name, last_name,
                                first_name_ar, last_name_ar, birth_date, gender)
            SELECT gen_random_uuid(), 'X' || lpad(g::text, 9, '0'), c.school_id, 'P' || g,
                   'N' || g, 'ا' || g, 'ن' || g, date '2010-01-01' + g % 1000,
                   CASE WHEN g % 2 = 0 THEN 'M' ELSE 'F' END
            FROM generate_series(1, :candidates) g
            JOIN c ON c.rn = (g - 1) / 40 + 1
            RETURNING id, massar_code)
        INSERT INTO enrolments (id, pupil_id, class_id, school_id, school_year, enrolled_on)
        SELECT gen_random_uuid(), p.id, c.id, c.school_id, CAST(:year AS smallint),
               make_date(CAST(:year AS int), 9, 1)
        FROM p JOIN c ON c.rn = (substr(p.massar_code, 2)::int - 1) / 40 + 1
        """,
    ),
    (
        "teaching assignments",
        f"""
        INSERT INTO teaching_assignments (id, school_id, school_year, teacher_id, class_id,
                                          subject_id)
        SELECT gen_random_uuid(), c.school_id, c.school_year, u.id, c.id, sub.id
        FROM classes c JOIN users u ON u.school_id = c.school_id AND u.username LIKE 'xbench.%'
        CROSS JOIN (SELECT id FROM subjects WHERE code IN ('MATH', 'FR', 'SVT')) sub
        WHERE c.id IN {_CLASSES}
        """,
    ),
    (
        "tests",
        f"""
        INSERT INTO class_tests (id, school_id, school_year, class_id, subject_id, teacher_id,
                                 semester, kind, test_date, title, status)
        SELECT gen_random_uuid(), ta.school_id, ta.school_year, ta.class_id, ta.subject_id,
               ta.teacher_id, sem, k.kind, make_date(CAST(:year AS int) + sem - 1, k.month, 10),
               k.kind, 'draft'
        FROM teaching_assignments ta
        CROSS JOIN generate_series(1, 2) sem
        CROSS JOIN (VALUES ('test_1', 1), ('test_2', 2)) k(kind, month)
        WHERE ta.class_id IN {_CLASSES}
        """,
    ),
    (
        "marks",
        f"""
        INSERT INTO marks (id, school_id, school_year, test_id, pupil_id, mark, updated_by)
        SELECT gen_random_uuid(), t.school_id, t.school_year, t.id, e.pupil_id,
               round((5 + r * 15)::numeric, 2), t.teacher_id
        FROM class_tests t
        JOIN enrolments e ON e.class_id = t.class_id
        CROSS JOIN LATERAL (SELECT random() AS r WHERE e.pupil_id IS NOT NULL) x
        WHERE t.class_id IN {_CLASSES}
        """,
    ),
    (
        "tests published",
        f"UPDATE class_tests SET status = 'published' WHERE class_id IN {_CLASSES}",
    ),
    (
        "local sessions",
        f"""
        INSERT INTO exam_sessions (id, kind, school_year, level_code, name_fr, name_ar,
                                   school_id, state, mentions)
        SELECT gen_random_uuid(), 'local', CAST(:year AS smallint), '3AC', 'Bench local',
               'محلي', s.id, 'deliberated', '[]'
        FROM schools s WHERE s.id IN {_BENCH_SCHOOLS}
        """,
    ),
    (
        "regional session",
        """
        INSERT INTO exam_sessions (id, kind, school_year, level_code, name_fr, name_ar,
                                   academy_id, state, resit_threshold, mentions)
        SELECT gen_random_uuid(), 'regional', CAST(:year AS smallint), '3AC', 'Bench régional',
               'جهوي', (SELECT academy_id FROM schools WHERE code = 'X000001'), 'marking',
               NULL, CAST(:mentions AS jsonb)
        """,
    ),
    (
        "regional subjects",
        f"""
        INSERT INTO exam_session_subjects (id, session_id, subject_id, coefficient,
                                           duration_minutes)
        SELECT gen_random_uuid(), {_REGIONAL}, id,
               CASE code WHEN 'MATH' THEN 3 ELSE 2 END, 120
        FROM subjects WHERE code IN ('MATH', 'FR', 'SVT')
        """,
    ),
    (
        "local results",
        f"""
        INSERT INTO exam_results (id, school_id, school_year, session_id, pupil_id,
                                  candidate_number, exam_average, average)
        SELECT gen_random_uuid(), e.school_id, e.school_year, x.id, e.pupil_id,
               lpad(row_number() OVER (PARTITION BY x.id ORDER BY e.pupil_id)::text, 9, '0'),
               round((6 + random() * 14)::numeric, 2), NULL
        FROM enrolments e JOIN exam_sessions x
          ON x.school_id = e.school_id AND x.name_fr = 'Bench local'
        WHERE e.class_id IN {_CLASSES}
        """,
    ),
    (
        "regional candidates",
        f"""
        INSERT INTO exam_results (id, school_id, school_year, session_id, pupil_id,
                                  candidate_number, centre_id)
        SELECT gen_random_uuid(), e.school_id, e.school_year, {_REGIONAL}, e.pupil_id,
               lpad(row_number() OVER (ORDER BY e.pupil_id)::text, 9, '0'), e.school_id
        FROM enrolments e WHERE e.class_id IN {_CLASSES}
        """,
    ),
    (
        "regional marks",
        f"""
        INSERT INTO exam_subject_results (id, school_id, school_year, result_id, subject_id,
                                          mark, absent)
        SELECT gen_random_uuid(), r.school_id, r.school_year, r.id, ss.subject_id,
               CASE WHEN random() < 0.01 THEN NULL ELSE round((random() * 20)::numeric, 2) END,
               false
        FROM exam_results r
        JOIN exam_session_subjects ss ON ss.session_id = r.session_id
        WHERE r.session_id = {_REGIONAL}
        """,
    ),
    (
        "regional absences",
        f"""
        UPDATE exam_subject_results SET absent = true
        WHERE mark IS NULL AND result_id IN (SELECT id FROM exam_results
                                             WHERE session_id = {_REGIONAL})
        """,
    ),
]

# The floor: the rows a deliberation reads, read and dropped.
FLOOR = [
    f"""
    SELECT m.pupil_id, t.class_id, t.semester, t.subject_id, t.component_id, m.mark
    FROM marks m JOIN class_tests t ON t.id = m.test_id AND t.school_id = m.school_id
    WHERE m.school_year = :year AND t.status = 'published' AND m.mark IS NOT NULL
      AND m.pupil_id IN (SELECT pupil_id FROM exam_results WHERE session_id = {_REGIONAL})
    """,
    f"""
    SELECT s.result_id, s.subject_id, s.mark FROM exam_subject_results s
    JOIN exam_results r ON r.id = s.result_id AND r.school_year = s.school_year
    WHERE r.session_id = {_REGIONAL}
    """,
    f"""
    SELECT l.pupil_id, l.exam_average FROM exam_results l
    JOIN exam_sessions x ON x.id = l.session_id AND x.name_fr = 'Bench local'
    WHERE l.pupil_id IN (SELECT pupil_id FROM exam_results WHERE session_id = {_REGIONAL})
    """,
]

MENTIONS = (
    '[{"threshold": "10", "fr": "Passable", "ar": "مقبول"},'
    ' {"threshold": "12", "fr": "Assez bien", "ar": "مستحسن"},'
    ' {"threshold": "14", "fr": "Bien", "ar": "حسن"},'
    ' {"threshold": "16", "fr": "Très bien", "ar": "حسن جدا"}]'
)


async def generate(conn: AsyncConnection, *, candidates: int, schools: int) -> int:
    """Fill the database in bulk, one statement per step; print each step's time."""
    year = int(await conn.scalar(text("SELECT year FROM school_years WHERE is_current")))
    params = {"year": year, "candidates": candidates, "schools": schools, "mentions": MENTIONS}
    for name, sql in STEPS:
        started = time.perf_counter()
        result = await conn.execute(text(sql), params)
        print(f"  {name:<22} {result.rowcount:>8} rows  {time.perf_counter() - started:5.1f} s")
    await conn.commit()
    await conn.execute(text("ANALYZE"))
    await conn.commit()
    return year


async def timed(repeat: int, run: Callable[[], Awaitable[int]]) -> tuple[float, int]:
    """The median seconds of `repeat` runs, and the statements of the last."""
    timings, statements = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        statements = await run()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), statements


async def measure(engine: AsyncEngine, year: int, candidates: int, repeat: int) -> None:
    factory = create_session_factory(engine)
    counter = StatementCounter(engine)

    async def deliberation() -> int:
        before = counter.count
        async with factory() as session:
            exam = await session.scalar(
                select(ExamSession).where(ExamSession.name_fr == "Bench régional")
            )
            assert exam is not None
            await deliberate_candidates(session, exam)
            await session.rollback()
        return counter.count - before

    async def floor() -> int:
        before = counter.count
        async with engine.connect() as conn:
            for sql in FLOOR:
                (await conn.execute(text(sql), {"year": year})).all()
            await conn.rollback()
        return counter.count - before

    floor_time, floor_statements = await timed(repeat, floor)
    own_time, own_statements = await timed(repeat, deliberation)
    per_thousand = 1000 / candidates
    print(
        f"floor        {floor_time * per_thousand * 1000:8.1f} ms per 1,000 candidates  "
        f"({floor_statements} statements)"
    )
    print(
        f"deliberation {own_time * per_thousand * 1000:8.1f} ms per 1,000 candidates  "
        f"({own_statements} statements)  x{own_time / floor_time:.1f} the floor"
    )


async def run(url: str, *, candidates: int, schools: int, repeat: int) -> None:
    engine = create_engine(get_settings(), url)
    async with create_session_factory(engine)() as session:
        await demo.seed_demo(session)
        await session.commit()
    async with engine.connect() as conn:
        year = await generate(conn, candidates=candidates, schools=schools)
    await measure(engine, year, candidates, repeat)
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with migrated_database() as url:
        asyncio.run(run(url, candidates=args.candidates, schools=args.schools, repeat=args.repeat))


if __name__ == "__main__":
    main()
