"""Deletions in the delta feeds: tombstones written by the synced tables' triggers, answered
beside the changed rows within the caller's scope, and purged after the sync window."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app import retention
from app.academics.calendar import school_today
from app.academics.models import Enrolment, Lesson
from app.assessment.models import Mark, TestStatus
from app.settings import get_settings
from app.sync.models import Tombstone
from app.sync.tombstones import Kind, tombstones_since
from tests.factories import TeachingWorld, create_test_with_marks
from tests.sync.test_sync import _test as create_test

# Every statement of a test runs in its one transaction, whose now() is when it began.
SINCE = datetime.now(UTC) - timedelta(minutes=5)


def _since(moment: datetime = SINCE) -> dict[str, str]:
    return {"since": moment.isoformat()}


async def test_a_deleted_test_shows_in_the_delta_feed(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    teacher = teaching.auth("teacher")
    kept, dropped = (
        await create_test(client, teaching, "test_1"),
        await create_test(client, teaching, "test_2"),
    )
    gone = await client.delete(f"/api/v1/teacher/tests/{dropped}", headers=teacher)
    assert gone.status_code == 204

    changes = await client.get("/api/v1/teacher/tests/changes", params=_since(), headers=teacher)
    assert changes.status_code == 200, changes.text
    body = changes.json()
    assert body["deleted"] == [dropped]
    assert [item["id"] for item in body["items"]] == [kept]
    # The older read answers the same deletions.
    deleted = await client.get("/api/v1/teacher/tests/deleted", params=_since(), headers=teacher)
    assert deleted.json() == [dropped]

    # Another teacher (of another class and school) is told nothing about it.
    other = await client.get(
        "/api/v1/teacher/tests/changes", params=_since(), headers=teaching.auth("teacher_other")
    )
    assert other.json() == {"items": [], "deleted": []}
    # Nor is the French teacher of the same class: not their subject.
    french = await client.get(
        "/api/v1/teacher/tests/changes", params=_since(), headers=teaching.auth("teacher_fr")
    )
    assert french.json()["deleted"] == []

    # A sync after the deletion no longer hears of it.
    later = _since(datetime.now(UTC) + timedelta(minutes=1))
    after = await client.get("/api/v1/teacher/tests/changes", params=later, headers=teacher)
    assert after.json()["deleted"] == []


async def test_a_pupil_removed_from_the_class_leaves_the_roster_feed(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    c1 = teaching.classes["c1"]
    removed = teaching.pupils["c1"][0]
    await session.execute(delete(Enrolment).where(Enrolment.pupil_id == removed.id))
    await session.commit()

    path = f"/api/v1/teacher/classes/{c1.id}/pupils/changes"
    changes = await client.get(path, params=_since(), headers=teaching.auth("teacher"))
    assert changes.status_code == 200, changes.text
    assert changes.json()["deleted"] == [str(removed.id)]
    # Outside the teacher's classes the feed answers 404, like the roster.
    other = teaching.classes["c3"].id
    refused = await client.get(
        f"/api/v1/teacher/classes/{other}/pupils/changes",
        params=_since(),
        headers=teaching.auth("teacher"),
    )
    assert refused.status_code == 404


async def test_a_deleted_lesson_shows_in_the_lesson_feed(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    c1, teacher = teaching.classes["c1"], teaching.auth("teacher")
    entry = {
        "subject_id": str(teaching.subjects["MATH"].id),
        "date": school_today().isoformat(),
        "title": "Les fractions",
        "content": "…",
    }
    logged = await client.post(
        f"/api/v1/teacher/classes/{c1.id}/lessons", json=entry, headers=teacher
    )
    assert logged.status_code == 201, logged.text
    lesson_id = logged.json()["id"]
    await session.execute(delete(Lesson).where(Lesson.id == uuid.UUID(lesson_id)))
    await session.commit()

    path = f"/api/v1/teacher/classes/{c1.id}/lessons/changes"
    changes = (await client.get(path, params=_since(), headers=teacher)).json()
    assert changes == {"items": [], "deleted": [lesson_id]}
    # The French teacher of the class does not hear of a mathematics lesson.
    french = await client.get(path, params=_since(), headers=teaching.auth("teacher_fr"))
    assert french.json()["deleted"] == []


async def test_deleted_marks_are_read_by_kind_and_scope(
    session: AsyncSession, teaching: TeachingWorld
) -> None:
    """The query OneRoster reads: a kind's tombstones since a time, in a set of schools."""
    pupils = teaching.pupils["c1"][:2]
    test = await create_test_with_marks(
        session,
        teaching.classes["c1"],
        teaching.subjects["MATH"],
        teaching.world.users["teacher"],
        {pupil: Decimal("12") for pupil in pupils},
        status=TestStatus.DRAFT,
    )
    marks = list(await session.scalars(select(Mark.id).where(Mark.test_id == test.id)))
    await session.execute(delete(Mark).where(Mark.test_id == test.id))
    school = teaching.world.schools["a1"].id

    found = await session.scalars(
        tombstones_since(Kind.MARK, SINCE, school, Tombstone.container_id == test.id)
    )
    assert sorted(t.entity_id for t in found) == sorted(marks)
    elsewhere = select(Tombstone.school_id).where(Tombstone.school_id != school).distinct()
    assert list(await session.scalars(tombstones_since(Kind.MARK, SINCE, elsewhere))) == []


async def test_a_sync_older_than_the_window_is_told_to_start_afresh(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    too_old = datetime.now(UTC) - timedelta(days=get_settings().retention_sync_days + 1)
    answer = await client.get(
        "/api/v1/teacher/tests/changes", params=_since(too_old), headers=teaching.auth("teacher")
    )
    assert answer.status_code == 410
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"].endswith("/sync-window-passed")


async def test_tombstones_are_purged_after_the_sync_window(
    session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    teaching: TeachingWorld,
) -> None:
    now = datetime.now(UTC)
    window = get_settings().retention_sync_days
    school = teaching.world.schools["a1"].id
    old, recent = (
        Tombstone(
            school_id=school,
            kind=Kind.TEST.value,
            entity_id=uuid.uuid4(),
            deleted_at=now - timedelta(days=days),
        )
        for days in (window + 1, window - 1)
    )
    session.add_all([old, recent])
    await session.flush()

    deleted = await retention.purge(session_factory, get_settings(), now)

    assert deleted["tombstones"] >= 1
    left = set(await session.scalars(select(Tombstone.entity_id)))
    assert recent.entity_id in left
    assert old.entity_id not in left
