"""Two slots for one teacher at the same time, added at the same moment: one is taken, the
other refused (409), never both."""

from __future__ import annotations

import asyncio

import httpx

from tests.factories import FamilyWorld


async def test_a_teacher_cannot_be_booked_twice_by_two_adds_at_once(
    live_client: httpx.AsyncClient, live_family: FamilyWorld
) -> None:
    teaching = live_family.teaching
    teacher = teaching.world.users["teacher"]
    slots = [
        {
            "class_id": str(teaching.classes[name].id),
            "subject_id": str(teaching.subjects["MATH"].id),
            "teacher_id": str(teacher.id),
            "weekday": 3,
            "starts_at": "10:00",
            "ends_at": "11:00",
            "room": f"Salle {name}",
        }
        for name in ("c1", "c2")
    ]
    headers = live_family.auth("school_staff")
    answers = await asyncio.gather(
        *(live_client.post("/api/v1/school/timetable", json=s, headers=headers) for s in slots)
    )
    assert sorted(a.status_code for a in answers) == [201, 409]
    timetable = await live_client.get("/api/v1/school/timetable", headers=headers)
    booked = [s for s in timetable.json() if s["teacher_id"] == str(teacher.id)]
    assert len(booked) == 1
