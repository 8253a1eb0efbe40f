"""First logins and password resets with a code from the school."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.family.models import GuardianLink, Kinship
from tests.factories import FamilyWorld


async def _activate(
    client: httpx.AsyncClient, username: str, code: str, password: str = "my-own-secret-1"
) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/activate", json={"username": username, "code": code, "new_password": password}
    )


async def _login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )


async def test_a_pupil_without_account_activates_it(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    pupil = family.stranger  # no account yet
    issued = await client.post(
        f"/api/v1/school/pupils/{pupil.id}/account-code", headers=family.auth("school_staff")
    )
    assert issued.status_code == 201, issued.text
    body = issued.json()
    assert body["purpose"] == "activation"
    assert body["username"] == f"{pupil.massar_code.lower()}@taalim.ma"
    # Before activation nobody can log in to the account.
    assert (await _login(client, body["username"], "anything-at-all")).status_code == 401
    assert (
        await _activate(client, body["username"].upper(), body["code"].lower())
    ).status_code == 204
    token = (await _login(client, body["username"], "my-own-secret-1")).json()["access_token"]
    profile = await client.get(
        "/api/v1/student/profile", headers={"Authorization": f"Bearer {token}"}
    )
    assert profile.json()["massar_code"] == pupil.massar_code
    # Single use.
    assert (await _activate(client, body["username"], body["code"])).status_code == 401


async def test_a_reset_logs_out_the_old_sessions(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    # The family's pupil has an account already: the code is a reset.
    from tests.factories import PASSWORD

    username = family.teaching.world.users["student"].username
    old = (await _login(client, username, PASSWORD)).json()
    issued = (
        await client.post(
            f"/api/v1/school/pupils/{family.child.id}/account-code",
            headers=family.auth("school_staff"),
        )
    ).json()
    assert issued["purpose"] == "reset"
    assert (await _activate(client, username, issued["code"])).status_code == 204
    assert (await _login(client, username, PASSWORD)).status_code == 401
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {old['access_token']}"})
    assert me.status_code == 401


async def test_a_parent_account_opened_by_the_school(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    staff = family.auth("school_staff")
    body = {
        "email": "Mere.Stranger@example.ma",
        "first_name": "Aïcha",
        "last_name": "Tazi",
        "kinship": "mother",
    }
    opened = await client.post(
        f"/api/v1/school/pupils/{family.stranger.id}/parents", json=body, headers=staff
    )
    assert opened.status_code == 201, opened.text
    code = opened.json()
    assert code["username"] == "mere.stranger@example.ma"
    assert (await _activate(client, code["username"], code["code"])).status_code == 204
    token = (await _login(client, code["username"], "my-own-secret-1")).json()["access_token"]
    children = await client.get(
        "/api/v1/parent/children", headers={"Authorization": f"Bearer {token}"}
    )
    assert [c["id"] for c in children.json()] == [str(family.stranger.id)]
    again = await client.post(
        f"/api/v1/school/pupils/{family.stranger.id}/parents", json=body, headers=staff
    )
    assert again.status_code == 409


async def test_a_linked_parent_gets_a_code(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    parent = family.teaching.world.users["parent"]
    link_id = await session.scalar(
        select(GuardianLink.id).where(
            GuardianLink.parent_id == parent.id, GuardianLink.pupil_id == family.child.id
        )
    )
    issued = await client.post(
        f"/api/v1/school/guardian-links/{link_id}/account-code", headers=family.auth("school_staff")
    )
    assert issued.json()["username"] == parent.username
    other = await client.post(
        f"/api/v1/school/guardian-links/{link_id}/account-code",
        headers=family.auth("other_school_staff"),
    )
    assert other.status_code == 404


@pytest.mark.parametrize("wrong", ["username", "code"])
async def test_wrong_details_get_one_answer_and_are_throttled(
    client: httpx.AsyncClient, family: FamilyWorld, wrong: str
) -> None:
    issued = (
        await client.post(
            f"/api/v1/school/pupils/{family.stranger.id}/account-code",
            headers=family.auth("school_staff"),
        )
    ).json()
    username, code = issued["username"], issued["code"]
    bad = (
        {"username": "x999999999@taalim.ma", "code": code}
        if wrong == "username"
        else {"username": username, "code": "ZZZZ-ZZZZ"}
    )
    first = await _activate(client, bad["username"], bad["code"])
    assert first.status_code == 401
    for _ in range(6):
        last = await _activate(client, bad["username"], bad["code"])
    assert last.status_code == 429


async def test_another_schools_pupil_is_404(client: httpx.AsyncClient, family: FamilyWorld) -> None:
    response = await client.post(
        f"/api/v1/school/pupils/{family.stranger.id}/account-code",
        headers=family.auth("other_school_staff"),
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["teacher", "parent", "student", "central_staff"])
async def test_other_roles_get_403(
    client: httpx.AsyncClient, family: FamilyWorld, who: str
) -> None:
    response = await client.post(
        f"/api/v1/school/pupils/{family.stranger.id}/account-code", headers=family.auth(who)
    )
    assert response.status_code == 403


async def test_a_reset_at_one_school_holds_the_links_to_children_elsewhere(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    parent = family.teaching.world.users["parent"]
    parent.last_login_at = datetime.now(UTC)  # an account in use: the code is a reset
    elsewhere = family.teaching.pupils["c3"][0]  # a child at another school
    session.add(
        GuardianLink(
            parent_id=parent.id,
            pupil_id=elsewhere.id,
            kinship=Kinship.MOTHER,
            verified_at=datetime.now(UTC),
        )
    )
    await session.commit()
    link_id = await session.scalar(
        select(GuardianLink.id).where(
            GuardianLink.parent_id == parent.id, GuardianLink.pupil_id == family.child.id
        )
    )
    issued = await client.post(
        f"/api/v1/school/guardian-links/{link_id}/account-code", headers=family.auth("school_staff")
    )
    assert issued.json()["purpose"] == "reset"
    assert (await _activate(client, parent.username, issued.json()["code"])).status_code == 204
    token = (await _login(client, parent.username, "my-own-secret-1")).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}

    # The issuing school's children are still the parent's; the other school's child waits
    # for that school to approve the link again.
    for pupil, status in ((family.child, 200), (family.sibling, 200), (elsewhere, 404)):
        answer = await client.get(f"/api/v1/parent/children/{pupil.id}/profile", headers=headers)
        assert answer.status_code == status
    pending = await client.get(
        "/api/v1/school/guardian-links",
        params={"pending": True},
        headers=family.auth("other_school_staff"),
    )
    assert [link["pupil_id"] for link in pending.json()] == [str(elsewhere.id)]
