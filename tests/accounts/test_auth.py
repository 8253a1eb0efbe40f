"""Logging in, refreshing, logging out, and /me for every role."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import AuthSession, User
from app.core.roles import Role
from tests.factories import PASSWORD, World, create_user, used_long_ago

pytestmark = pytest.mark.usefixtures("world")


async def _login(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD
) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )


async def test_login_with_json_returns_a_token_pair(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _login(client, world.users["teacher"].username)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    assert body["refresh_expires_in"] == 30 * 86400
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["id"] == str(world.users["teacher"].id)


async def test_login_with_the_oauth2_password_form(client: httpx.AsyncClient, world: World) -> None:
    response = await client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "password",
            "username": world.users["student"].username,
            "password": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert response.json()["access_token"]


async def test_username_is_case_insensitive(client: httpx.AsyncClient, world: World) -> None:
    response = await _login(client, "  " + world.users["student"].username.upper() + " ")
    assert response.status_code == 200


@pytest.mark.parametrize("password", ["wrong-password", PASSWORD.upper()])
async def test_wrong_password_is_401_problem(
    client: httpx.AsyncClient, world: World, password: str
) -> None:
    response = await _login(client, world.users["teacher"].username, password)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert "access_token" not in response.text


async def test_unknown_user_and_wrong_password_answer_alike(
    client: httpx.AsyncClient, world: World
) -> None:
    unknown = await _login(client, "nobody@taalim.ma")
    wrong = await _login(client, world.users["teacher"].username, "nope-nope")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json()["detail"] == wrong.json()["detail"]


async def test_disabled_account_cannot_log_in(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create_user(session, Role.CENTRAL_STAFF, is_active=False)
    await session.commit()
    assert (await _login(client, user.username)).status_code == 401


async def test_login_validation_errors_name_the_field(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/token", json={"username": "someone@taalim.ma"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.password"]


async def test_login_records_the_session_and_last_login(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    user = world.users["parent"]
    await client.post(
        "/api/v1/auth/token",
        json={"username": user.username, "password": PASSWORD},
        headers={"User-Agent": "MassarWali/3.1 (Android 14)"},
    )
    agents = (
        await session.scalars(select(AuthSession.user_agent).where(AuthSession.user_id == user.id))
    ).all()
    assert "MassarWali/3.1 (Android 14)" in agents
    await session.refresh(user)
    assert user.last_login_at is not None


async def test_password_hash_is_upgraded_on_login_when_the_cost_changes(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    from argon2 import PasswordHasher

    weaker = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    user = User(
        username="rehash@taalim.ma",
        password_hash=weaker,
        role=Role.CENTRAL_STAFF,
        first_name="Re",
        last_name="Hash",
    )
    session.add(user)
    await session.commit()
    assert (await _login(client, "rehash@taalim.ma")).status_code == 200
    await session.refresh(user)
    assert user.password_hash != weaker
    assert "m=19456,t=2,p=1" in user.password_hash


async def test_refresh_rotates_the_token(client: httpx.AsyncClient, world: World) -> None:
    first = (await _login(client, world.users["student"].username)).json()
    response = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert response.status_code == 200
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {second['access_token']}"}
    )
    assert me.status_code == 200


async def test_reused_refresh_token_revokes_the_whole_family(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    first = (await _login(client, world.users["student"].username)).json()
    second = (
        await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    ).json()
    await used_long_ago(session, first["refresh_token"])

    replay = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert replay.status_code == 401
    assert replay.headers["content-type"] == "application/problem+json"

    # The thief's replay also ends the legitimate holder's newer tokens.
    newer = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}
    )
    assert newer.status_code == 401
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {second['access_token']}"}
    )
    assert me.status_code == 401


async def test_unknown_refresh_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/refresh", json={"refresh_token": "x" * 43})
    assert response.status_code == 401


async def test_refresh_for_a_disabled_account_is_401(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    user = world.users["teacher"]
    pair = (await _login(client, user.username)).json()
    user.is_active = False
    await session.commit()
    response = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert response.status_code == 401


async def test_logout_ends_refresh_and_access_tokens(
    client: httpx.AsyncClient, world: World
) -> None:
    pair = (await _login(client, world.users["parent"].username)).json()
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200

    response = await client.post(
        "/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]}
    )
    assert response.status_code == 204

    assert (await client.get("/api/v1/me", headers=headers)).status_code == 401
    again = await client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert again.status_code == 401


async def test_logout_leaves_other_devices_logged_in(
    client: httpx.AsyncClient, world: World
) -> None:
    phone = (await _login(client, world.users["parent"].username)).json()
    tablet = (await _login(client, world.users["parent"].username)).json()
    await client.post("/api/v1/auth/logout", json={"refresh_token": phone["refresh_token"]})
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {tablet['access_token']}"}
    )
    assert me.status_code == 200


EXPECTED_ME = {
    "student": ("school", ["moutamadris"], True, True),
    "teacher": ("school", ["moudaris"], True, True),
    "school_staff": ("school", ["back_office"], True, True),
    "province_staff": ("province", ["back_office"], False, True),
    "academy_staff": ("academy", ["back_office"], False, False),
    "central_staff": ("central", ["back_office"], False, False),
    "parent": ("family", ["wali"], False, False),
}


@pytest.mark.parametrize("who", list(EXPECTED_ME))
async def test_me_describes_the_account_and_its_place(
    client: httpx.AsyncClient, world: World, who: str
) -> None:
    level, apps, has_school, has_province = EXPECTED_ME[who]
    response = await client.get("/api/v1/me", headers=world.auth(who))
    assert response.status_code == 200
    me = response.json()
    user = world.users[who]
    assert me["id"] == str(user.id)
    assert me["role"] == user.role.value
    assert me["level"] == level
    assert me["apps"] == apps
    assert (me["school"] is not None) is has_school
    assert (me["province"] is not None) is has_province
    if has_school:
        school = world.schools["a1"]
        assert me["school"] == {
            "id": str(school.id),
            "code": school.code,
            "name_fr": school.name_fr,
            "name_ar": school.name_ar,
        }
        assert me["province"]["code"] == "RSK-RABAT"
        assert me["academy"]["name_fr"] == "Rabat-Salé-Kénitra"
    assert me["title"] == ("director" if who == "school_staff" else None)
    assert "password_hash" not in response.text
