"""Changing one's password, for every role."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import PASSWORD, World


async def _login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )


@pytest.mark.parametrize("who", ["student", "parent", "teacher", "school_staff", "central_staff"])
async def test_change_password(client: httpx.AsyncClient, world: World, who: str) -> None:
    username = world.users[who].username
    phone = (await _login(client, username, PASSWORD)).json()
    tablet = (await _login(client, username, PASSWORD)).json()
    response = await client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "a-brand-new-secret"},
        headers={"Authorization": f"Bearer {phone['access_token']}"},
    )
    assert response.status_code == 204
    assert (await _login(client, username, PASSWORD)).status_code == 401
    assert (await _login(client, username, "a-brand-new-secret")).status_code == 200
    # This device stays logged in; the others are logged out.
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {phone['access_token']}"}
    )
    assert me.status_code == 200
    other = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {tablet['access_token']}"}
    )
    assert other.status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"current_password": "wrong-one", "new_password": "a-brand-new-secret"},
            "body.current_password",
        ),
        ({"current_password": PASSWORD, "new_password": PASSWORD}, "body.new_password"),
        ({"current_password": PASSWORD, "new_password": "short"}, "body.new_password"),
    ],
)
async def test_bad_changes_are_422(
    client: httpx.AsyncClient, world: World, body: dict[str, str], field: str
) -> None:
    response = await client.post("/api/v1/me/password", json=body, headers=world.auth("teacher"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


async def test_anonymous_is_401(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/me/password", json={"current_password": "x", "new_password": "y" * 9}
    )
    assert response.status_code == 401
