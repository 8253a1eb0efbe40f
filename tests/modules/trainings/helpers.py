"""Shared steps of the continuous-training tests: programmes and sessions over HTTP, and
moving a session into the past (registration closes when a session starts, attendance is
only taken for days gone by)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.modules.trainings.models import TrainingSession
from tests.factories import World

PROGRAMMES = "/api/v1/steering/trainings/programmes"
SESSIONS = "/api/v1/steering/trainings/sessions"
REGISTRATIONS = "/api/v1/steering/trainings/registrations"


async def programme(
    client: httpx.AsyncClient, world: World, who: str = "province_staff", **fields: Any
) -> dict[str, Any]:
    body = {"theme": "Didactique des mathématiques au collège", "audience": "teachers", **fields}
    response = await client.post(PROGRAMMES, json=body, headers=world.auth(who))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def training_session(
    client: httpx.AsyncClient,
    world: World,
    programme_id: str,
    who: str = "province_staff",
    *,
    capacity: int = 2,
    days: int = 3,
) -> dict[str, Any]:
    start = school_today() + timedelta(days=7)
    body = {
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=days - 1)).isoformat(),
        "place": "CRMEF Rabat, salle 4",
        "capacity": capacity,
        "trainer_name": "Mme Naima Alaoui",
        "hours_per_day": 6,
    }
    response = await client.post(
        f"{PROGRAMMES}/{programme_id}/sessions", json=body, headers=world.auth(who)
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def teacher_registers(
    client: httpx.AsyncClient, world: World, session_id: str, who: str = "teacher"
) -> httpx.Response:
    return await client.post(
        f"/api/v1/teacher/trainings/sessions/{session_id}/registrations", headers=world.auth(who)
    )


async def move_to_past(session: AsyncSession, session_id: str, days: int = 3) -> list[str]:
    """The session's dates become the `days` days ending yesterday; returns them."""
    first = school_today() - timedelta(days=days)
    await session.execute(
        update(TrainingSession)
        .where(TrainingSession.id == session_id)
        .values(starts_on=first, ends_on=first + timedelta(days=days - 1))
    )
    await session.commit()
    return [(first + timedelta(days=n)).isoformat() for n in range(days)]
