"""Guesses sent at once get no more tries than guesses sent one after the other: each try is
counted before the secret is checked."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from app.settings import get_settings
from tests.factories import PASSWORD, FamilyWorld

BURST = 20


async def _burst(client: httpx.AsyncClient, path: str, body: dict[str, str]) -> list[int]:
    answers = await asyncio.gather(*(client.post(path, json=body) for _ in range(BURST)))
    return [answer.status_code for answer in answers]


async def test_twenty_wrong_passwords_at_once_get_only_the_allowed_tries(
    live_client: httpx.AsyncClient, live_family: FamilyWorld
) -> None:
    username = live_family.teaching.world.users["teacher"].username
    codes = await _burst(
        live_client, "/api/v1/auth/token", {"username": username, "password": "wrong-guess-1"}
    )
    allowed = get_settings().login_max_failures_per_account
    assert codes.count(401) == allowed
    # The others are refused unchecked: locked out (429), or beyond what the hashing gate
    # admits at once (503, never counted).
    assert codes.count(429) + codes.count(503) == BURST - allowed
    # The account is locked now, even for the right password.
    locked = await live_client.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    )
    assert locked.status_code == 429


async def test_a_right_password_gives_its_try_back(
    live_client: httpx.AsyncClient, live_family: FamilyWorld
) -> None:
    username = live_family.teaching.world.users["school_staff"].username
    body = {"username": username, "password": PASSWORD}
    for _ in range(get_settings().login_max_failures_per_account + 2):
        assert (await live_client.post("/api/v1/auth/token", json=body)).status_code == 200


@pytest.mark.parametrize("wrong", ["not-my-password"])
async def test_the_current_password_check_is_throttled(
    live_client: httpx.AsyncClient, live_family: FamilyWorld, wrong: str
) -> None:
    headers = live_family.auth("province_staff")
    body = {"current_password": wrong, "new_password": "a-new-password-2026"}
    answers = await asyncio.gather(
        *(live_client.post("/api/v1/me/password", json=body, headers=headers) for _ in range(BURST))
    )
    codes = [answer.status_code for answer in answers]
    allowed = get_settings().login_max_failures_per_account
    assert codes.count(422) == allowed
    assert codes.count(429) == BURST - allowed
