"""Continuous training: programmes and sessions of a directorate, registration by teachers
and directors, the organiser's decisions within capacity, scopes on every face."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.roles import Role
from app.organisation.models import Province
from tests.factories import TeachingWorld, access_token, create_user
from tests.modules.trainings.helpers import (
    PROGRAMMES,
    REGISTRATIONS,
    SESSIONS,
    programme,
    teacher_registers,
    training_session,
)

TEACHER_SESSIONS = "/api/v1/teacher/trainings/sessions"
SCHOOL = "/api/v1/school/trainings"


@pytest.fixture
async def anfa_staff(session: AsyncSession, teaching: TeachingWorld) -> dict[str, str]:
    """Staff of another directorate (CS-ANFA, another academy)."""
    province = await session.scalar(select(Province).where(Province.code == "CS-ANFA"))
    user = await create_user(session, Role.PROVINCE_STAFF, province=province)
    token = await access_token(session, user)
    await session.commit()
    return {"Authorization": f"Bearer {token}"}


async def test_a_teacher_registers_and_the_directorate_approves(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    world = teaching.world
    maths = await programme(
        client, world, subject_id=str(teaching.subjects["MATH"].id), target_cycle="college"
    )
    assert maths["owner_level"] == "province"
    run = await training_session(client, world, maths["id"])
    assert (run["days"], run["capacity"], run["fill_rate"]) == (3, 2, "0.0000")

    offered = await client.get(TEACHER_SESSIONS, headers=world.auth("teacher"))
    assert [s["id"] for s in offered.json()["items"]] == [run["id"]]
    # A French teacher is not in the audience of a maths programme.
    french = await client.get(TEACHER_SESSIONS, headers=world.auth("teacher_fr"))
    assert french.json()["items"] == []

    registered = await teacher_registers(client, world, run["id"])
    assert registered.status_code == 201, registered.text
    mine = registered.json()
    assert mine["status"] == "requested"
    assert mine["actions"] == ["approve", "refuse", "cancel"]
    assert mine["person"]["id"] == str(world.users["teacher"].id)
    assert (await teacher_registers(client, world, run["id"])).status_code == 409

    listed = await client.get(
        f"{SESSIONS}/{run['id']}/registrations", headers=world.auth("province_staff")
    )
    assert [r["id"] for r in listed.json()["items"]] == [mine["id"]]
    approved = await client.post(
        f"{REGISTRATIONS}/{mine['id']}/approve", headers=world.auth("province_staff")
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    again = await client.post(
        f"{REGISTRATIONS}/{mine['id']}/approve", headers=world.auth("province_staff")
    )
    assert again.status_code == 409
    assert again.json()["type"].endswith("workflow-not-allowed")

    inbox = (await client.get("/api/v1/me/notifications", headers=world.auth("teacher"))).json()
    assert inbox["items"][0]["category"] == "trainings"
    assert inbox["items"][0]["data"]["registration_id"] == mine["id"]
    fill = await client.get(f"{SESSIONS}/{run['id']}", headers=world.auth("province_staff"))
    assert (fill.json()["approved"], fill.json()["fill_rate"]) == (1, "0.5000")
    # The academy above follows the directorate's sessions.
    followed = await client.get(SESSIONS, headers=world.auth("academy_staff"))
    assert [s["id"] for s in followed.json()["items"]] == [run["id"]]


async def test_capacity_is_never_exceeded(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    world = teaching.world
    open_to_all = await programme(client, world, theme="Évaluation des apprentissages")
    run = await training_session(client, world, open_to_all["id"], capacity=1)
    first = (await teacher_registers(client, world, run["id"])).json()
    second = (await teacher_registers(client, world, run["id"], "teacher_fr")).json()
    staff = world.auth("province_staff")
    assert (await client.post(f"{REGISTRATIONS}/{first['id']}/approve", headers=staff)).is_success
    full = await client.post(f"{REGISTRATIONS}/{second['id']}/approve", headers=staff)
    assert full.status_code == 409
    assert full.json()["type"].endswith("session-full")
    # Capacity cannot drop below the places taken.
    shrink = await client.patch(f"{SESSIONS}/{run['id']}", json={"capacity": 1}, headers=staff)
    assert shrink.status_code == 200

    # The first teacher withdraws: the place goes to the second.
    cancelled = await client.post(
        f"/api/v1/teacher/trainings/registrations/{first['id']}/cancel",
        headers=world.auth("teacher"),
    )
    assert cancelled.json()["status"] == "cancelled"
    assert (await client.post(f"{REGISTRATIONS}/{second['id']}/approve", headers=staff)).is_success
    # Registering again reopens the cancelled registration, which now waits.
    reopened = await teacher_registers(client, world, run["id"])
    assert reopened.status_code == 201
    assert (reopened.json()["id"], reopened.json()["status"]) == (first["id"], "requested")
    refused = await client.post(
        f"{REGISTRATIONS}/{first['id']}/refuse", json={"reason": "Session complète"}, headers=staff
    )
    assert refused.json()["status"] == "refused"
    assert refused.json()["refusal_reason"] == "Session complète"


async def test_the_audience_must_include_the_person(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    world = teaching.world
    maths = await programme(client, world, subject_id=str(teaching.subjects["MATH"].id))
    run = await training_session(client, world, maths["id"])
    mismatch = await teacher_registers(client, world, run["id"], "teacher_fr")
    assert mismatch.status_code == 422
    assert mismatch.json()["errors"][0]["field"] == "path.session_id"
    assert mismatch.json()["errors"][0]["code"] == "audience_mismatch"
    lycee = await programme(client, world, theme="Physique au lycée", level_code="2BAC")
    lycee_run = await training_session(client, world, lycee["id"])
    assert (await teacher_registers(client, world, lycee_run["id"])).status_code == 422
    # A directors' programme is not for teachers, even registered by their director.
    directors = await programme(
        client, world, theme="Gestion d'établissement", audience="school_staff"
    )
    directors_run = await training_session(client, world, directors["id"], who="province_staff")
    by_director = await client.post(
        f"{SCHOOL}/sessions/{directors_run['id']}/registrations",
        json={"user_id": str(world.users["teacher"].id)},
        headers=world.auth("school_staff"),
    )
    assert by_director.status_code == 422
    assert by_director.json()["errors"][0]["field"] == "body.user_id"


async def test_the_director_registers_the_school_staff(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    world = teaching.world
    maths = await programme(client, world, subject_id=str(teaching.subjects["MATH"].id))
    run = await training_session(client, world, maths["id"])
    directors = await programme(
        client,
        world,
        "academy_staff",
        theme="Pilotage du projet d'établissement",
        audience="school_staff",
    )
    directors_run = await training_session(client, world, directors["id"], "academy_staff")
    director = world.auth("school_staff")

    offered = await client.get(f"{SCHOOL}/sessions", headers=director)
    assert {s["id"] for s in offered.json()["items"]} == {run["id"], directors_run["id"]}
    only_staff = await client.get(
        f"{SCHOOL}/sessions", params={"audience": "school_staff"}, headers=director
    )
    assert [s["id"] for s in only_staff.json()["items"]] == [directors_run["id"]]

    teacher = await client.post(
        f"{SCHOOL}/sessions/{run['id']}/registrations",
        json={"user_id": str(world.users["teacher"].id)},
        headers=director,
    )
    assert teacher.status_code == 201, teacher.text
    myself = await client.post(
        f"{SCHOOL}/sessions/{directors_run['id']}/registrations",
        json={"user_id": str(world.users["school_staff"].id)},
        headers=director,
    )
    assert myself.status_code == 201, myself.text
    stranger = await client.post(
        f"{SCHOOL}/sessions/{run['id']}/registrations",
        json={"user_id": str(world.users["teacher_other"].id)},
        headers=director,
    )
    assert stranger.status_code == 422
    assert stranger.json()["errors"][0]["code"] == "unknown_staff"

    ours = await client.get(f"{SCHOOL}/registrations", headers=director)
    assert {r["id"] for r in ours.json()["items"]} == {teacher.json()["id"], myself.json()["id"]}
    page = await client.get(f"{SCHOOL}/registrations", params={"limit": 1}, headers=director)
    assert len(page.json()["items"]) == 1
    rest = await client.get(
        f"{SCHOOL}/registrations",
        params={"limit": 1, "cursor": page.json()["next_cursor"]},
        headers=director,
    )
    assert rest.json()["next_cursor"] is None
    assert {page.json()["items"][0]["id"], rest.json()["items"][0]["id"]} == {
        r["id"] for r in ours.json()["items"]
    }
    filtered = await client.get(
        f"{SCHOOL}/registrations",
        params={"user_id": str(world.users["teacher"].id)},
        headers=director,
    )
    assert [r["id"] for r in filtered.json()["items"]] == [teacher.json()["id"]]
    # The teacher sees the registration made for them; the director may withdraw it.
    mine = await client.get("/api/v1/teacher/trainings", headers=world.auth("teacher"))
    assert [r["id"] for r in mine.json()["items"]] == [teacher.json()["id"]]
    withdrawn = await client.post(
        f"{SCHOOL}/registrations/{teacher.json()['id']}/cancel", headers=director
    )
    assert withdrawn.json()["status"] == "cancelled"
    # Another school neither sees nor touches it.
    other = world.auth("other_school_staff")
    assert (await client.get(f"{SCHOOL}/registrations", headers=other)).json()["items"] == []
    touched = await client.post(
        f"{SCHOOL}/registrations/{myself.json()['id']}/cancel", headers=other
    )
    assert touched.status_code == 404


async def test_objects_outside_the_scope_answer_404(
    client: httpx.AsyncClient, teaching: TeachingWorld, anfa_staff: dict[str, str]
) -> None:
    world = teaching.world
    maths = await programme(client, world)
    run = await training_session(client, world, maths["id"])
    registration = (await teacher_registers(client, world, run["id"])).json()
    for path in (
        f"{SESSIONS}/{run['id']}",
        f"{SESSIONS}/{run['id']}/registrations",
        f"{PROGRAMMES}/{maths['id']}",
    ):
        response = await client.get(path, headers=anfa_staff)
        assert response.status_code == 404, path
        assert "theme" not in response.text
    assert (await client.get(SESSIONS, headers=anfa_staff)).json()["items"] == []
    # Another directorate and the academy above may not decide for the directorate.
    for headers in (anfa_staff, world.auth("academy_staff")):
        decided = await client.post(
            f"{REGISTRATIONS}/{registration['id']}/approve", headers=headers
        )
        assert decided.status_code == 404
        edited = await client.patch(
            f"{SESSIONS}/{run['id']}", json={"capacity": 9}, headers=headers
        )
        assert edited.status_code == 404
    # A teacher of another academy is not reached by the session.
    assert (await teacher_registers(client, world, run["id"], "teacher_other")).status_code == 404
    # Another teacher's registration.
    foreign = await client.post(
        f"/api/v1/teacher/trainings/registrations/{registration['id']}/cancel",
        headers=world.auth("teacher_fr"),
    )
    assert foreign.status_code == 404


@pytest.mark.parametrize("who", ["student", "parent", "school_staff", "province_staff"])
async def test_the_teacher_face_refuses_other_roles(
    client: httpx.AsyncClient, teaching: TeachingWorld, who: str
) -> None:
    response = await client.get("/api/v1/teacher/trainings", headers=teaching.auth(who))
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["teacher", "student", "school_staff"])
async def test_the_steering_face_refuses_other_roles(
    client: httpx.AsyncClient, teaching: TeachingWorld, who: str
) -> None:
    for path in (SESSIONS, PROGRAMMES, "/api/v1/steering/trainings/hours"):
        assert (await client.get(path, headers=teaching.auth(who))).status_code == 403


@pytest.mark.parametrize("who", ["teacher", "parent", "province_staff"])
async def test_the_school_face_refuses_other_roles(
    client: httpx.AsyncClient, teaching: TeachingWorld, who: str
) -> None:
    response = await client.get(f"{SCHOOL}/registrations", headers=teaching.auth(who))
    assert response.status_code == 403


async def test_programmes_and_sessions_are_validated(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    staff = teaching.auth("province_staff")
    targeted_staff = await client.post(
        PROGRAMMES,
        json={"theme": "Gestion", "audience": "school_staff", "level_code": "1AC"},
        headers=staff,
    )
    assert targeted_staff.status_code == 422
    unknown = await client.post(
        PROGRAMMES,
        json={"theme": "Gestion", "audience": "teachers", "level_code": "9XX"},
        headers=staff,
    )
    assert unknown.json()["errors"][0]["field"] == "body.level_code"
    extra = await client.post(
        PROGRAMMES, json={"theme": "Gestion", "audience": "teachers", "budget": 3}, headers=staff
    )
    assert extra.status_code == 422
    maths = await programme(client, teaching.world)
    bad = await client.post(
        f"{PROGRAMMES}/{maths['id']}/sessions",
        json={
            "starts_on": "2026-12-10",
            "ends_on": "2026-12-08",
            "place": "CRMEF",
            "capacity": 0,
            "trainer_name": "M. Idrissi",
            "hours_per_day": 6,
        },
        headers=staff,
    )
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert "body.capacity" in fields
    run = await training_session(client, teaching.world, maths["id"])
    backwards = await client.patch(
        f"{SESSIONS}/{run['id']}", json={"ends_on": "2000-01-01"}, headers=staff
    )
    assert backwards.json()["errors"][0]["field"] == "body.ends_on"
    # A programme with sessions stays; a session nobody joined goes.
    assert (await client.delete(f"{PROGRAMMES}/{maths['id']}", headers=staff)).status_code == 409
    assert (await client.delete(f"{SESSIONS}/{run['id']}", headers=staff)).status_code == 204
    assert (await client.delete(f"{PROGRAMMES}/{maths['id']}", headers=staff)).status_code == 204


async def test_lists_page_and_filter(client: httpx.AsyncClient, teaching: TeachingWorld) -> None:
    world = teaching.world
    maths = await programme(client, world)
    other = await programme(client, world, theme="Gestion d'établissement", audience="school_staff")
    runs = [await training_session(client, world, maths["id"]) for _ in range(3)]
    staff = world.auth("province_staff")
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, "programme_id": maths["id"]} | ({"cursor": cursor} if cursor else {})
        page = (await client.get(SESSIONS, params=params, headers=staff)).json()
        seen += [s["id"] for s in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(r["id"] for r in runs)
    by_audience = await client.get(PROGRAMMES, params={"audience": "school_staff"}, headers=staff)
    assert [p["id"] for p in by_audience.json()["items"]] == [other["id"]]
    assert (await client.get(SESSIONS, params={"cursor": "nope"}, headers=staff)).status_code == 400


async def test_a_programme_or_session_field_may_be_left_out_but_not_nulled(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    world = teaching.world
    staff = world.auth("province_staff")
    maths = await programme(client, world, description="Trois journées au CRMEF.")
    run = await training_session(client, world, maths["id"])
    renamed = await client.patch(
        f"{PROGRAMMES}/{maths['id']}", json={"theme": "Didactique de la géométrie"}, headers=staff
    )
    assert renamed.status_code == 200
    assert renamed.json()["description"] == "Trois journées au CRMEF."
    for path, field in (
        (f"{PROGRAMMES}/{maths['id']}", "theme"),
        (f"{SESSIONS}/{run['id']}", "capacity"),
    ):
        nulled = await client.patch(path, json={field: None}, headers=staff)
        assert nulled.status_code == 422, path
