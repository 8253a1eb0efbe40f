"""Taking attendance: one roll call per lesson, all or nothing, idempotent, in scope."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.attendance.models import AttendanceMark
from tests.factories import FamilyWorld, TeachingWorld


def _url(teaching: TeachingWorld, name: str = "c1") -> str:
    return f"/api/v1/teacher/classes/{teaching.classes[name].id}/attendance"


def _roll_call(teaching: TeachingWorld, name: str = "c1", **overrides: object) -> dict[str, object]:
    pupils = teaching.pupils[name]
    body: dict[str, object] = {
        "date": school_today().isoformat(),
        "start_time": "08:30",
        "subject_id": str(teaching.subjects["MATH"].id),
        "marks": [
            {"pupil_id": str(pupils[0].id), "status": "absent"},
            {"pupil_id": str(pupils[1].id), "status": "late", "minutes_late": 10, "note": "bus"},
            *({"pupil_id": str(p.id), "status": "present"} for p in pupils[2:]),
        ],
    }
    return body | overrides


async def _count_marks(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(AttendanceMark)) or 0


async def test_record_and_read_back(client: httpx.AsyncClient, teaching: TeachingWorld) -> None:
    body = _roll_call(teaching)
    response = await client.put(_url(teaching), json=body, headers=teaching.auth("teacher"))
    assert response.status_code == 200, response.text
    assert response.json()["totals"] == {"present": 3, "absent": 1, "late": 1}

    params = {"date": body["date"], "start_time": "08:30", "subject_id": body["subject_id"]}
    read = await client.get(_url(teaching), params=params, headers=teaching.auth("teacher"))
    assert read.status_code == 200
    recorded = read.json()
    assert recorded["taken"] is True
    late = next(m for m in recorded["marks"] if m["status"] == "late")
    assert late["minutes_late"] == 10
    assert late["note"] == "bus"


async def test_a_lesson_not_taken_reads_as_empty(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    params = {
        "date": school_today().isoformat(),
        "start_time": "14:00",
        "subject_id": str(teaching.subjects["MATH"].id),
    }
    read = await client.get(_url(teaching), params=params, headers=teaching.auth("teacher"))
    assert read.json()["taken"] is False
    assert read.json()["marks"] == []


async def test_a_second_put_replaces_the_first(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    await client.put(_url(teaching), json=_roll_call(teaching), headers=teaching.auth("teacher"))
    only_two = _roll_call(teaching)
    only_two["marks"] = only_two["marks"][:2]  # type: ignore[index]
    response = await client.put(_url(teaching), json=only_two, headers=teaching.auth("teacher"))
    assert response.status_code == 200
    assert await _count_marks(session) == 2


async def test_replaying_the_same_roll_call_changes_nothing(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    body = _roll_call(teaching)
    first = await client.put(_url(teaching), json=body, headers=teaching.auth("teacher"))
    stamps = (await session.execute(select(AttendanceMark.id, AttendanceMark.updated_at))).all()
    second = await client.put(_url(teaching), json=body, headers=teaching.auth("teacher"))
    assert second.json()["marks"] == first.json()["marks"]
    assert (
        await session.execute(select(AttendanceMark.id, AttendanceMark.updated_at))
    ).all() == stamps


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (
            lambda b, t: b["marks"].append(
                {"pupil_id": str(t.pupils["c3"][0].id), "status": "present"}
            ),
            "body.marks.5.pupil_id",
        ),
        (lambda b, t: b["marks"].append(dict(b["marks"][0])), "body.marks.5.pupil_id"),
        (lambda b, t: b["marks"][2].update(status="asleep"), "body.marks.2.status"),
        (lambda b, t: b["marks"][2].update(minutes_late=5), "body.marks.2"),
        (lambda b, t: b["marks"][1].update(minutes_late=0), "body.marks.1.minutes_late"),
    ],
)
async def test_one_bad_row_writes_nothing(
    client: httpx.AsyncClient,
    teaching: TeachingWorld,
    session: AsyncSession,
    mutate: object,
    field: str,
) -> None:
    body = _roll_call(teaching)
    mutate(body, teaching)  # type: ignore[operator]
    response = await client.put(_url(teaching), json=body, headers=teaching.auth("teacher"))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert any(e["field"].startswith(field) for e in response.json()["errors"]), response.json()
    assert await _count_marks(session) == 0


async def test_a_future_date_is_refused(client: httpx.AsyncClient, teaching: TeachingWorld) -> None:
    body = _roll_call(teaching, date=(school_today() + timedelta(days=1)).isoformat())
    response = await client.put(_url(teaching), json=body, headers=teaching.auth("teacher"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "future_date"


async def test_a_date_older_than_the_window_is_refused(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    body = _roll_call(teaching, date=(school_today() - timedelta(days=15)).isoformat())
    response = await client.put(_url(teaching), json=body, headers=teaching.auth("teacher"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "too_old"
    inside = _roll_call(teaching, date=(school_today() - timedelta(days=14)).isoformat())
    assert (
        await client.put(_url(teaching), json=inside, headers=teaching.auth("teacher"))
    ).status_code == 200


async def test_another_teachers_subject_or_class_is_404(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    # teacher_fr teaches c1, but not MATH.
    fr = await client.put(
        _url(teaching), json=_roll_call(teaching), headers=teaching.auth("teacher_fr")
    )
    assert fr.status_code == 404
    # A class of another school.
    other = _roll_call(teaching, "c3")
    response = await client.put(_url(teaching, "c3"), json=other, headers=teaching.auth("teacher"))
    assert response.status_code == 404
    assert await _count_marks(session) == 0


@pytest.mark.parametrize("who", ["student", "parent", "school_staff", "central_staff"])
async def test_other_roles_get_403(
    client: httpx.AsyncClient, teaching: TeachingWorld, who: str
) -> None:
    response = await client.put(
        _url(teaching), json=_roll_call(teaching), headers=teaching.auth(who)
    )
    assert response.status_code == 403


async def test_an_absence_notifies_the_verified_parents_once(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    from app.messaging.models import Notification

    t = family.teaching
    body = _roll_call(t)
    body["marks"] = [
        {"pupil_id": str(family.child.id), "status": "absent"},
        {"pupil_id": str(family.unverified.id), "status": "absent"},
    ]
    parent = t.world.users["parent"]
    inbox = select(Notification).where(Notification.user_id == parent.id)
    assert (await client.put(_url(t), json=body, headers=t.auth("teacher"))).status_code == 200
    [notice] = (await session.scalars(inbox)).all()
    assert notice.category == "absences"
    assert family.child.first_name in notice.body_fr
    assert notice.data["pupil_id"] == str(family.child.id)
    # The unverified link gets nothing; a replay notifies nobody again.
    assert (await client.put(_url(t), json=body, headers=t.auth("teacher"))).status_code == 200
    assert len((await session.scalars(inbox)).all()) == 1
