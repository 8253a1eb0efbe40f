"""Steering on a national-looking slice: a generator that fills a throwaway database with
schools, classes, pupils, teachers, published tests, marks and roll calls in bulk SQL, the
time to build every school's summaries after that bulk load and to refresh one school's, then
the time and SQL statements of `GET /steering/overview` (and `/units`) for central staff.

    .venv/bin/python bench/steering.py --schools 100 --pupils 50000 --calls 20
"""

from __future__ import annotations

import argparse
import asyncio
import time

from harness import bench_app, migrated_database
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.academics.calendar import school_today
from app.core.db.session import create_engine, create_session_factory
from app.demo import world as demo
from app.settings import get_settings
from app.steering import summaries

# Per bench school (codes B000001…): 16 classes of levels 1AP…2BAC, 10 teachers, MATH, FR and
# SVT taught in every class; 3 tests each (published, validated, a late draft half entered:
# entered as drafts, then given their status);
# MATH roll calls every third day of the last 4 weeks.

# Each step is one statement; `:year`, `:today` and the sizes are bound parameters.
STEPS: list[tuple[str, str]] = [
    (
        "schools",
        """
        INSERT INTO schools (id, code, name_fr, name_ar, cycles, sector, area, province_id,
                             academy_id)
        SELECT gen_random_uuid(), 'B' || lpad(g::text, 6, '0'), 'Bench ' || g, 'مدرسة ' || g,
               ARRAY['primary','college','lycee']::varchar[], 'public', 'urban', p.id,
               p.academy_id
        FROM generate_series(1, :schools) g
        JOIN (SELECT id, academy_id, row_number() OVER (ORDER BY code) - 1 AS rn,
                     count(*) OVER () AS total FROM provinces) p ON p.rn = g % p.total
        """,
    ),
    (
        "classes",
        """
        WITH lv AS (SELECT code, row_number() OVER (ORDER BY rank) - 1 AS i FROM levels)
        INSERT INTO classes (id, school_id, school_year, level_code, name)
        SELECT gen_random_uuid(), s.id, CAST(:year AS smallint), lv.code, lv.code || '-' || k
        FROM (SELECT id FROM schools WHERE code LIKE 'B%') s, generate_series(1, 16) k
        JOIN lv ON lv.i = k % 12
        """,
    ),
    (
        "teachers",
        """
        INSERT INTO users (id, username, password_hash, role, first_name, last_name, school_id,
                           province_id, academy_id)
        SELECT gen_random_uuid(), 'bench.' || lower(s.code) || '.' || k || '@taalim.ma', 'x',
               'teacher', 'Prof', 'T' || k, s.id, s.province_id, s.academy_id
        FROM schools s, generate_series(0, 9) k
        WHERE s.code LIKE 'B%'
        """,
    ),
    (
        "pupils and enrolments",
        """
        WITH s AS (SELECT id, row_number() OVER (ORDER BY code) AS rn FROM schools
                   WHERE code LIKE 'B%'),
        c AS (SELECT id, school_id,
                     row_number() OVER (PARTITION BY school_id ORDER BY name) AS k
              FROM classes WHERE school_id IN (SELECT id FROM schools WHERE code LIKE 'B%')),
        p AS (
            INSERT INTO pupils (id, massar_code, school_id, first_name, last_name, first_name_ar,
                                last_name_ar, birth_date, gender)
            SELECT gen_random_uuid(), 'B' || lpad(g::text, 9, '0'), s.id, 'P' || g, 'N' || g,
                   'ا' || g, 'ن' || g, date '2012-01-01' + g % 1000,
                   CASE WHEN g % 2 = 0 THEN 'M' ELSE 'F' END
            FROM generate_series(1, :pupils) g
            JOIN s ON s.rn = (g - 1) % :schools + 1
            RETURNING id, school_id, massar_code)
        INSERT INTO enrolments (id, pupil_id, class_id, school_id, school_year, enrolled_on)
        SELECT gen_random_uuid(), p.id, c.id, p.school_id, CAST(:year AS smallint),
               make_date(CAST(:year AS int), 9, 1)
        FROM p JOIN c ON c.school_id = p.school_id
                     AND c.k = substr(p.massar_code, 2)::int % 16 + 1
        """,
    ),
    (
        "teaching assignments",
        """
        WITH t AS (SELECT id, school_id,
                          row_number() OVER (PARTITION BY school_id ORDER BY username) - 1 AS k
                   FROM users WHERE username LIKE 'bench.%'),
        c AS (SELECT id, school_id, school_year,
                     row_number() OVER (PARTITION BY school_id ORDER BY name) AS k
              FROM classes WHERE school_id IN (SELECT id FROM schools WHERE code LIKE 'B%')),
        sub AS (SELECT id, row_number() OVER (ORDER BY code) AS k FROM subjects
                WHERE code IN ('MATH', 'FR', 'SVT'))
        INSERT INTO teaching_assignments (id, school_id, school_year, teacher_id, class_id,
                                          subject_id)
        SELECT gen_random_uuid(), c.school_id, c.school_year, t.id, c.id, sub.id
        FROM c CROSS JOIN sub
        JOIN t ON t.school_id = c.school_id AND t.k = (c.k + sub.k) % 10
        """,
    ),
    (
        "tests",
        """
        INSERT INTO class_tests (id, school_id, school_year, class_id, subject_id, teacher_id,
                                 semester, kind, test_date, title, status)
        SELECT gen_random_uuid(), ta.school_id, ta.school_year, ta.class_id, ta.subject_id,
               ta.teacher_id, 1, k.kind, k.day, k.kind, 'draft'
        FROM teaching_assignments ta
        CROSS JOIN (VALUES ('test_1', make_date(CAST(:year AS int), 10, 15)),
                           ('test_2', make_date(CAST(:year AS int), 11, 5)),
                           ('test_3', CAST(:today AS date) - 20)) k(kind, day)
        WHERE ta.school_id IN (SELECT id FROM schools WHERE code LIKE 'B%')
        """,
    ),
    (
        "marks",
        """
        INSERT INTO marks (id, school_id, school_year, test_id, pupil_id, mark, absent,
                           updated_by)
        SELECT gen_random_uuid(), t.school_id, t.school_year, t.id, e.pupil_id,
               CASE WHEN r >= 0.03 THEN round((r * 20)::numeric, 2) END, r < 0.03, t.teacher_id
        FROM class_tests t
        JOIN enrolments e ON e.class_id = t.class_id AND e.left_on IS NULL
        -- Correlated on purpose: an uncorrelated LATERAL is evaluated once per statement.
        CROSS JOIN LATERAL (SELECT random() AS r WHERE e.pupil_id IS NOT NULL) x
        WHERE t.school_id IN (SELECT id FROM schools WHERE code LIKE 'B%')
          AND (t.kind <> 'test_3' OR e.pupil_id::text < '8')  -- drafts half entered
        """,
    ),
    (
        # Marks are written while their test is a draft (the database refuses them after).
        "tests take their status",
        """
        UPDATE class_tests
        SET status = CASE kind WHEN 'test_1' THEN 'published' ELSE 'validated' END
        WHERE school_id IN (SELECT id FROM schools WHERE code LIKE 'B%') AND kind <> 'test_3'
        """,
    ),
    (
        "roll calls",
        """
        INSERT INTO attendance_sheets (id, school_id, school_year, class_id, subject_id,
                                       teacher_id, lesson_date, starts_at)
        SELECT gen_random_uuid(), ta.school_id, ta.school_year, ta.class_id, ta.subject_id,
               ta.teacher_id, CAST(:today AS date) - d, time '08:00'
        FROM teaching_assignments ta, generate_series(1, 28, 3) d
        WHERE ta.school_id IN (SELECT id FROM schools WHERE code LIKE 'B%')
          AND ta.subject_id = (SELECT id FROM subjects WHERE code = 'MATH')
        """,
    ),
    (
        "attendance marks",
        """
        INSERT INTO attendance_marks (id, school_id, school_year, sheet_id, pupil_id, status)
        SELECT gen_random_uuid(), sh.school_id, sh.school_year, sh.id, e.pupil_id,
               CASE WHEN r < 0.06 THEN 'absent' WHEN r < 0.10 THEN 'late' ELSE 'present' END
        FROM attendance_sheets sh
        JOIN enrolments e ON e.class_id = sh.class_id AND e.left_on IS NULL
        CROSS JOIN LATERAL (SELECT random() AS r WHERE e.pupil_id IS NOT NULL) x
        WHERE sh.school_id IN (SELECT id FROM schools WHERE code LIKE 'B%')
        """,
    ),
    (
        "justifications",
        """
        INSERT INTO justifications (id, school_id, pupil_id, submitted_by, reason)
        SELECT gen_random_uuid(), e.school_id, e.pupil_id,
               (SELECT id FROM users WHERE username = 'central.demo@men.gov.ma'), 'malade'
        FROM enrolments e
        WHERE e.school_id IN (SELECT id FROM schools WHERE code LIKE 'B%')
          AND e.pupil_id::text < '08'
        """,
    ),
]


