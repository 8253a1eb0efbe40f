"""`massar seed-synthetic`: a national-shaped country copied into an empty, migrated database.

The load runs as the tables' owner, in one transaction: the user triggers of the loaded tables
(the audit trail, the rule that marks change only while their test is a draft) are disabled
for it and enabled again before the commit. ALTER TABLE is transactional in PostgreSQL, so a
load that fails or is stopped leaves the tables, triggers included, exactly as they were. The
audit log then holds no row per loaded record: a bulk load is not a person's act. Foreign keys
and checks stay on, so every row is checked as any other.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from time import perf_counter

import asyncpg

from app.core.db.runtime import connect
from app.core.roles import Role
from app.core.security.passwords import hash_password
from app.demo.calendar import demo_calendar, demo_year_of
from app.demo.synthetic.back_office import BackOffice
from app.demo.synthetic.copying import Echo, Table, copy_table
from app.demo.synthetic.people import (
    ASSIGNMENT_COLUMNS,
    CENTRAL_USERNAME,
    CONTACT_COLUMNS,
    ENROLMENT_COLUMNS,
    GUARDIAN_LINK_COLUMNS,
    PUPIL_COLUMNS,
    SCHOOL_COLUMNS,
    TEACHER_PROFILE_COLUMNS,
    USER_COLUMNS,
    People,
    assignment_rows,
    contact_rows,
    director_username,
    enrolment_rows,
    guardian_link_rows,
    parent_username,
    pupil_rows,
    school_rows,
    teacher_profile_rows,
)
from app.demo.synthetic.school_work import (
    EXAM_RESULT_COLUMNS,
    EXAM_SESSION_COLUMNS,
    EXAM_SUBJECT_COLUMNS,
    MARK_COLUMNS,
    TEST_COLUMNS,
    Exams,
    SchoolWork,
    Semester,
)
from app.demo.synthetic.shape import Directorate, LevelRef, Reference, plan_country
from app.demo.world import DEMO_PASSWORD
from app.organisation.models import Cycle

# Run once the rows are committed and analysed, with the owner's URL: the place where derived
# data (the steering summaries) is rebuilt from what was loaded.
AfterLoad = Callable[[str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Size:
    schools: int
    pupils: int
    seed: int = 1
    weeks: int = 4


@dataclass(frozen=True, slots=True)
class Login:
    username: str
    role: Role
    where: str


class DatabaseNotEmpty(Exception):
    """The database already holds schools: a synthetic load never mixes with real data."""


async def seed_synthetic(
    owner_url: str,
    size: Size,
    today: date,
    echo: Echo,
    *,
    after_load: AfterLoad | None = None,
) -> list[Login]:
    """Plan the country, COPY it table by table, ANALYZE; answer a few logins to try."""
    conn = await connect(owner_url)
    try:
        async with conn.transaction():
            # One load at a time: a second one waits here, then finds the schools and stops.
            await conn.execute("LOCK TABLE schools IN SHARE ROW EXCLUSIVE MODE")
            if await conn.fetchval("SELECT EXISTS (SELECT 1 FROM schools)"):
                raise DatabaseNotEmpty
            reference = await read_reference(conn)
            year = await _current_year(conn, today)
            semester = await _semester(conn, year, today)
            people, tables = await _country(reference, size, year, semester)
            await _load(conn, tables, echo)
        await _analyze(conn, [t.name for t in tables], echo)
    finally:
        await conn.close()
    if after_load is not None:
        await after_load(owner_url)
    return sample_logins(people)


async def _country(
    reference: Reference, size: Size, year: int, semester: Semester
) -> tuple[People, list[Table]]:
    plan = plan_country(reference, size.seed, year, size.schools, size.pupils)
    # One hash for every account: argon2id a million times would take hours.
    people = People(plan, reference, await hash_password(DEMO_PASSWORD))
    work = SchoolWork(people, semester, size.weeks)
    exams = Exams(work)
    return people, [
        Table("schools", SCHOOL_COLUMNS, school_rows(plan)),
        Table("users", USER_COLUMNS, people.user_rows()),
        Table("pupils", PUPIL_COLUMNS, pupil_rows(people)),
        Table("pupil_contacts", CONTACT_COLUMNS, contact_rows(people)),
        Table("guardian_links", GUARDIAN_LINK_COLUMNS, guardian_link_rows(people)),
        Table("classes", CLASS_COLUMNS, _class_rows(people)),
        Table("enrolments", ENROLMENT_COLUMNS, enrolment_rows(people)),
        Table("teacher_profiles", TEACHER_PROFILE_COLUMNS, teacher_profile_rows(people)),
        Table("teaching_assignments", ASSIGNMENT_COLUMNS, assignment_rows(people)),
        Table("class_tests", TEST_COLUMNS, work.test_rows()),
        Table("marks", MARK_COLUMNS, work.mark_rows()),
        Table("attendance_sheets", SchoolWork.SHEET_COLUMNS, work.sheet_rows()),
        Table("attendance_marks", SchoolWork.ATTENDANCE_COLUMNS, work.attendance_rows()),
        Table("exam_sessions", EXAM_SESSION_COLUMNS, exams.session_rows()),
        Table("exam_results", EXAM_RESULT_COLUMNS, exams.result_rows()),
        Table("exam_subject_results", EXAM_SUBJECT_COLUMNS, exams.subject_result_rows()),
        *BackOffice(people).tables(),
    ]


CLASS_COLUMNS = ("id", "school_id", "school_year", "level_code", "stream_id", "name")


def _class_rows(people: People) -> Iterator[tuple[object, ...]]:
    year = people.plan.year
    for c in people.plan.classes():
        yield (c.id, c.school.id, year, c.level.code, c.stream_id, c.name)


async def _load(conn: asyncpg.Connection, tables: Sequence[Table], echo: Echo) -> None:
    """COPY every table with its user triggers off; on again before the commit."""
    started = perf_counter()
    # Index builds sort in memory up to this much, per statement, for this load only.
    await conn.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for table in tables:
        await conn.execute(f"ALTER TABLE {table.name} DISABLE TRIGGER USER")
    for table in tables:
        await copy_table(conn, table, echo)
    for table in tables:
        await conn.execute(f"ALTER TABLE {table.name} ENABLE TRIGGER USER")
    echo(f"{f'{len(tables)} tables':<30} {'':>12} {perf_counter() - started:>14.1f} s")


async def _analyze(conn: asyncpg.Connection, tables: Sequence[str], echo: Echo) -> None:
    """Fresh statistics, so the first queries on the loaded tables are planned right."""
    started = perf_counter()
    await conn.execute(f"ANALYZE {', '.join(tables)}")
    echo(f"{'ANALYZE':<30} {'':>12} {perf_counter() - started:>14.1f} s")


async def _current_year(conn: asyncpg.Connection, today: date) -> int:
    """The current school year: the one the database has, else the year of `today`, opened
    with its semesters as the calendar makes them."""
    current = await conn.fetchval("SELECT year FROM school_years WHERE is_current")
    if current is not None:
        return int(current)
    year = demo_year_of(today)
    calendar = demo_calendar(year)
    await conn.execute(
        "INSERT INTO school_years (year, starts_on, ends_on, is_current, started_at)"
        " VALUES ($1, $2, $3, true, now())",
        year,
        calendar.semesters[0].starts_on,
        calendar.semesters[1].ends_on,
    )
    await conn.executemany(
        "INSERT INTO semesters (school_year, number, starts_on, ends_on) VALUES ($1, $2, $3, $4)",
        [(year, n, s.starts_on, s.ends_on) for n, s in enumerate(calendar.semesters, start=1)],
    )
    return year


async def _semester(conn: asyncpg.Connection, year: int, today: date) -> Semester:
    """The semester of `year` under way on `today`, as the calendar has it."""
    row = await conn.fetchrow(
        "SELECT number, starts_on FROM semesters WHERE school_year = $1 AND number ="
        " (SELECT coalesce(max(number), 1) FROM semesters"
        "  WHERE school_year = $1 AND starts_on <= $2)",
        year,
        today,
    )
    assert row is not None  # every year has its semesters
    return Semester(row["number"], row["starts_on"], today)


async def read_reference(conn: asyncpg.Connection) -> Reference:
    """The tree, levels, streams, programmes and catalogue the migrations loaded."""
    directorates = [
        Directorate(r["id"], r["code"], r["name_fr"], r["name_ar"], r["academy_id"], r["academy"])
        for r in await conn.fetch(
            "SELECT p.id, p.code, p.name_fr, p.name_ar, p.academy_id, a.code AS academy"
            " FROM provinces p JOIN academies a ON a.id = p.academy_id ORDER BY p.code"
        )
    ]
    levels = [
        LevelRef(r["code"], Cycle(r["cycle"]), r["rank"])
        for r in await conn.fetch("SELECT code, cycle, rank FROM levels ORDER BY rank")
    ]
    streams: dict[str, dict[str, uuid.UUID]] = {}
    for r in await conn.fetch("SELECT level_code, code, id FROM streams ORDER BY level_code, code"):
        streams.setdefault(r["level_code"], {})[r["code"]] = r["id"]
    subjects: dict[tuple[str, uuid.UUID | None], list[uuid.UUID]] = {}
    for r in await conn.fetch(
        "SELECT c.level_code, c.stream_id, c.subject_id FROM subject_coefficients c"
        " JOIN subjects s ON s.id = c.subject_id ORDER BY c.level_code, c.stream_id, s.code"
    ):
        subjects.setdefault((r["level_code"], r["stream_id"]), []).append(r["subject_id"])
    codes = {r["id"]: r["code"] for r in await conn.fetch("SELECT id, code FROM subjects")}
    items = [r["id"] for r in await conn.fetch("SELECT id FROM equipment_items ORDER BY id")]
    return Reference(
        directorates,
        levels,
        streams,
        {key: tuple(ids) for key, ids in subjects.items()},
        codes,
        items,
    )


def sample_logins(people: People) -> list[Login]:
    """A login of each kind, in the first school, to try the loaded data with."""
    plan = people.plan
    school = plan.schools[0]
    first_class = school.classes[0]
    pupils = people.pupils(first_class)
    place = school.directorate
    logins = [
        Login(CENTRAL_USERNAME, Role.CENTRAL_STAFF, "ministry"),
        Login(
            f"academy.{place.academy_code.lower()}@men.gov.ma",
            Role.ACADEMY_STAFF,
            place.academy_code,
        ),
        Login(f"province.{place.code.lower()}@men.gov.ma", Role.PROVINCE_STAFF, place.name_fr),
        Login(director_username(school), Role.SCHOOL_STAFF, f"director, school {school.code}"),
        Login(people.teacher_username(school, 0), Role.TEACHER, f"teacher, school {school.code}"),
        Login(
            f"{pupils[0].code}@taalim.ma",
            Role.STUDENT,
            f"class {first_class.name}, school {school.code}",
        ),
    ]
    with_parent = next((p for p in pupils if p.kinship is not None), None)
    if with_parent is not None:
        logins.append(
            Login(parent_username(with_parent), Role.PARENT, f"parent of {with_parent.code}")
        )
    return logins
