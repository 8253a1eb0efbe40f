"""A phone gets pushes only while the login it registered under lasts: a logout, a password
change elsewhere or a reset ends its pushes, and those already queued, at once."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.messaging.models import Device, NotificationCategory, PushMessage
from app.messaging.notifications import NotificationTexts, notify
from tests.factories import PASSWORD, FamilyWorld

TEXTS = NotificationTexts(title_ar="غياب", title_fr="Absence", body_ar="غياب", body_fr="Absence")


async def _log_in(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    answer = await client.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, str] = answer.json()
    return body


async def _register(client: httpx.AsyncClient, pair: dict[str, str], token: str) -> None:
    registered = await client.post(
        "/api/v1/me/devices",
        json={"token": token, "platform": "android", "app": "wali", "locale": "ar"},
        headers={"Authorization": f"Bearer {pair['access_token']}"},
    )
    assert registered.status_code == 201, registered.text


async def _devices(session: AsyncSession, *tokens: str) -> set[str]:
    rows = await session.scalars(select(Device.token).where(Device.token.in_(tokens)))
    return set(rows)


async def test_a_logout_ends_that_phone_s_pushes_and_no_other(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    parent = family.teaching.world.users["parent"]
    phone, tablet = await _log_in(client, parent.username), await _log_in(client, parent.username)
    await _register(client, phone, "phone-token-" + "p" * 30)
    await _register(client, tablet, "tablet-token-" + "t" * 30)
    await notify(session, [parent.id], NotificationCategory.ABSENCES, TEXTS)
    queued = await session.scalar(select(func.count()).select_from(PushMessage))
    assert queued == 2

    logout = await client.post(
        "/api/v1/auth/logout", json={"refresh_token": phone["refresh_token"]}
    )
    assert logout.status_code == 204
    assert await _devices(session, "phone-token-" + "p" * 30, "tablet-token-" + "t" * 30) == {
        "tablet-token-" + "t" * 30
    }
    # The push queued for the phone went with it.
    assert await session.scalar(select(func.count()).select_from(PushMessage)) == 1


async def test_a_password_change_ends_the_pushes_of_the_other_logins(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    parent = family.teaching.world.users["parent"]
    lost, kept = await _log_in(client, parent.username), await _log_in(client, parent.username)
    await _register(client, lost, "lost-phone-" + "l" * 30)
    await _register(client, kept, "kept-phone-" + "k" * 30)
    changed = await client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "a-new-secret-2026"},
        headers={"Authorization": f"Bearer {kept['access_token']}"},
    )
    assert changed.status_code == 204, changed.text
    assert await _devices(session, "lost-phone-" + "l" * 30, "kept-phone-" + "k" * 30) == {
        "kept-phone-" + "k" * 30
    }
