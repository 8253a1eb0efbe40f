"""Tests and marks: scheduling, entry all or nothing, submission, statistics, and scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.assessment.models import Mark
from tests.factories import TeachingWorld


async def _new_test(
    client: httpx.AsyncClient,
    teaching: TeachingWorld,
    kind: str = "test_1",
    who: str = "teacher",
    class_name: str = "c1",
    subject: str = "MATH",
    **extra: Any,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/teacher/classes/{teaching.classes[class_name].id}/tests",
        json={
            "subject_id": str(teaching.subjects[subject].id),
            "semester": 1,
            "kind": kind,
            "date": "2026-11-20",
            "title": "Contrôle 1",
            **extra,
        },
        headers=teaching.auth(who),
    )


@pytest.fixture
async def test_id(client: httpx.AsyncClient, teaching: TeachingWorld) -> str:
    response = await _new_test(client, teaching)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _rows(teaching: TeachingWorld, *marks: Any) -> list[dict[str, Any]]:
    return [
        {"pupil_id": str(p.id), "mark": m}
        if m != "absent"
        else {"pupil_id": str(p.id), "absent": True}
        for p, m in zip(teaching.pupils["c1"], marks, strict=False)
    ]


async def _count(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(Mark)) or 0


async def test_schedule_list_get_patch(
    client: httpx.AsyncClient, teaching: TeachingWorld, test_id: str
) -> None:
    headers = teaching.auth("teacher")
    listed = (
        await client.get("/api/v1/teacher/tests", params={"semester": 1}, headers=headers)
    ).json()
    assert [t["id"] for t in listed] == [test_id]
    patched = await client.patch(
        f"/api/v1/teacher/tests/{test_id}", json={"title": "Devoir 1"}, headers=headers
    )
    assert patched.json()["title"] == "Devoir 1"
    got = (await client.get(f"/api/v1/teacher/tests/{test_id}", headers=headers)).json()
    assert got["status"] == "draft"
    assert got["kind"] == "test_1"


async def test_the_same_kind_twice_is_409(
    client: httpx.AsyncClient, teaching: TeachingWorld, test_id: str
) -> None:
    assert (await _new_test(client, teaching)).status_code == 409


async def test_marks_are_saved_and_read_back(
    client: httpx.AsyncClient, teaching: TeachingWorld, test_id: str
) -> None:
    rows = _rows(teaching, 12.5, 20, 0, "absent", "7.25")
    rows[0]["remark"] = "Bon travail"
    response = await client.put(
        f"/api/v1/teacher/tests/{test_id}/marks", json=rows, headers=teaching.auth("teacher")
    )
    assert response.status_code == 200, response.text
    marks = {m["pupil_id"]: m for m in response.json()["marks"]}
    first = marks[rows[0]["pupil_id"]]
    assert Decimal(first["mark"]) == Decimal("12.50")
    assert first["remark"] == "Bon travail"
    assert marks[rows[3]["pupil_id"]]["absent"] is True
    read = await client.get(
        f"/api/v1/teacher/tests/{test_id}/marks", headers=teaching.auth("teacher")
    )
    assert read.json()["test"]["mark_count"] == 5


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (20.01, "body.2.mark"),
        (-1, "body.2.mark"),
        ("12.345", "body.2.mark"),
        ("douze", "body.2.mark"),
    ],
)
async def test_one_bad_mark_fails_the_whole_request(
    client: httpx.AsyncClient,
    teaching: TeachingWorld,
    session: AsyncSession,
    test_id: str,
    bad: Any,
    field: str,
) -> None:
    rows = _rows(teaching, 10, 11, bad, 13, 14)
    response = await client.put(
        f"/api/v1/teacher/tests/{test_id}/marks", json=rows, headers=teaching.auth("teacher")
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert await _count(session) == 0


async def test_a_pupil_not_in_the_class_fails_the_whole_request(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession, test_id: str
) -> None:
    rows = _rows(teaching, 10, 11)
    rows.append({"pupil_id": str(teaching.pupils["c2"][0].id), "mark": 9})
    rows.append({"pupil_id": rows[0]["pupil_id"], "mark": 9})
    response = await client.put(
        f"/api/v1/teacher/tests/{test_id}/marks", json=rows, headers=teaching.auth("teacher")
    )
    assert response.status_code == 422
    assert {e["code"] for e in response.json()["errors"]} == {"not_in_class", "duplicate"}
    assert await _count(session) == 0


async def test_absent_with_a_mark_is_422(
    client: httpx.AsyncClient, teaching: TeachingWorld, test_id: str
) -> None:
    rows = [{"pupil_id": str(teaching.pupils["c1"][0].id), "mark": 12, "absent": True}]
    response = await client.put(
        f"/api/v1/teacher/tests/{test_id}/marks", json=rows, headers=teaching.auth("teacher")
    )
    assert response.status_code == 422


async def test_an_empty_row_clears_a_mark_and_others_are_kept(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession, test_id: str
) -> None:
    url = f"/api/v1/teacher/tests/{test_id}/marks"
    await client.put(url, json=_rows(teaching, 10, 11, 12), headers=teaching.auth("teacher"))
    cleared = [{"pupil_id": str(teaching.pupils["c1"][0].id), "mark": None}]
    response = await client.put(url, json=cleared, headers=teaching.auth("teacher"))
    assert response.status_code == 200
    assert await _count(session) == 2


async def test_submit_locks_the_marks(
    client: httpx.AsyncClient, teaching: TeachingWorld, test_id: str
) -> None:
    url = f"/api/v1/teacher/tests/{test_id}"
    headers = teaching.auth("teacher")
    await client.put(f"{url}/marks", json=_rows(teaching, 10, 11, 12, 13), headers=headers)
    missing = await client.post(f"{url}/submit", headers=headers)
    assert missing.status_code == 409
    assert missing.json()["type"].endswith("/marks-missing")

    await client.put(
        f"{url}/marks", json=_rows(teaching, 10, 11, 12, 13, "absent"), headers=headers
    )
    submitted = await client.post(f"{url}/submit", headers=headers)
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"

    locked = await client.put(f"{url}/marks", json=_rows(teaching, 20), headers=headers)
    assert locked.status_code == 409
    assert locked.json()["type"].endswith("/marks-locked")
    assert (await client.patch(url, json={"title": "x"}, headers=headers)).status_code == 409


async def test_delete_only_while_no_mark_exists(
    client: httpx.AsyncClient, teaching: TeachingWorld, test_id: str
) -> None:
    headers = teaching.auth("teacher")
    await client.put(
        f"/api/v1/teacher/tests/{test_id}/marks", json=_rows(teaching, 10), headers=headers
    )
    assert (
        await client.delete(f"/api/v1/teacher/tests/{test_id}", headers=headers)
    ).status_code == 409
    other = (await _new_test(client, teaching, kind="test_2")).json()["id"]
    assert (
        await client.delete(f"/api/v1/teacher/tests/{other}", headers=headers)
    ).status_code == 204
    assert (await client.get(f"/api/v1/teacher/tests/{other}", headers=headers)).status_code == 404


async def test_statistics(client: httpx.AsyncClient, teaching: TeachingWorld, test_id: str) -> None:
    headers = teaching.auth("teacher")
    await client.put(
        f"/api/v1/teacher/tests/{test_id}/marks",
        json=_rows(teaching, 8, 12.5, 20, "absent"),
        headers=headers,
    )
    stats = (
        await client.get(f"/api/v1/teacher/tests/{test_id}/statistics", headers=headers)
    ).json()
    assert stats["pupils"] == 5
    assert stats["marked"] == 3
    assert stats["absent"] == 1
    assert stats["missing"] == 1
    assert Decimal(stats["mean"]) == Decimal("13.50")
    assert Decimal(stats["min"]) == Decimal("8.00")
    assert Decimal(stats["max"]) == Decimal("20.00")
    assert len(stats["histogram"]) == 20
    assert stats["histogram"][8] == 1
    assert stats["histogram"][12] == 1
    assert stats["histogram"][19] == 1
    assert sum(stats["histogram"]) == 3


@pytest.mark.parametrize("who", ["teacher_fr", "teacher_other"])
async def test_another_teachers_test_is_404(
    client: httpx.AsyncClient, teaching: TeachingWorld, test_id: str, who: str
) -> None:
    headers = teaching.auth(who)
    for method, suffix in (
        ("GET", ""),
        ("GET", "/marks"),
        ("GET", "/statistics"),
        ("POST", "/submit"),
        ("DELETE", ""),
    ):
        response = await client.request(
            method, f"/api/v1/teacher/tests/{test_id}{suffix}", headers=headers
        )
        assert response.status_code == 404, (method, suffix)
    put = await client.put(
        f"/api/v1/teacher/tests/{test_id}/marks", json=_rows(teaching, 1), headers=headers
    )
    assert put.status_code == 404
    assert (await client.get("/api/v1/teacher/tests", headers=headers)).json() == []


async def test_scheduling_in_a_class_or_subject_not_taught_is_404(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    assert (await _new_test(client, teaching, subject="FR")).status_code == 404
    assert (await _new_test(client, teaching, class_name="c3")).status_code == 404


@pytest.mark.parametrize("who", ["student", "parent", "school_staff", "province_staff"])
async def test_other_roles_get_403(
    client: httpx.AsyncClient, teaching: TeachingWorld, test_id: str, who: str
) -> None:
    headers = teaching.auth(who)
    assert (
        await client.get(f"/api/v1/teacher/tests/{test_id}/marks", headers=headers)
    ).status_code == 403
    assert (await _new_test(client, teaching, kind="test_3", who=who)).status_code == 403


async def test_deleted_tests_are_listed_for_sync(
    client: httpx.AsyncClient, teaching: TeachingWorld, test_id: str
) -> None:
    headers = teaching.auth("teacher")
    gone = (await _new_test(client, teaching, kind="test_2")).json()["id"]
    assert (
        await client.delete(f"/api/v1/teacher/tests/{gone}", headers=headers)
    ).status_code == 204
    # Within the sync window (older answers 410: tests/sync/test_tombstones.py).
    since = {"since": (datetime.now(UTC) - timedelta(days=1)).isoformat()}
    deleted = await client.get("/api/v1/teacher/tests/deleted", params=since, headers=headers)
    assert deleted.json() == [gone]
    later = await client.get(
        "/api/v1/teacher/tests/deleted", params={"since": "2999-01-01T00:00:00Z"}, headers=headers
    )
    assert later.json() == []
    # Another teacher of the school does not learn of it.
    other = await client.get(
        "/api/v1/teacher/tests/deleted", params=since, headers=teaching.auth("teacher_fr")
    )
    assert other.json() == []
    pupil = await client.get(
        "/api/v1/teacher/tests/deleted", params=since, headers=teaching.auth("student")
    )
    assert pupil.status_code == 403