async def generate(conn: AsyncConnection, *, schools: int, pupils: int) -> None:
    """Fill the database in bulk, one INSERT … SELECT per step; print each step's time."""
    year = await conn.scalar(text("SELECT year FROM school_years WHERE is_current"))
    params = {"year": year, "today": school_today(), "schools": schools, "pupils": pupils}
    for name, sql in STEPS:
        started = time.perf_counter()
        result = await conn.execute(text(sql), params)
        print(f"  {name:<22} {result.rowcount:>8} rows  {time.perf_counter() - started:5.1f} s")
    await conn.commit()
    # Fresh statistics, as autovacuum would have them by the time anyone looks; committed, or
    # the rollback at close would drop them.
    await conn.execute(text("ANALYZE"))
    await conn.commit()


async def summarise(engine: AsyncEngine) -> None:
    """Build every school's summaries, as after any bulk load, then time one school's refresh
    (what the worker does for a school with queued changes)."""
    factory = create_session_factory(engine)
    started = time.perf_counter()
    async with factory() as session, session.begin():
        await summaries.rebuild(session)
    print(f"summaries rebuilt in {time.perf_counter() - started:.1f} s")
    async with factory() as session, session.begin():
        school = await session.scalar(text("SELECT id FROM schools WHERE code = 'B000001'"))
        started = time.perf_counter()
        await summaries.refresh_school(session, school)
        print(f"one school's summaries refreshed in {time.perf_counter() - started:.3f} s")


async def run(url: str, *, schools: int, pupils: int, calls: int) -> None:
    engine = create_engine(get_settings(), url)
    async with create_session_factory(engine)() as session:
        await demo.seed_demo(session)
        await session.commit()
    started = time.perf_counter()
    async with engine.connect() as conn:
        await generate(conn, schools=schools, pupils=pupils)
    print(f"generated in {time.perf_counter() - started:.1f} s")
    await summarise(engine)
    await engine.dispose()
    async with bench_app(url) as bench:
        central = await bench.login("central.demo@men.gov.ma")
        academy = await bench.login("academy.demo@men.gov.ma")
        for name, path, who in (
            ("GET /steering/overview", "/api/v1/steering/overview", central),
            ("GET /steering/units", "/api/v1/steering/units", central),
            ("  (academy) overview", "/api/v1/steering/overview", academy),
        ):
            await bench.measure(
                name, calls, lambda _, p=path, h=who: bench.client.get(p, headers=h)
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=100)
    parser.add_argument("--pupils", type=int, default=50_000)
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    with migrated_database() as url:
        asyncio.run(run(url, schools=args.schools, pupils=args.pupils, calls=args.calls))


if __name__ == "__main__":
    main()
