"""Tadkik over HTTP: candidates check their record before the exams and ask for corrections;
the pupil's school and the independent candidate's academy settle them, and an accepted
correction changes the record."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil
from app.audit.models import AuditEntry
from app.core.roles import Role
from tests.exams.test_independent_candidates import STEERING, _ok, registered_candidate
from tests.factories import (
    World,
    access_token,
    create_class,
    create_pupil,
    create_user,
    ensure_current_year,
)

SCHOOL = "/api/v1/school/candidate-record-corrections"
PUPIL = "/api/v1/student/exams/candidate-record"
PUBLIC = "/api/v1/public/exam-candidates"


async def _pupil(session: AsyncSession, world: World) -> Pupil:
    await ensure_current_year(session)
    pupil = await create_pupil(
        session, await create_class(session, world.schools["a1"], level_code="2BAC")
    )
    pupil.user_id = world.users["student"].id
    await session.flush()
    return pupil


async def test_a_pupil_asks_and_the_school_settles(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    pupil = await _pupil(session, world)
    student = world.auth("student")
    record = await _ok(await client.get(PUPIL, headers=student))
    assert (record["massar_code"], record["corrections"]) == (pupil.massar_code, [])

    bad = await client.post(f"{PUPIL}/corrections", json={}, headers=student)
    assert bad.status_code == 422
    asked = await _ok(
        await client.post(f"{PUPIL}/corrections", json={"birth_place": "Kénitra"}, headers=student),
        201,
    )
    assert (asked["status"], asked["changes"]) == ("filed", {"birth_place": "Kénitra"})
    again = await client.post(f"{PUPIL}/corrections", json={"last_name": "X"}, headers=student)
    assert (again.status_code, again.json()["type"].rsplit("/", 1)[-1]) == (
        409,
        "record-correction-waiting",
    )

    # The school's exams duty settles its own pupils' requests; nobody else sees them.
    assert (await client.get(SCHOOL, headers=world.auth("teacher"))).status_code == 403
    listed = await _ok(await client.get(SCHOOL, headers=world.auth("school_staff")))
    assert [c["id"] for c in listed] == [asked["id"]]
    assert await _ok(await client.get(SCHOOL, headers=world.auth("other_school_staff"))) == []
    decide = f"{SCHOOL}/{asked['id']}/decision"
    stranger = await client.post(
        decide, json={"decision": "accept"}, headers=world.auth("other_school_staff")
    )
    assert stranger.status_code == 404
    unreasoned = await client.post(
        decide, json={"decision": "refuse"}, headers=world.auth("school_staff")
    )
    assert unreasoned.status_code == 422
    accepted = await _ok(
        await client.post(decide, json={"decision": "accept"}, headers=world.auth("school_staff"))
    )
    assert accepted["status"] == "accepted"
    await session.refresh(pupil)
    assert pupil.birth_place == "Kénitra"
    twice = await client.post(
        decide, json={"decision": "accept"}, headers=world.auth("school_staff")
    )
    assert twice.status_code == 409
    audited = await session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.entity == "candidate_record_corrections",
            AuditEntry.entity_id == asked["id"],
        )
    )
    assert sorted(audited.all()) == ["insert", "update"]
    record = await _ok(await client.get(PUPIL, headers=student))
    assert [c["status"] for c in record["corrections"]] == ["accepted"]


async def test_an_independent_candidate_asks_and_the_academy_settles(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    registered = await registered_candidate(client, session, world)
    who: dict[str, Any] = {
        "candidate_number": registered["candidate_number"],
        "birth_date": "2001-03-14",
    }
    wrong = await client.post(
        f"{PUBLIC}/record/corrections",
        json={**who, "birth_date": "2001-01-01", "correction": {"last_name_ar": "الادريسي"}},
    )
    assert wrong.status_code == 404
    asked = await _ok(
        await client.post(
            f"{PUBLIC}/record/corrections", json={**who, "correction": {"last_name_ar": "الادريسي"}}
        ),
        201,
    )
    assert asked["independent_candidate_id"] == registered["id"]
    corrections = f"{STEERING}/independent-candidates/corrections"
    listed = await _ok(await client.get(corrections, headers=world.auth("academy_staff")))
    assert [c["id"] for c in listed] == [asked["id"]]
    assert (await client.get(corrections, headers=world.auth("central_staff"))).status_code == 403
    elsewhere = await create_user(
        session, Role.ACADEMY_STAFF, academy_id=world.schools["c"].academy_id
    )
    headers = {"Authorization": f"Bearer {await access_token(session, elsewhere)}"}
    decide = f"{corrections}/{asked['id']}/decision"
    assert (
        await client.post(decide, json={"decision": "accept"}, headers=headers)
    ).status_code == 404
    await _ok(
        await client.post(decide, json={"decision": "accept"}, headers=world.auth("academy_staff"))
    )
    record = await _ok(await client.post(f"{PUBLIC}/record", json=who))
    assert record["last_name_ar"] == "الادريسي"
