"""A teacher's marks written at the moment the test is submitted (the app open on two phones,
a retried request): either the write comes first and the submission judges the marks it left,
or the submission comes first and the write is refused. Never a submitted test with marks
changed behind it, such as a pupil's mark cleared after the check that every pupil has one.

And a write that comes in while the director's validation is under way, scheduled rather than
left to chance: it waits on the test's row until the validation commits, then is refused."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.assessment.marks import submit_test
from app.assessment.models import ClassTest, Mark, TestStatus
from app.assessment.validation import validate_test
from app.core.db.session import create_engine
from app.core.security.principal import Principal
from app.settings import get_settings
from tests.factories import FamilyWorld

KINDS = ("test_1", "test_2", "test_3", "test_4", "integrated_activities")


async def _filled_test(
    client: httpx.AsyncClient,
    family: FamilyWorld,
    class_name: str,
    kind: str,
    *,
    semester: int = 2,
    day: str = "2027-03-10",
) -> tuple[str, list[str]]:
    """A draft test (of the second semester unless told) with a 12 for every pupil of the
    class."""
    teaching = family.teaching
    headers = teaching.auth("teacher")
    created = await client.post(
        f"/api/v1/teacher/classes/{teaching.classes[class_name].id}/tests",
        json={
            "subject_id": str(teaching.subjects["MATH"].id),
            "semester": semester,
            "kind": kind,
            "date": day,
            "title": f"Contrôle {kind}",
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    test_id = created.json()["id"]
    pupils = [str(p.id) for p in teaching.pupils[class_name]]
    rows = [{"pupil_id": pupil, "mark": 12} for pupil in pupils]
    filled = await client.put(f"/api/v1/teacher/tests/{test_id}/marks", json=rows, headers=headers)
    assert filled.status_code == 200, filled.text
    return test_id, pupils


async def test_a_mark_cleared_while_the_test_is_submitted_never_leaves_it_incomplete(
    live_client: httpx.AsyncClient, live_family: FamilyWorld
) -> None:
    headers = live_family.teaching.auth("teacher")
    for class_name, kind in itertools.product(("c1", "c2"), KINDS):
        test_id, pupils = await _filled_test(live_client, live_family, class_name, kind)
        cleared, submitted = await asyncio.gather(
            live_client.put(
                f"/api/v1/teacher/tests/{test_id}/marks",
                json=[{"pupil_id": pupils[0]}],  # no mark, no absence, no remark: cleared
                headers=headers,
            ),
            live_client.post(f"/api/v1/teacher/tests/{test_id}/submit", headers=headers),
        )
        outcome = (cleared.status_code, submitted.status_code)
        # The write first (the submission then finds a pupil without a mark), or the
        # submission first (the write is refused): nothing else.
        assert outcome in {(200, 409), (409, 200)}, (cleared.text, submitted.text)
        loser, why = (
            (cleared, "marks-locked") if outcome[0] == 409 else (submitted, "marks-missing")
        )
        assert loser.json()["type"].endswith(f"/{why}"), loser.text
        answer = await live_client.get(f"/api/v1/teacher/tests/{test_id}/marks", headers=headers)
        test = answer.json()
        marked = {mark["pupil_id"] for mark in test["marks"] if mark["mark"] is not None}
        if test["test"]["status"] == "submitted":
            assert marked == set(pupils), f"submitted without a mark for {set(pupils) - marked}"
        else:
            assert marked == set(pupils[1:])


# ---- a write waiting on the director's validation ---------------------------------------------


@pytest.fixture
async def director_session(live_database: str) -> AsyncIterator[AsyncSession]:
    """A session on a connection of its own, outside the app: the validation held open."""
    engine = create_engine(get_settings(), live_database)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            yield session
    finally:
        await engine.dispose()


async def _move_on(
    session: AsyncSession, family: FamilyWorld, test_id: uuid.UUID, status: TestStatus
) -> None:
    """Submit the test (and validate it, if asked) in the session's open transaction, through
    the services the apps use: the test's row stays locked until the session commits."""
    users = family.teaching.world.users
    await submit_test(session, Principal.acting_as(users["teacher"]), test_id)
    if status is TestStatus.VALIDATED:
        await validate_test(session, Principal.acting_as(users["school_staff"]), test_id)


# The backends writing marks that wait on a lock held by the backend `holder`.
WAITING_ON = text(
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE wait_event_type = 'Lock' AND CAST(:holder AS int) = ANY(pg_blocking_pids(pid))"
    " AND query ILIKE 'INSERT INTO marks%'"
)


async def _writers_waiting_on(session: AsyncSession, holder: int) -> int:
    # A transaction sees pg_stat_activity as it first read it, unless told to read it afresh.
    await session.execute(text("SELECT pg_stat_clear_snapshot()"))
    return await session.scalar(WAITING_ON, {"holder": holder}) or 0


async def _until_it_waits_on(session: AsyncSession, request: asyncio.Task[httpx.Response]) -> None:
    """Return once the request's backend is seen waiting on a lock the session holds."""
    holder = await session.scalar(text("SELECT pg_backend_pid()"))
    assert holder is not None
    # Generous: on a loaded machine the request takes a while to reach its INSERT.
    async with asyncio.timeout(60):
        while not await _writers_waiting_on(session, holder):
            if request.done():
                answer = request.result()
                pytest.fail(f"the write did not wait for the test's row: {answer.status_code}")
            await asyncio.sleep(0.01)


@pytest.mark.parametrize(
    ("status", "kind"),
    [(TestStatus.SUBMITTED, "test_1"), (TestStatus.VALIDATED, "test_2")],
    ids=["submitted", "validated"],
)
async def test_a_write_waiting_on_the_tests_lock_is_refused_once_the_test_moves_on(
    live_client: httpx.AsyncClient,
    live_family: FamilyWorld,
    director_session: AsyncSession,
    status: TestStatus,
    kind: str,
) -> None:
    test_id, pupils = await _filled_test(
        live_client, live_family, "c1", kind, semester=1, day="2026-11-10"
    )
    await _move_on(director_session, live_family, uuid.UUID(test_id), status)
    # The status the write reads is still the committed draft: only the lock stops it.
    writing = asyncio.create_task(
        live_client.put(
            f"/api/v1/teacher/tests/{test_id}/marks",
            json=[{"pupil_id": pupil, "mark": 5} for pupil in pupils],
            headers=live_family.teaching.auth("teacher"),
        )
    )
    try:
        await _until_it_waits_on(director_session, writing)
    except BaseException:
        await director_session.rollback()  # the write goes on; no request left pending
        await writing
        raise
    await director_session.commit()
    answer = await writing
    assert answer.status_code == 409, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["type"].endswith("/marks-locked")
    marks = (await director_session.scalars(select(Mark.mark).where(Mark.test_id == test_id))).all()
    assert sorted(marks) == [12] * len(pupils)
    assert (
        await director_session.scalar(select(ClassTest.status).where(ClassTest.id == test_id))
        is status
    )
