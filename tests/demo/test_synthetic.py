"""`massar seed-synthetic` on throwaway databases: a consistent country that the API serves,
loaded once, refused a second time, the same for the same seed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import asyncpg
import httpx
import pytest
from typer.testing import CliRunner

from app import cli
from app.cli import upgrade_database
from app.core.db.runtime import connect, temporary_database
from app.demo.world import DEMO_PASSWORD
from app.main import create_app
from app.settings import Environment, Settings, get_settings

SCHOOLS, PUPILS = 12, 1200
LOAD = ["seed-synthetic", "--schools", str(SCHOOLS), "--pupils", str(PUPILS), "--weeks", "1"]


def _load(url: str, *extra: str) -> str:
    """Run the command on the database at `url`; answer what it printed."""
    settings = Settings(environment=Environment.TEST, database_url=url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli, "get_settings", lambda: settings)
        result = CliRunner().invoke(cli.cli, [*LOAD, *extra])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def loaded(server_url: str) -> Iterator[tuple[str, str]]:
    """A migrated database loaded with seed 7, and what the command printed."""
    with temporary_database(server_url, "massar_synthetic") as url:
        upgrade_database(url)
        yield url, _load(url, "--seed", "7")


@pytest.fixture
async def db(loaded: tuple[str, str]) -> AsyncIterator[asyncpg.Connection]:
    conn = await connect(loaded[0])
    try:
        yield conn
    finally:
        await conn.close()


@pytest.fixture
async def client(loaded: tuple[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(get_settings(), loaded[0])
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def _count(db: asyncpg.Connection, sql: str) -> int:
    return int(await db.fetchval(sql))


async def test_the_country_has_its_shape(db: asyncpg.Connection) -> None:
    assert await _count(db, "SELECT count(*) FROM schools") == SCHOOLS
    assert await _count(db, "SELECT count(*) FROM pupils") == PUPILS
    assert await _count(db, "SELECT count(DISTINCT academy_id) FROM schools") > 1
    assert (
        await _count(
            db, "SELECT max(n) FROM (SELECT count(*) n FROM enrolments GROUP BY class_id) c"
        )
        <= 40
    )
    # A level is split into classes only as far as 40 pupils a class requires.
    oversplit = await _count(
        db,
        "SELECT count(*) FROM (SELECT c.school_id, c.level_code, count(DISTINCT c.id) classes,"
        " count(*) pupils FROM enrolments e JOIN classes c ON c.id = e.class_id"
        " GROUP BY 1, 2) l WHERE classes <> ceil(pupils / 40.0)",
    )
    assert oversplit == 0
    teachers = await _count(db, "SELECT count(*) FROM users WHERE role = 'teacher'")
    assert PUPILS / 40 <= teachers <= PUPILS / 20
    codes = await db.fetch("SELECT massar_code FROM pupils")
    assert all(r[0][0].isalpha() and r[0][1:].isdigit() and len(r[0]) == 10 for r in codes)


async def test_every_pupil_is_enrolled_once_in_a_class_of_their_school(
    db: asyncpg.Connection,
) -> None:
    assert await _count(db, "SELECT count(*) FROM enrolments") == PUPILS
    misplaced = await _count(
        db,
        "SELECT count(*) FROM pupils p LEFT JOIN enrolments e ON e.pupil_id = p.id"
        " LEFT JOIN classes c ON c.id = e.class_id"
        " WHERE c.school_id IS DISTINCT FROM p.school_id OR e.school_id <> p.school_id",
    )
    assert misplaced == 0


async def test_marks_belong_to_pupils_of_the_tests_class(db: asyncpg.Connection) -> None:
    strangers = await _count(
        db,
        "SELECT count(*) FROM marks m JOIN class_tests t ON t.id = m.test_id"
        " LEFT JOIN enrolments e ON e.pupil_id = m.pupil_id AND e.class_id = t.class_id"
        " WHERE e.id IS NULL OR m.school_id <> t.school_id",
    )
    assert strangers == 0
    low, high = await db.fetchrow("SELECT min(mark), max(mark) FROM marks")
    assert 0 <= low <= high <= 20
    per_pupil = await db.fetchval("SELECT count(*)::float / count(DISTINCT pupil_id) FROM marks")
    assert 30 <= per_pupil <= 60


async def test_published_tests_have_marks_and_a_validation(db: asyncpg.Connection) -> None:
    statuses = dict(await db.fetch("SELECT status, count(*) FROM class_tests GROUP BY status"))
    assert set(statuses) == {"draft", "submitted", "validated", "published"}
    assert statuses["published"] > statuses["validated"]
    unmarked = await _count(
        db,
        "SELECT count(*) FROM class_tests t WHERE t.status = 'published'"
        " AND (t.published_at IS NULL OR t.validated_by IS NULL"
        "      OR NOT EXISTS (SELECT 1 FROM marks m WHERE m.test_id = t.id))",
    )
    assert unmarked == 0


async def test_roll_calls_mark_every_pupil_of_the_class(db: asyncpg.Connection) -> None:
    sheets = await _count(db, "SELECT count(*) FROM attendance_sheets")
    assert sheets > 0
    wrong = await _count(
        db,
        "SELECT count(*) FROM attendance_marks a JOIN attendance_sheets s ON s.id = a.sheet_id"
        " LEFT JOIN enrolments e ON e.pupil_id = a.pupil_id AND e.class_id = s.class_id"
        " WHERE e.id IS NULL",
    )
    assert wrong == 0
    expected = await _count(
        db,
        "SELECT sum(n) FROM attendance_sheets s"
        " JOIN (SELECT class_id, count(*) n FROM enrolments GROUP BY class_id) e"
        " ON e.class_id = s.class_id",
    )
    assert await _count(db, "SELECT count(*) FROM attendance_marks") == expected


async def test_exam_results_and_every_module_have_records(db: asyncpg.Connection) -> None:
    examined = await _count(
        db,
        "SELECT count(*) FROM enrolments e JOIN classes c ON c.id = e.class_id"
        " WHERE c.level_code IN ('3AC', '1BAC', '2BAC')",
    )
    assert examined > 0
    assert await _count(db, "SELECT count(*) FROM exam_results") == examined
    for table in (
        "school_projects",
        "training_programmes",
        "equipment_requests",
        "diagnostic_tests",
        "partnership_agreements",
        "sport_associations",
        "school_sites",
    ):
        assert await _count(db, f"SELECT count(*) FROM {table}") > 0, table  # noqa: S608


async def test_the_triggers_are_on_again_and_the_audit_was_spared(
    db: asyncpg.Connection,
) -> None:
    disabled = await db.fetch(
        "SELECT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'"
    )
    assert disabled == []
    audited = await _count(
        db, "SELECT count(*) FROM audit_log WHERE entity IN ('marks', 'pupils', 'users')"
    )
    assert audited == 0


def _login_of(output: str, role: str) -> str:
    return next(line.split()[0] for line in output.splitlines() if f" {role} " in line)


async def _token(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_a_synthetic_pupil_reads_published_marks(
    client: httpx.AsyncClient, loaded: tuple[str, str]
) -> None:
    headers = await _token(client, _login_of(loaded[1], "student"))
    report = (await client.get("/api/v1/student/marks", headers=headers)).json()
    assert report["school_class"] is not None
    published = [s for s in report["subjects"] if s["status"] == "published"]
    assert published


async def test_a_synthetic_teacher_sees_their_classes(
    client: httpx.AsyncClient, loaded: tuple[str, str], db: asyncpg.Connection
) -> None:
    username = _login_of(loaded[1], "teacher")
    headers = await _token(client, username)
    response = await client.get("/api/v1/teacher/classes", headers=headers)
    assert response.status_code == 200, response.text
    served = {item["id"] for item in response.json()}
    assigned = {
        str(r[0])
        for r in await db.fetch(
            "SELECT DISTINCT a.class_id FROM teaching_assignments a"
            " JOIN users u ON u.id = a.teacher_id WHERE u.username = $1",
            username,
        )
    }
    assert served == assigned


async def test_the_steering_overview_counts_the_country(
    client: httpx.AsyncClient, loaded: tuple[str, str]
) -> None:
    headers = await _token(client, _login_of(loaded[1], "central_staff"))
    response = await client.get("/api/v1/steering/overview", headers=headers)
    assert response.status_code == 200, response.text
    overview = response.json()
    assert overview["schools"] == SCHOOLS
    assert overview["pupils"]["total"] == PUPILS


async def test_a_synthetic_parent_sees_their_child(
    client: httpx.AsyncClient, loaded: tuple[str, str]
) -> None:
    headers = await _token(client, _login_of(loaded[1], "parent"))
    children = (await client.get("/api/v1/parent/children", headers=headers)).json()
    assert len(children) == 1


def test_a_second_load_is_refused(loaded: tuple[str, str]) -> None:
    settings = Settings(environment=Environment.TEST, database_url=loaded[0])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli, "get_settings", lambda: settings)
        result = CliRunner().invoke(cli.cli, LOAD)
    assert result.exit_code == 2
    assert "already holds schools" in result.output


_DIGEST = """
SELECT md5(string_agg(row, ',' ORDER BY row)) FROM (
    SELECT concat_ws('|', id, code, name_fr, province_id) AS row FROM schools
    UNION ALL SELECT concat_ws('|', id, massar_code, first_name, birth_date) FROM pupils
    UNION ALL SELECT concat_ws('|', id, test_id, pupil_id, mark, absent) FROM marks
    UNION ALL SELECT concat_ws('|', id, sheet_id, pupil_id, status) FROM attendance_marks
    UNION ALL SELECT concat_ws('|', id, status, test_date) FROM class_tests
) rows
"""


def _digest(url: str) -> str:
    async def run() -> str:
        conn = await connect(url)
        try:
            return str(await conn.fetchval(_DIGEST))
        finally:
            await conn.close()

    return asyncio.run(run())


def test_the_same_seed_gives_the_same_data(server_url: str, loaded: tuple[str, str]) -> None:
    with temporary_database(server_url, "massar_synthetic") as again:
        upgrade_database(again)
        output = _load(again, "--seed", "7")
        assert output.splitlines()[-7:] == loaded[1].splitlines()[-7:]
        assert _digest(again) == _digest(loaded[0])
    with temporary_database(server_url, "massar_synthetic") as other:
        upgrade_database(other)
        _load(other, "--seed", "8")
        assert _digest(other) != _digest(loaded[0])
