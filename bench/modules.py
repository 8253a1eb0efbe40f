"""The back-office modules on a national-looking slice: a generator that fills a throwaway
database with this year's school projects, equipment, sport, partnerships, websites, diagnostic
results and trainings in bulk SQL, then the time and SQL statements of the steering overview,
of each module's steering list and of each module's `steering_figure`, for central staff and
for one directorate.

    .venv/bin/python bench/modules.py --schools 2000 --calls 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from harness import Bench, bench_app, migrated_database
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.academics.calendar import school_today
from app.core.db.session import create_engine, create_session_factory
from app.demo import world as demo
from app.modules.diagnostics import evaluation as diagnostics
from app.modules.equipment import inventory as equipment
from app.modules.partnerships import agreements as partnerships
from app.modules.school_projects import figures as school_projects_figures
from app.modules.sports import association as sports
from app.modules.trainings import programmes as trainings
from app.modules.websites import steering as websites_steering
from app.organisation.schemas import UnitLevel, UnitOut
from app.organisation.units import MINISTRY
from app.settings import get_settings

# Per bench school (codes B000001…): a director and 2 teachers, classes 1AC and 2AC of 30
# pupils each; a PEI (3 axes, 6 objectives, 12 actions, 6 indicators); 20 inventory lines and
# 2 requests of 3 lines; an association and 50 licences; a partner with 2 agreements; a site
# with 12 news (10 published) and 3 events. Nationally: a MATH diagnostic test for 1AC (4
# competencies, results for the 1AC pupils). Per directorate: 2 partners of 2 agreements each,
# 2 training programmes of 2 sessions; every bench teacher registered to one session.

# Each step is one statement; `:year`, `:today` and `:schools` are bound parameters. A random
# draw shared by two columns sits in a sub-select's list: an uncorrelated
# `CROSS JOIN LATERAL (SELECT random())` is evaluated once for the whole statement.
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
        "staff and teachers",
        """
        INSERT INTO users (id, username, password_hash, role, title, first_name, last_name,
                           school_id, province_id, academy_id)
        SELECT gen_random_uuid(),
               CASE WHEN k = 0 THEN 'bench.' || lower(s.code) || '.dir@taalim.ma'
                    ELSE 'bench.' || lower(s.code) || '.t' || k || '@taalim.ma' END, 'x',
               CASE WHEN k = 0 THEN 'school_staff' ELSE 'teacher' END,
               CASE WHEN k = 0 THEN 'director' END, 'Staff', 'S' || k, s.id, s.province_id,
               s.academy_id
        FROM schools s, generate_series(0, 2) k
        WHERE s.code LIKE 'B%'
        """,
    ),
    (
        "classes",
        """
        INSERT INTO classes (id, school_id, school_year, level_code, name)
        SELECT gen_random_uuid(), s.id, CAST(:year AS smallint), lv, lv || '-1'
        FROM (SELECT id FROM schools WHERE code LIKE 'B%') s, unnest(ARRAY['1AC', '2AC']) lv
        """,
    ),
    (
        "pupils and enrolments",
        """
        WITH s AS (SELECT id, row_number() OVER (ORDER BY code) AS rn FROM schools
                   WHERE code LIKE 'B%'),
        p AS (
            INSERT INTO pupils (id, massar_code, school_id, first_name, last_name, first_name_ar,
                                last_name_ar, birth_date, gender)
            SELECT gen_random_uuid(), 'B' || lpad(g::text, 9, '0'), s.id, 'P' || g, 'N' || g,
                   'ا' || g, 'ن' || g, date '2013-01-01' + g % 700,
                   CASE WHEN g % 2 = 0 THEN 'M' ELSE 'F' END
            FROM generate_series(1, :schools * 60) g
            JOIN s ON s.rn = (g - 1) / 60 + 1  -- 60 consecutive codes per school
            RETURNING id, school_id, massar_code)
        INSERT INTO enrolments (id, pupil_id, class_id, school_id, school_year, enrolled_on)
        SELECT gen_random_uuid(), p.id, c.id, p.school_id, CAST(:year AS smallint),
               make_date(CAST(:year AS int), 9, 1)
        FROM p JOIN classes c ON c.school_id = p.school_id
          AND c.level_code = CASE WHEN substr(p.massar_code, 2)::int % 2 = 0
                                  THEN '1AC' ELSE '2AC' END
        """,
    ),
    (
        "school projects",
        """
        INSERT INTO school_projects (id, school_id, school_year, status, title, created_by,
                                     submitted_at, decided_at)
        SELECT gen_random_uuid(), s.id, CAST(:year AS smallint), st, 'PEI ' || s.code, u.id,
               CASE WHEN st <> 'draft' THEN now() - interval '20 days' END,
               CASE WHEN st IN ('approved', 'returned') THEN now() - interval '5 days' END
        FROM schools s
        JOIN users u ON u.username = 'bench.' || lower(s.code) || '.dir@taalim.ma'
        CROSS JOIN LATERAL (SELECT (ARRAY['draft', 'submitted', 'approved', 'approved',
                            'returned'])[1 + substr(s.code, 2)::int % 5] AS st) x
        WHERE s.code LIKE 'B%'
        """,
    ),
    (
        "project axes",
        """
        INSERT INTO school_project_axes (id, school_id, project_id, position, title)
        SELECT gen_random_uuid(), p.school_id, p.id, k, 'Axe ' || k
        FROM school_projects p, generate_series(1, 3) k
        WHERE p.school_id IN (SELECT id FROM schools WHERE code LIKE 'B%')
        """,
    ),
    (
        "project objectives",
        """
        INSERT INTO school_project_objectives (id, school_id, project_id, axis_id, title)
        SELECT gen_random_uuid(), a.school_id, a.project_id, a.id, 'Objectif ' || a.position
               || '.' || k
        FROM school_project_axes a, generate_series(1, 2) k
        WHERE a.school_id IN (SELECT id FROM schools WHERE code LIKE 'B%')
        """,
    ),
    (
        "project actions",
        """
        INSERT INTO school_project_actions (id, school_id, project_id, objective_id, title,
                                            owner_label, starts_on, ends_on, budget, status,
                                            progress)
        SELECT gen_random_uuid(), o.school_id, o.project_id, o.id, o.title || ' action ' || k,
               'Cellule de veille', make_date(CAST(:year AS int), 10, 1),
               make_date(CAST(:year AS int) + 1, 5, 31),
               (1000 + random() * 20000)::numeric(12, 2),
               (ARRAY['planned', 'in_progress', 'in_progress', 'done'])
                   [1 + floor(random() * 4)::int],
               (random() * 100)::smallint
        FROM school_project_objectives o, generate_series(1, 2) k
        WHERE o.school_id IN (SELECT id FROM schools WHERE code LIKE 'B%')
        """,
    ),
    (
        "project indicators",
        """
        INSERT INTO school_project_indicators (id, school_id, project_id, objective_id, name,
                                               unit, baseline, target, actual)
        SELECT gen_random_uuid(), o.school_id, o.project_id, o.id, 'Taux ' || o.title, '%',
               60, 80, round((60 + random() * 25)::numeric, 2)
        FROM school_project_objectives o
        WHERE o.school_id IN (SELECT id FROM schools WHERE code LIKE 'B%')
        """,
    ),
    (
        "equipment inventory",
        """
        WITH i AS (SELECT id, row_number() OVER (ORDER BY code) AS k FROM equipment_items)
        INSERT INTO equipment_inventory (id, school_id, item_id, condition, location, quantity,
                                         acquired_on)
        SELECT gen_random_uuid(), s.id, i.id,
               (ARRAY['new', 'good', 'good', 'worn', 'broken'])[1 + (i.k + n) % 5], 'Magasin',
               1 + (i.k * 7 + n) % 30, make_date(2015 + (i.k % 10)::int, 9, 1)
        FROM (SELECT id, row_number() OVER (ORDER BY code) AS n FROM schools
              WHERE code LIKE 'B%') s
        JOIN i ON i.k BETWEEN 1 + s.n % 40 AND 20 + s.n % 40
        """,
    ),
    (
        "equipment requests",
        """
        INSERT INTO equipment_requests (id, school_id, status, submitted_by, submitted_at,
                                        decided_by, decided_at, delivered_by, delivered_at)
        SELECT gen_random_uuid(), s.id, st, u.id, now() - interval '30 days',
               CASE WHEN st = 'delivered' THEN u.id END,
               CASE WHEN st = 'delivered' THEN now() - interval '20 days' END,
               CASE WHEN st = 'delivered' THEN u.id END,
               CASE WHEN st = 'delivered' THEN now() - interval '10 days' END
        FROM schools s
        JOIN users u ON u.username = 'bench.' || lower(s.code) || '.dir@taalim.ma'
        CROSS JOIN unnest(ARRAY['submitted', 'delivered']) st
        WHERE s.code LIKE 'B%'
        """,
    ),
    (
        "equipment request lines",
        """
        WITH i AS (SELECT id, row_number() OVER (ORDER BY code) AS k FROM equipment_items)
        INSERT INTO equipment_request_lines (id, school_id, request_id, item_id, quantity,
                                             reason, allocated_quantity)
        SELECT gen_random_uuid(), r.school_id, r.id, i.id, 4, 'Remplacement',
               CASE WHEN r.status = 'delivered' THEN 3 END
        FROM equipment_requests r JOIN i ON i.k IN (41, 42, 43)
        WHERE r.school_id IN (SELECT id FROM schools WHERE code LIKE 'B%')
        """,
    ),
    (
        "sport associations",
        """
        INSERT INTO sport_associations (id, school_id, name, president_id, founded_on)
        SELECT gen_random_uuid(), s.id, 'ASS ' || s.code, u.id, date '2010-09-01'
        FROM schools s
        JOIN users u ON u.username = 'bench.' || lower(s.code) || '.dir@taalim.ma'
        WHERE s.code LIKE 'B%'
        """,
    ),
    (
        "association disciplines",
        """
        INSERT INTO sport_association_disciplines (school_id, association_id, discipline_id)
        SELECT a.school_id, a.id, d.id
        FROM sport_associations a, sport_disciplines d
        WHERE a.school_id IN (SELECT id FROM schools WHERE code LIKE 'B%')
          AND d.code IN ('ATHLE', 'CROSS', 'FOOT')
        """,
    ),
    (
        "sport licences",
        """
        INSERT INTO sport_licences (id, school_id, school_year, pupil_id, number, category,
                                    medical_certificate_on)
        SELECT gen_random_uuid(), p.school_id, CAST(:year AS smallint), p.id, p.massar_code,
               (ARRAY['minimes', 'cadets', 'juniors'])[1 + substr(p.massar_code, 2)::int % 3],
               CASE WHEN substr(p.massar_code, 2)::int % 10 <> 0
                    THEN CAST(:today AS date) - 30 END
        FROM pupils p
        WHERE p.school_id IN (SELECT id FROM schools WHERE code LIKE 'B%')
          AND substr(p.massar_code, 2)::int % 12 NOT IN (0, 1)
        """,
    ),
    (
        "licence disciplines",
        """
        INSERT INTO sport_licence_disciplines (school_id, licence_id, discipline_id)
        SELECT l.school_id, l.id, d.id
        FROM sport_licences l JOIN sport_disciplines d
          ON d.code = CASE WHEN substr(l.number, 2)::int % 3 = 0 THEN 'FOOT' ELSE 'ATHLE' END
        WHERE l.school_id IN (SELECT id FROM schools WHERE code LIKE 'B%')
        """,
    ),
    (
        "partners",
        """
        INSERT INTO partners (id, kind, name, name_key, created_by, owner_level, school_id,
                              province_id, academy_id)
        SELECT gen_random_uuid(), kind, name, lower(name), creator, lvl, sid, pid, aid
        FROM (SELECT 'ngo' AS kind, 'Association ' || s.code AS name, u.id AS creator,
                     'school' AS lvl, s.id AS sid, s.province_id AS pid, s.academy_id AS aid
              FROM schools s
              JOIN users u ON u.username = 'bench.' || lower(s.code) || '.dir@taalim.ma'
              WHERE s.code LIKE 'B%'
              UNION ALL
              SELECT (ARRAY['company', 'local_authority'])[k], 'Partenaire ' || p.code || '-' || k,
                     (SELECT id FROM users WHERE username = 'central.demo@men.gov.ma'),
                     'province', NULL, p.id, p.academy_id
              FROM provinces p, generate_series(1, 2) k) x
        """,
    ),
    (
        "partnership agreements",
        """
        INSERT INTO partnership_agreements (id, partner_id, title, domain, start_date, end_date,
                                            status, signed_on, created_by, owner_level,
                                            school_id, province_id, academy_id)
        SELECT gen_random_uuid(), p.id, 'Convention ' || p.name || ' ' || k,
               (ARRAY['infrastructure', 'pedagogical_support', 'school_transport',
                      'social_support', 'digital', 'sports_culture', 'training', 'health',
                      'other'])[1 + (abs(hashtext(p.name)) + k) % 9],
               CAST(:today AS date) - 200, CAST(:today AS date) + (k * 40 + random() * 300)::int,
               CASE WHEN k = 3 THEN 'draft' ELSE 'active' END,
               CASE WHEN k <> 3 THEN CAST(:today AS date) - 200 END, p.created_by,
               p.owner_level, p.school_id, p.province_id, p.academy_id
        FROM partners p, generate_series(1, 3) k
        WHERE (p.owner_level = 'school' AND p.school_id IN (SELECT id FROM schools
                                                             WHERE code LIKE 'B%') AND k <= 2)
           OR (p.owner_level = 'province' AND p.name LIKE 'Partenaire %' AND k >= 2)
        """,
    ),
    (
        "agreement schools",
        """
        INSERT INTO partnership_agreement_schools (agreement_id, school_id)
        SELECT a.id, a.school_id
        FROM partnership_agreements a JOIN partners p ON p.id = a.partner_id
        WHERE a.owner_level = 'school' AND p.name LIKE 'Association B%'
        """,
    ),
    (
        "contributions",
        """
        INSERT INTO partnership_contributions (id, agreement_id, position, party, kind, amount,
                                               description)
        SELECT gen_random_uuid(), a.id, k, CASE WHEN k = 1 THEN 'partner' ELSE 'ministry' END,
               CASE WHEN k = 1 THEN 'money' ELSE 'in_kind' END,
               CASE WHEN k = 1 THEN (5000 + random() * 95000)::numeric(14, 2) END,
               CASE WHEN k = 2 THEN 'Locaux et encadrement' END
        FROM partnership_agreements a JOIN partners p ON p.id = a.partner_id,
             generate_series(1, 2) k
        WHERE p.name LIKE 'Association B%' OR p.name LIKE 'Partenaire %'
        """,
    ),
    (
        "school sites",
        """
        INSERT INTO school_sites (id, school_id, state, presentation_fr, founded_year,
                                  published_at)
        SELECT gen_random_uuid(), s.id, CASE WHEN published THEN 'published' ELSE 'draft' END,
               'Bienvenue', 1990, CASE WHEN published THEN now() - interval '90 days' END
        FROM (SELECT id, random() < 0.8 AS published FROM schools WHERE code LIKE 'B%') s
        """,
    ),
    (
        "site news",
        """
        INSERT INTO site_news (id, school_id, state, title, body, published_at)
        SELECT gen_random_uuid(), s.id, CASE WHEN k <= 10 THEN 'published' ELSE 'draft' END,
               'Actualité ' || k, 'Texte de l''actualité',
               CASE WHEN k <= 10 THEN now() - k * interval '6 days' END
        FROM (SELECT id FROM schools WHERE code LIKE 'B%') s, generate_series(1, 12) k
        """,
    ),
    (
        "site events",
        """
        INSERT INTO site_events (id, school_id, state, title, place, starts_at, ends_at,
                                 published_at)
        SELECT gen_random_uuid(), s.id, 'published', 'Événement ' || k, 'Cour',
               now() + (k * 15 - 20) * interval '1 day',
               now() + (k * 15 - 20) * interval '1 day' + interval '3 hours',
               now() - interval '30 days'
        FROM (SELECT id FROM schools WHERE code LIKE 'B%') s, generate_series(1, 3) k
        """,
    ),
    (
        "diagnostic test",
        """
        INSERT INTO diagnostic_tests (id, school_year, level_code, subject_id, kind, title,
                                      mastery_threshold, created_by, owner_level)
        SELECT gen_random_uuid(), CAST(:year AS smallint), '1AC',
               (SELECT id FROM subjects WHERE code = 'MATH'), 'diagnostic',
               'Bench diagnostic MATH 1AC', 60,
               (SELECT id FROM users WHERE username = 'central.demo@men.gov.ma'), 'central'
        """,
    ),
    (
        "diagnostic competencies",
        """
        INSERT INTO diagnostic_competencies (id, test_id, rank, code, label_fr, label_ar)
        SELECT gen_random_uuid(), t.id, k, 'C' || k, 'Compétence ' || k, 'كفاية ' || k
        FROM diagnostic_tests t, generate_series(1, 4) k
        WHERE t.title = 'Bench diagnostic MATH 1AC'
        """,
    ),
    (
        "diagnostic results",
        """
        INSERT INTO diagnostic_results (id, school_id, test_id, competency_id, pupil_id,
                                        class_id, score, absent, updated_by)
        SELECT gen_random_uuid(), school_id, test_id, competency_id, pupil_id, class_id,
               CASE WHEN r >= 0.04 THEN (r * 100)::smallint END, r < 0.04, updated_by
        FROM (SELECT e.school_id, c.test_id, c.id AS competency_id, e.pupil_id, e.class_id,
                     u.id AS updated_by, random() AS r  -- one draw per row
              FROM enrolments e
              JOIN classes cl ON cl.id = e.class_id AND cl.level_code = '1AC'
              JOIN schools s ON s.id = e.school_id AND s.code LIKE 'B%'
              JOIN users u ON u.username = 'bench.' || lower(s.code) || '.t1@taalim.ma'
              JOIN diagnostic_competencies c ON c.test_id = (
                  SELECT id FROM diagnostic_tests WHERE title = 'Bench diagnostic MATH 1AC')
             ) x
        """,
    ),
    (
        "training programmes",
        """
        INSERT INTO training_programmes (id, theme, audience, target_cycle, created_by,
                                         owner_level, province_id, academy_id)
        SELECT gen_random_uuid(), 'Formation ' || p.code || '-' || k, 'teachers', 'college',
               (SELECT id FROM users WHERE username = 'central.demo@men.gov.ma'), 'province',
               p.id, p.academy_id
        FROM provinces p, generate_series(1, 2) k
        """,
    ),
    (
        "training sessions",
        """
        INSERT INTO training_sessions (id, programme_id, starts_on, ends_on, place, capacity,
                                       trainer_name, hours_per_day)
        SELECT gen_random_uuid(), tp.id, d, d + 2, 'CRMEF', 30, 'Formateur', 6
        FROM training_programmes tp
        CROSS JOIN unnest(ARRAY[make_date(CAST(:year AS int), 10, 20),
                                make_date(CAST(:year AS int) + 1, 2, 10)]) d
        WHERE tp.theme LIKE 'Formation %'
        """,
    ),
    (
        "training registrations",
        """
        WITH ts AS (SELECT ts.id, tp.province_id,
                           row_number() OVER (PARTITION BY tp.province_id ORDER BY ts.id) - 1
                               AS k, count(*) OVER (PARTITION BY tp.province_id) AS n
                    FROM training_sessions ts JOIN training_programmes tp
                      ON tp.id = ts.programme_id AND tp.theme LIKE 'Formation %')
        INSERT INTO training_registrations (id, school_id, session_id, user_id, status,
                                            requested_by, completed_on)
        SELECT gen_random_uuid(), u.school_id, ts.id, u.id, st, u.id,
               CASE WHEN st = 'completed' THEN make_date(CAST(:year AS int), 10, 22) END
        FROM users u
        JOIN ts ON ts.province_id = u.province_id AND ts.k = abs(hashtext(u.username)) % ts.n
        CROSS JOIN LATERAL (SELECT (ARRAY['requested', 'approved', 'approved', 'completed',
                            'refused'])[1 + abs(hashtext(u.username || 'st')) % 5] AS st) x
        WHERE u.username LIKE 'bench.%.t_@taalim.ma'
        """,
    ),
    (
        "training attendance",
        """
        INSERT INTO training_attendance (id, school_id, registration_id, day, present,
                                         recorded_by)
        SELECT gen_random_uuid(), r.school_id, r.id, ts.starts_on + d, d < 2, r.user_id
        FROM training_registrations r
        JOIN training_sessions ts ON ts.id = r.session_id, generate_series(0, 2) d
        WHERE r.status IN ('approved', 'completed') AND ts.starts_on <= CAST(:today AS date)
          AND r.school_id IN (SELECT id FROM schools WHERE code LIKE 'B%')
        """,
    ),
]

# (label, path) of each module's main steering list, timed for each caller.
ENDPOINTS: list[tuple[str, str]] = [
    ("GET /steering/overview", "/api/v1/steering/overview"),
    ("  projects", "/api/v1/steering/projects"),
    ("  trainings/sessions", "/api/v1/steering/trainings/sessions"),
    ("  equipment/requests", "/api/v1/steering/equipment/requests"),
    ("  diagnostics/tests", "/api/v1/steering/diagnostics/tests"),
    ("  diagnostics/mastery", "/api/v1/steering/diagnostics/mastery"),
    ("  partnerships/agr.", "/api/v1/steering/partnerships/agreements"),
    ("  sports/competitions", "/api/v1/steering/sports/competitions"),
    ("  websites", "/api/v1/steering/websites"),
]

FIGURES: list[tuple[str, Callable[[AsyncSession, UnitOut], Awaitable[Any]]]] = [
    ("school_projects", school_projects_figures.steering_figure),
    ("trainings", trainings.steering_figure),
    ("equipment", equipment.steering_figure),
    ("diagnostics", diagnostics.steering_figure),
    ("partnerships", partnerships.steering_figure),
    ("sports", sports.steering_figure),
    ("websites", websites_steering.steering_figure),
]


async def generate(conn: AsyncConnection, *, schools: int) -> None:
    """Fill the database in bulk, one INSERT … SELECT per step; print each step's time."""
    year = await conn.scalar(text("SELECT year FROM school_years WHERE is_current"))
    params = {"year": year, "today": school_today(), "schools": schools}
    for name, sql in STEPS:
        started = time.perf_counter()
        result = await conn.execute(text(sql), params)
        print(f"  {name:<24} {result.rowcount:>8} rows  {time.perf_counter() - started:5.1f} s")
    await conn.commit()
    # Fresh statistics, as autovacuum would have them; committed, or the rollback drops them.
    await conn.execute(text("ANALYZE"))
    await conn.commit()


