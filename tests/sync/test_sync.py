"""The offline queue: operations applied or rejected one by one, replays change nothing."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import Lesson
from app.assessment.models import Mark
from app.attendance.models import AttendanceMark
from tests.factories import TeachingWorld


async def _test(client: httpx.AsyncClient, teaching: TeachingWorld, kind: str) -> str:
    response = await client.post(
        f"/api/v1/teacher/classes/{teaching.classes['c1'].id}/tests",
        json={
            "subject_id": str(teaching.subjects["MATH"].id),
            "semester": 1,
            "kind": kind,
            "date": school_today().isoformat(),
            "title": kind,
        },
        headers=teaching.auth("teacher"),
    )
    return str(response.json()["id"])


def _batch(teaching: TeachingWorld, open_test: str, locked_test: str) -> dict[str, Any]:
    pupils = teaching.pupils["c1"]
    c1 = str(teaching.classes["c1"].id)
    math = str(teaching.subjects["MATH"].id)
    today = school_today().isoformat()
    return {
        "operations": [
            {
                "id": str(uuid.uuid4()),
                "type": "attendance",
                "class_id": c1,
                "body": {
                    "date": today,
                    "start_time": "10:30",
                    "subject_id": math,
                    "marks": [{"pupil_id": str(p.id), "status": "present"} for p in pupils],
                },
            },
            {
                "id": str(uuid.uuid4()),
                "type": "marks",
                "test_id": open_test,
                "body": [{"pupil_id": str(pupils[0].id), "mark": 15.5}],
            },
            {
                "id": str(uuid.uuid4()),
                "type": "marks",
                "test_id": locked_test,
                "body": [{"pupil_id": str(pupils[0].id), "mark": 3}],
            },
            {
                "id": str(uuid.uuid4()),
                "type": "lesson",
                "class_id": c1,
                "body": {
                    "subject_id": math,
                    "date": today,
                    "title": "Les fractions",
                    "content": "…",
                },
            },
            {
                "id": str(uuid.uuid4()),
                "type": "attendance",
                "class_id": str(teaching.classes["c3"].id),
                "body": {"date": today, "start_time": "10:30", "subject_id": math, "marks": []},
            },
            {
                "id": str(uuid.uuid4()),
                "type": "marks",
                "test_id": open_test,
                "body": [{"pupil_id": str(pupils[1].id), "mark": 25}],
            },
        ]
    }


async def _counts(session: AsyncSession) -> tuple[int, int, int]:
    return (
        await session.scalar(select(func.count()).select_from(AttendanceMark)) or 0,
        await session.scalar(select(func.count()).select_from(Mark)) or 0,
        await session.scalar(select(func.count()).select_from(Lesson)) or 0,
    )


async def test_each_operation_is_answered_and_a_replay_changes_nothing(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    headers = teaching.auth("teacher")
    open_test = await _test(client, teaching, "test_1")
    locked_test = await _test(client, teaching, "test_2")
    everyone = [{"pupil_id": str(p.id), "absent": True} for p in teaching.pupils["c1"]]
    await client.put(f"/api/v1/teacher/tests/{locked_test}/marks", json=everyone, headers=headers)
    assert (
        await client.post(f"/api/v1/teacher/tests/{locked_test}/submit", headers=headers)
    ).status_code == 200

    batch = _batch(teaching, open_test, locked_test)
    first = await client.post("/api/v1/teacher/sync", json=batch, headers=headers)
    assert first.status_code == 200, first.text
    results = first.json()["results"]
    assert [r["status"] for r in results] == [
        "applied",
        "applied",
        "rejected",
        "applied",
        "rejected",
        "rejected",
    ]
    assert results[2]["code"] == "marks-locked"
    assert results[4]["code"] == "not-found"
    assert results[5]["code"] == "validation"
    assert results[5]["errors"][0]["field"] == "body.0.mark"
    counts = await _counts(session)
    assert counts == (5, 6, 1)

    replay = await client.post("/api/v1/teacher/sync", json=batch, headers=headers)
    assert replay.json() == first.json()
    assert await _counts(session) == counts


async def test_a_rejected_operation_leaves_no_partial_write(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    open_test = await _test(client, teaching, "test_1")
    pupils = teaching.pupils["c1"]
    batch = {
        "operations": [
            {
                "id": str(uuid.uuid4()),
                "type": "marks",
                "test_id": open_test,
                "body": [
                    {"pupil_id": str(pupils[0].id), "mark": 12},
                    {"pupil_id": str(uuid.uuid4()), "mark": 12},
                ],
            }
        ]
    }
    response = await client.post(
        "/api/v1/teacher/sync", json=batch, headers=teaching.auth("teacher")
    )
    assert response.json()["results"][0]["status"] == "rejected"
    assert (await _counts(session))[1] == 0


async def test_an_operation_without_its_target_is_422(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    batch = {"operations": [{"id": str(uuid.uuid4()), "type": "marks", "body": []}]}
    response = await client.post(
        "/api/v1/teacher/sync", json=batch, headers=teaching.auth("teacher")
    )
    assert response.status_code == 422


async def test_other_roles_get_403(client: httpx.AsyncClient, teaching: TeachingWorld) -> None:
    batch = {
        "operations": [
            {"id": str(uuid.uuid4()), "type": "marks", "test_id": str(uuid.uuid4()), "body": []}
        ]
    }
    for who in ("student", "parent", "school_staff"):
        response = await client.post("/api/v1/teacher/sync", json=batch, headers=teaching.auth(who))
        assert response.status_code == 403
