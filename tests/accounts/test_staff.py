"""The school's teachers: opened with a first-login code, corrected, deactivated."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import TeachingWorld

NEW = {
    "email": "Nouveau.Prof@taalim.ma",
    "first_name": "Rachid",
    "last_name": "Benali",
    "ppr": "7654321",
    "rank": "Professeur agrégé",
    "specialty_code": "pc",
}


async def test_open_a_teacher_who_activates_and_teaches(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    staff = teaching.auth("school_staff")
    opened = await client.post("/api/v1/school/teachers", json=NEW, headers=staff)
    assert opened.status_code == 201, opened.text
    body = opened.json()
    assert body["teacher"]["specialty_code"] == "PC"
    assert body["activation"]["purpose"] == "activation"
    assert (
        await client.post("/api/v1/school/teachers", json=NEW, headers=staff)
    ).status_code == 409
    activation = {
        "username": body["activation"]["username"],
        "code": body["activation"]["code"],
        "new_password": "a-teachers-secret",
    }
    assert (await client.post("/api/v1/auth/activate", json=activation)).status_code == 204
    login = await client.post(
        "/api/v1/auth/token",
        json={"username": "nouveau.prof@taalim.ma", "password": "a-teachers-secret"},
    )
    token = login.json()["access_token"]
    profile = await client.get(
        "/api/v1/teacher/profile", headers={"Authorization": f"Bearer {token}"}
    )
    assert profile.json()["ppr"] == "7654321"
    listed = await client.get("/api/v1/school/teachers", headers=staff)
    assert "nouveau.prof@taalim.ma" in {t["username"] for t in listed.json()}


async def test_deactivating_a_teacher_ends_their_logins(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    teacher = teaching.world.users["teacher"]
    assert (
        await client.get("/api/v1/teacher/classes", headers=teaching.auth("teacher"))
    ).status_code == 200
    response = await client.patch(
        f"/api/v1/school/teachers/{teacher.id}",
        json={"is_active": False},
        headers=teaching.auth("school_staff"),
    )
    assert response.json()["is_active"] is False
    assert (
        await client.get("/api/v1/teacher/classes", headers=teaching.auth("teacher"))
    ).status_code == 401


async def test_withdrawn_pupil_leaves_the_rosters(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    pupil = teaching.pupils["c1"][0]
    response = await client.post(
        f"/api/v1/school/pupils/{pupil.id}/withdraw", headers=teaching.auth("school_staff")
    )
    assert response.json()["class_id"] is None
    roster = await client.get(
        f"/api/v1/teacher/classes/{teaching.classes['c1'].id}/pupils",
        headers=teaching.auth("teacher"),
    )
    assert str(pupil.id) not in {p["id"] for p in roster.json()}


async def test_another_schools_teacher_is_404(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    other = teaching.world.users["teacher_other"]
    response = await client.patch(
        f"/api/v1/school/teachers/{other.id}",
        json={"rank": "x"},
        headers=teaching.auth("school_staff"),
    )
    assert response.status_code == 404
    listed = await client.get("/api/v1/school/teachers", headers=teaching.auth("school_staff"))
    assert str(other.id) not in {t["id"] for t in listed.json()}


@pytest.mark.parametrize("who", ["teacher", "parent", "student", "province_staff"])
async def test_other_roles_get_403(
    client: httpx.AsyncClient, teaching: TeachingWorld, who: str
) -> None:
    assert (
        await client.get("/api/v1/school/teachers", headers=teaching.auth(who))
    ).status_code == 403
    assert (
        await client.post("/api/v1/school/teachers", json=NEW, headers=teaching.auth(who))
    ).status_code == 403
