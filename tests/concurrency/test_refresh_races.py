"""A client that retries a refresh at once (its first answer lost) is not taken for a thief;
three presentations of one token are, however they interleave."""

from __future__ import annotations

import asyncio

import httpx

from tests.factories import PASSWORD, FamilyWorld


async def _fresh_pair(client: httpx.AsyncClient, family: FamilyWorld) -> dict[str, str]:
    answer = await client.post(
        "/api/v1/auth/token",
        json={"username": family.teaching.world.users["parent"].username, "password": PASSWORD},
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, str] = answer.json()
    return body


async def _refreshes(client: httpx.AsyncClient, token: str, count: int) -> list[httpx.Response]:
    return list(
        await asyncio.gather(
            *(
                client.post("/api/v1/auth/refresh", json={"refresh_token": token})
                for _ in range(count)
            )
        )
    )


async def test_two_refreshes_at_once_both_get_a_pair(
    live_client: httpx.AsyncClient, live_family: FamilyWorld
) -> None:
    pair = await _fresh_pair(live_client, live_family)
    answers = await _refreshes(live_client, pair["refresh_token"], 2)
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json()["refresh_token"] != answers[1].json()["refresh_token"]


async def test_three_presentations_at_once_end_the_login(
    live_client: httpx.AsyncClient, live_family: FamilyWorld
) -> None:
    pair = await _fresh_pair(live_client, live_family)
    answers = await _refreshes(live_client, pair["refresh_token"], 3)
    assert sorted(a.status_code for a in answers) == [200, 200, 401]
    for granted in (a.json() for a in answers if a.status_code == 200):
        headers = {"Authorization": f"Bearer {granted['access_token']}"}
        assert (await live_client.get("/api/v1/me", headers=headers)).status_code == 401