async def directorate(conn: AsyncConnection) -> UnitOut:
    """The demo directorate (province.demo's), as the steering overview names it."""
    row = (
        await conn.execute(
            text(
                "SELECT p.id, p.code, p.name_fr, p.name_ar FROM provinces p JOIN users u"
                " ON u.province_id = p.id WHERE u.username = 'province.demo@men.gov.ma'"
            )
        )
    ).one()
    return UnitOut(level=UnitLevel.PROVINCE, id=row.id, code=row.code, name_fr=row.name_fr,
                   name_ar=row.name_ar)  # fmt: skip


async def time_figures(bench: Bench, unit: UnitOut, calls: int) -> None:
    """Each module's `steering_figure` called directly, one session per call."""
    factory = create_session_factory(bench.engine)
    for name, figure in FIGURES:

        async def call(_: int, figure: Any = figure) -> httpx.Response:
            async with factory() as session:
                await figure(session, unit)
            return httpx.Response(200)

        await bench.measure(f"  figure {name}", calls, call)


async def run(url: str, *, schools: int, calls: int) -> None:
    engine = create_engine(get_settings(), url)
    async with create_session_factory(engine)() as session:
        await demo.seed_demo(session)
        await session.commit()
    started = time.perf_counter()
    async with engine.connect() as conn:
        await generate(conn, schools=schools)
        province = await directorate(conn)
        in_province = await conn.scalar(
            text("SELECT count(*) FROM schools WHERE province_id = :p AND code LIKE 'B%'"),
            {"p": province.id},
        )
    print(f"generated in {time.perf_counter() - started:.1f} s")
    await engine.dispose()
    async with bench_app(url) as bench:
        for who, username, unit in (
            ("central staff", "central.demo@men.gov.ma", MINISTRY),
            (
                f"directorate {province.code} ({in_province} bench schools)",
                "province.demo@men.gov.ma",
                province,
            ),
        ):
            print(f"-- {who}")
            headers = await bench.login(username)
            overview = await bench.client.get(ENDPOINTS[0][1], headers=headers)
            for module, figures in overview.json()["modules"].items():
                print(f"   {module:<16} {json.dumps(figures, separators=(',', ':'))}")
            for name, path in ENDPOINTS:
                await bench.measure(
                    name, calls, lambda _, p=path, h=headers: bench.client.get(p, headers=h)
                )
            await time_figures(bench, unit, calls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--calls", type=int, default=10)
    args = parser.parse_args()
    with migrated_database() as url:
        asyncio.run(run(url, schools=args.schools, calls=args.calls))


if __name__ == "__main__":
    main()
