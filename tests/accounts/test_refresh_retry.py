"""A refresh whose answer was lost may be retried once, just after, with the same token; a
later or second reuse is theft and ends the login. A login ends at its absolute lifetime,
however often it is refreshed."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import AuthSession, RefreshToken
from app.core.security.tokens import hash_refresh_token
from app.settings import get_settings
from tests.factories import PASSWORD, World, used_long_ago


async def _pair(client: httpx.AsyncClient, world: World) -> dict[str, str]:
    answer = await client.post(
        "/api/v1/auth/token",
        json={"username": world.users["student"].username, "password": PASSWORD},
    )
    body: dict[str, str] = answer.json()
    return body


async def _refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/api/v1/auth/refresh", json={"refresh_token": token})


async def _login_of(session: AsyncSession, refresh_token: str) -> uuid.UUID | None:
    return await session.scalar(
        select(RefreshToken.session_id).where(
            RefreshToken.token_hash == hash_refresh_token(refresh_token)
        )
    )


def _bearer(pair: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}


async def test_a_lost_answer_is_retried_once_in_the_same_login(
    client: httpx.AsyncClient, world: World
) -> None:
    first = await _pair(client, world)
    lost = await _refresh(client, first["refresh_token"])
    assert lost.status_code == 200
    retried = await _refresh(client, first["refresh_token"])
    assert retried.status_code == 200
    fresh = retried.json()
    # A new pair (the lost one cannot be returned: tokens are stored hashed), same login.
    assert fresh["refresh_token"] != lost.json()["refresh_token"]
    assert (await client.get("/api/v1/me", headers=_bearer(fresh))).status_code == 200
    assert (await _refresh(client, fresh["refresh_token"])).status_code == 200


async def test_a_second_retry_is_theft(client: httpx.AsyncClient, world: World) -> None:
    first = await _pair(client, world)
    assert (await _refresh(client, first["refresh_token"])).status_code == 200
    retried = (await _refresh(client, first["refresh_token"])).json()
    again = await _refresh(client, first["refresh_token"])
    assert again.status_code == 401
    assert (await client.get("/api/v1/me", headers=_bearer(retried))).status_code == 401


async def test_a_retry_after_the_window_is_theft(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    first = await _pair(client, world)
    second = (await _refresh(client, first["refresh_token"])).json()
    await used_long_ago(session, first["refresh_token"])
    assert (await _refresh(client, first["refresh_token"])).status_code == 401
    assert (await client.get("/api/v1/me", headers=_bearer(second))).status_code == 401


async def test_a_login_past_its_absolute_lifetime_cannot_be_refreshed(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    pair = await _pair(client, world)
    login_id = await _login_of(session, pair["refresh_token"])
    lifetime = timedelta(days=get_settings().session_max_days, minutes=1)
    await session.execute(
        update(AuthSession)
        .where(AuthSession.id == login_id)
        .values(created_at=AuthSession.created_at - lifetime)
    )
    await session.commit()
    assert (await _refresh(client, pair["refresh_token"])).status_code == 401
    revoked = await session.scalar(
        select(AuthSession.revoked_reason).where(AuthSession.id == login_id)
    )
    assert revoked == "expired"


async def test_a_refresh_token_never_outlives_its_login(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    pair = await _pair(client, world)
    login_id = await _login_of(session, pair["refresh_token"])
    days_left = 3
    age = timedelta(days=get_settings().session_max_days - days_left)
    await session.execute(
        update(AuthSession)
        .where(AuthSession.id == login_id)
        .values(created_at=AuthSession.created_at - age)
    )
    await session.commit()
    refreshed = (await _refresh(client, pair["refresh_token"])).json()
    assert refreshed["refresh_expires_in"] <= days_left * 86400
