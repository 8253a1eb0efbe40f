"""Transfers: the sending school asks, the receiving school accepts or refuses."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.roles import Role
from app.steering import summaries
from tests.factories import FamilyWorld, access_token, create_class, create_user


@pytest.fixture
async def receiving(session: AsyncSession, family: FamilyWorld) -> dict[str, str]:
    """A director of school b (same academy, other directorate) and a class there."""
    school_b = family.teaching.world.schools["b"]
    director = await create_user(session, Role.SCHOOL_STAFF, school=school_b)
    target = await create_class(session, school_b)
    await session.commit()
    return {
        "auth": f"Bearer {await access_token(session, director)}",
        "class_id": str(target.id),
        "code": school_b.code,
    }


async def _request(client: httpx.AsyncClient, family: FamilyWorld, code: str) -> httpx.Response:
    return await client.post(
        "/api/v1/school/transfers",
        json={"pupil_id": str(family.child.id), "to_school_code": code, "reason": "Déménagement"},
        headers=family.auth("school_staff"),
    )


async def test_accepted_transfer_moves_the_pupil(
    client: httpx.AsyncClient, family: FamilyWorld, receiving: dict[str, str], session: AsyncSession
) -> None:
    requested = await _request(client, family, receiving["code"])
    assert requested.status_code == 201, requested.text
    assert (await _request(client, family, receiving["code"])).status_code == 409
    headers = {"Authorization": receiving["auth"]}
    incoming = (
        await client.get(
            "/api/v1/school/transfers", params={"direction": "incoming"}, headers=headers
        )
    ).json()
    assert [t["id"] for t in incoming] == [requested.json()["id"]]

    accepted = await client.post(
        f"/api/v1/school/transfers/{requested.json()['id']}/accept",
        json={"class_id": receiving["class_id"]},
        headers=headers,
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["class_id"] == receiving["class_id"]
    # The old school loses the pupil; its teacher no longer has him in the roster.
    old = await client.get("/api/v1/school/pupils", headers=family.auth("school_staff"))
    assert str(family.child.id) not in {p["id"] for p in old.json()}
    roster = await client.get(
        f"/api/v1/teacher/classes/{family.teaching.classes['c1'].id}/pupils",
        headers=family.auth("teacher"),
    )
    assert str(family.child.id) not in {p["id"] for p in roster.json()}
    # The pupil's own app follows him to the new school.
    profile = (await client.get("/api/v1/student/profile", headers=family.auth("student"))).json()
    assert profile["school"]["code"] == receiving["code"]
    history = (await client.get("/api/v1/student/history", headers=family.auth("student"))).json()
    assert history[0]["school"]["code"] == receiving["code"]


async def test_refused_transfer_leaves_the_pupil(
    client: httpx.AsyncClient, family: FamilyWorld, receiving: dict[str, str]
) -> None:
    requested = (await _request(client, family, receiving["code"])).json()
    headers = {"Authorization": receiving["auth"]}
    refused = await client.post(
        f"/api/v1/school/transfers/{requested['id']}/refuse",
        json={"reason": "Classe complète"},
        headers=headers,
    )
    assert refused.json()["status"] == "refused"
    again = await client.post(
        f"/api/v1/school/transfers/{requested['id']}/accept",
        json={"class_id": receiving["class_id"]},
        headers=headers,
    )
    assert again.status_code == 409
    mine = await client.get("/api/v1/school/pupils", headers=family.auth("school_staff"))
    assert str(family.child.id) in {p["id"] for p in mine.json()}


async def test_only_the_receiving_school_answers(
    client: httpx.AsyncClient, family: FamilyWorld, receiving: dict[str, str]
) -> None:
    requested = (await _request(client, family, receiving["code"])).json()
    for who in ("school_staff", "other_school_staff"):  # the sender, and a third school
        response = await client.post(
            f"/api/v1/school/transfers/{requested['id']}/refuse",
            json={"reason": "non"},
            headers=family.auth(who),
        )
        assert response.status_code == 404


async def test_a_pupil_of_another_school_cannot_be_sent(
    client: httpx.AsyncClient, family: FamilyWorld, receiving: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/school/transfers",
        json={"pupil_id": str(family.child.id), "to_school_code": receiving["code"]},
        headers=family.auth("other_school_staff"),
    )
    assert response.status_code == 422


@pytest.mark.parametrize("who", ["teacher", "parent", "student", "central_staff"])
async def test_other_roles_get_403(
    client: httpx.AsyncClient, family: FamilyWorld, who: str
) -> None:
    assert (
        await client.get("/api/v1/school/transfers", headers=family.auth(who))
    ).status_code == 403


async def test_pending_transfers_show_in_steering(
    client: httpx.AsyncClient,
    session: AsyncSession,
    family: FamilyWorld,
    receiving: dict[str, str],
) -> None:
    await _request(client, family, receiving["code"])
    await summaries.refresh_queued(session)  # what the worker does within seconds
    users = family.teaching.world
    central = (
        await client.get("/api/v1/steering/overview", headers=users.auth("central_staff"))
    ).json()
    assert central["pending_transfers"] == 1
    # Counted at the sending school's directorate (Rabat), not at the receiving one's.
    rabat = (
        await client.get("/api/v1/steering/overview", headers=users.auth("province_staff"))
    ).json()
    assert rabat["pending_transfers"] == 1
    units = (
        await client.get("/api/v1/steering/units", headers=users.auth("province_staff"))
    ).json()
    by_school = {u["unit"]["id"]: u["pending_transfers"] for u in units["items"]}
    assert by_school[str(users.schools["a1"].id)] == 1
