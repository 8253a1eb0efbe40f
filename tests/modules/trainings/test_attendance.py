"""Continuous training after the sessions: attendance per day in bulk, hours, the
completion certificate, hours per staff member and the steering figure."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.modules.trainings.models import TrainingAttendance
from tests.factories import TeachingWorld
from tests.modules.trainings.helpers import (
    REGISTRATIONS,
    SESSIONS,
    move_to_past,
    programme,
    teacher_registers,
    training_session,
)


async def _approved_run(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], list[str]]:
    """A 3-day session that ended yesterday: the maths teacher approved, the French teacher
    still waiting."""
    world = teaching.world
    maths = await programme(client, world)
    run = await training_session(client, world, maths["id"])
    approved = (await teacher_registers(client, world, run["id"])).json()
    waiting = (await teacher_registers(client, world, run["id"], "teacher_fr")).json()
    response = await client.post(
        f"{REGISTRATIONS}/{approved['id']}/approve", headers=world.auth("province_staff")
    )
    assert response.status_code == 200
    days = await move_to_past(session, run["id"])
    return run, approved, waiting, days


async def test_attendance_hours_and_certificate(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    run, approved, _, days = await _approved_run(client, teaching, session)
    staff = teaching.auth("province_staff")
    for day, present in zip(days, (True, True, False), strict=True):
        recorded = await client.put(
            f"{SESSIONS}/{run['id']}/attendance/{day}",
            json={"rows": [{"registration_id": approved["id"], "present": present}]},
            headers=staff,
        )
        assert recorded.status_code == 200, recorded.text
        assert recorded.json()["rows"] == [{"registration_id": approved["id"], "present": present}]

    mine = (await client.get("/api/v1/teacher/trainings", headers=teaching.auth("teacher"))).json()
    assert (mine["items"][0]["attended_days"], mine["items"][0]["hours_completed"]) == (2, 12)

    # 2 days of 3 is under the 80 % the certificate asks for.
    short = await client.post(f"{REGISTRATIONS}/{approved['id']}/complete", json={}, headers=staff)
    assert short.status_code == 409
    assert (short.json()["attended_days"], short.json()["required_days"]) == (2, 3)
    corrected = await client.put(
        f"{SESSIONS}/{run['id']}/attendance/{days[2]}",
        json={"rows": [{"registration_id": approved["id"], "present": True}]},
        headers=staff,
    )
    assert corrected.status_code == 200
    early = await client.post(
        f"{REGISTRATIONS}/{approved['id']}/complete",
        json={"completed_on": days[0]},
        headers=staff,
    )
    assert early.json()["errors"][0]["field"] == "body.completed_on"
    done = await client.post(f"{REGISTRATIONS}/{approved['id']}/complete", json={}, headers=staff)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed"
    assert done.json()["completed_on"] == school_today().isoformat()
    assert done.json()["hours_completed"] == 18

    inbox = await client.get("/api/v1/me/notifications", headers=teaching.auth("teacher"))
    # One transaction per test: both notifications carry the same time, so compare as a set.
    assert {n["data"]["status"] for n in inbox.json()["items"]} == {"approved", "completed"}
    # A certificate issued freezes attendance.
    frozen = await client.put(
        f"{SESSIONS}/{run['id']}/attendance/{days[0]}",
        json={"rows": [{"registration_id": approved["id"], "present": False}]},
        headers=staff,
    )
    assert frozen.status_code == 422

    hours = await client.get("/api/v1/steering/trainings/hours", headers=staff)
    teacher_id = str(teaching.world.users["teacher"].id)
    assert [
        (h["user_id"], h["hours_completed"], h["completed"]) for h in hours.json()["items"]
    ] == [(teacher_id, 18, 1)]
    other_school = await client.get(
        "/api/v1/steering/trainings/hours",
        params={"school_id": str(teaching.world.schools["a2"].id)},
        headers=staff,
    )
    assert other_school.json()["items"] == []


async def test_attendance_is_all_or_nothing(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    run, approved, waiting, days = await _approved_run(client, teaching, session)
    staff = teaching.auth("province_staff")
    url = f"{SESSIONS}/{run['id']}/attendance/{days[0]}"
    faulty = await client.put(
        url,
        json={
            "rows": [
                {"registration_id": approved["id"], "present": True},
                {"registration_id": waiting["id"], "present": True},
                {"registration_id": approved["id"], "present": False},
            ]
        },
        headers=staff,
    )
    assert faulty.status_code == 422
    assert [(e["field"], e["code"]) for e in faulty.json()["errors"]] == [
        ("body.rows.1.registration_id", "not_approved"),
        ("body.rows.2.registration_id", "duplicate"),
    ]
    assert (await client.get(url, headers=staff)).json()["rows"] == []

    outside = (school_today() + timedelta(days=30)).isoformat()
    body = {"rows": [{"registration_id": approved["id"], "present": True}]}
    wrong_day = await client.put(
        f"{SESSIONS}/{run['id']}/attendance/{outside}", json=body, headers=staff
    )
    assert wrong_day.json()["errors"][0]["field"] == "path.day"

    first = await client.put(url, json=body, headers=staff)
    stamp = await session.scalar(select(TrainingAttendance.updated_at))
    replay = await client.put(url, json=body, headers=staff)
    assert replay.json() == first.json()
    session.expire_all()
    assert await session.scalar(select(TrainingAttendance.updated_at)) == stamp
    assert (
        await session.scalar(
            select(TrainingAttendance.id).where(
                TrainingAttendance.day == date.fromisoformat(days[1])
            )
        )
        is None
    )

    # Only the organiser records; the academy above reads.
    academy = teaching.auth("academy_staff")
    assert (await client.put(url, json=body, headers=academy)).status_code == 404
    assert (await client.get(url, headers=academy)).json()["rows"] == first.json()["rows"]


async def test_steering_figure(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    run, approved, _, days = await _approved_run(client, teaching, session)
    world = teaching.world
    staff = world.auth("province_staff")
    await client.put(
        f"{SESSIONS}/{run['id']}/attendance/{days[0]}",
        json={"rows": [{"registration_id": approved["id"], "present": True}]},
        headers=staff,
    )
    academy_programme = await programme(
        client, world, "academy_staff", theme="Leadership", audience="school_staff"
    )
    await training_session(client, world, academy_programme["id"], "academy_staff", capacity=8)

    province = (await client.get("/api/v1/steering/overview", headers=staff)).json()
    assert province["modules"]["trainings"] == {
        "sessions": 1,
        "places": 2,
        "approved": 1,
        "fill_rate": "0.5000",
        "hours_completed": 6,
    }
    academy = (
        await client.get("/api/v1/steering/overview", headers=world.auth("academy_staff"))
    ).json()
    assert academy["modules"]["trainings"] == {
        "sessions": 2,
        "places": 10,
        "approved": 1,
        "fill_rate": "0.1000",
        "hours_completed": 6,
    }
    elsewhere = (
        await client.get("/api/v1/steering/overview", headers=world.auth("central_staff"))
    ).json()
    assert elsewhere["modules"]["trainings"]["sessions"] == 2
