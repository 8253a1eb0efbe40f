"""Devices, the inbox and push preferences for every role, and `notify`'s outbox rows."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db.session import SessionDep
from app.messaging.models import Device, Notification, NotificationCategory, PushMessage, PushStatus
from app.messaging.notifications import NotificationTexts, notify
from tests.factories import World

TEXTS = NotificationTexts(
    title_ar="غياب", title_fr="Absence", body_ar="تغيب ابنكم", body_fr="Votre enfant est absent"
)
ROLES = ["student", "parent", "teacher", "school_staff", "province_staff", "central_staff"]


def _device(token: str, **overrides: str) -> dict[str, str]:
    return {"token": token, "platform": "android", "app": "wali", "locale": "fr"} | overrides


async def _count(session: AsyncSession, model: type[Any], *where: Any) -> int:
    return await session.scalar(select(func.count()).select_from(model).where(*where)) or 0


async def _register(client: httpx.AsyncClient, world: World, who: str, token: str) -> str:
    response = await client.post("/api/v1/me/devices", json=_device(token), headers=world.auth(who))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


# ---- devices --------------------------------------------------------------------------------


async def test_registering_the_same_token_again_updates_it(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    first = await client.post(
        "/api/v1/me/devices", json=_device("tok-1"), headers=world.auth("parent")
    )
    assert first.status_code == 201
    assert first.json()["locale"] == "fr"
    again = await client.post(
        "/api/v1/me/devices",
        json=_device("tok-1", locale="ar", platform="ios"),
        headers=world.auth("parent"),
    )
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert (again.json()["locale"], again.json()["platform"]) == ("ar", "ios")
    assert await _count(session, Device, Device.token == "tok-1") == 1


async def test_a_token_moves_to_the_account_that_registers_it(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    old = await _register(client, world, "student", "shared-phone")
    await notify(session, [world.users["student"].id], NotificationCategory.MARKS, TEXTS)
    assert await _count(session, PushMessage) == 1

    new = await _register(client, world, "parent", "shared-phone")
    assert new != old
    owner = await session.scalar(select(Device.user_id).where(Device.token == "shared-phone"))
    assert owner == world.users["parent"].id
    # The pupil's queued push must not reach the parent's session on that phone.
    assert await _count(session, PushMessage) == 0


async def test_delete_my_device(client: httpx.AsyncClient, world: World) -> None:
    device_id = await _register(client, world, "teacher", "tok-teacher")
    url = f"/api/v1/me/devices/{device_id}"
    response = await client.delete(url, headers=world.auth("teacher"))
    assert response.status_code == 204
    assert response.content == b""
    assert (await client.delete(url, headers=world.auth("teacher"))).status_code == 404


async def test_another_users_device_is_not_found(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    device_id = await _register(client, world, "parent", "tok-parent")
    response = await client.delete(f"/api/v1/me/devices/{device_id}", headers=world.auth("student"))
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert await _count(session, Device, Device.token == "tok-parent") == 1


async def test_device_fields_are_checked(client: httpx.AsyncClient, world: World) -> None:
    for body in (
        _device("t", platform="windows"),
        _device("t", app="back_office"),
        _device("t", locale="de"),
        _device(""),
        _device("x" * 513),
    ):
        response = await client.post("/api/v1/me/devices", json=body, headers=world.auth("parent"))
        assert response.status_code == 422, body


# ---- the inbox ------------------------------------------------------------------------------


async def _inbox(
    client: httpx.AsyncClient, world: World, who: str, **params: Any
) -> dict[str, Any]:
    response = await client.get("/api/v1/me/notifications", params=params, headers=world.auth(who))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("who", ROLES)
async def test_every_role_has_an_inbox(
    client: httpx.AsyncClient, world: World, session: AsyncSession, who: str
) -> None:
    await notify(session, [world.users[who].id], NotificationCategory.ANNOUNCEMENTS, TEXTS)
    await session.commit()
    body = await _inbox(client, world, who)
    assert [item["title"] for item in body["items"]] == ["Absence"]
    assert body["unread"] == 1


async def test_pages_follow_the_cursor_newest_first(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    parent = world.users["parent"]
    # One transaction gives the same created_at to rows written together: the id breaks ties.
    await notify(session, [parent.id], NotificationCategory.MARKS, TEXTS, {"n": 1})
    await notify(session, [parent.id], NotificationCategory.MARKS, TEXTS, {"n": 2})
    await notify(session, [parent.id], NotificationCategory.MARKS, TEXTS, {"n": 3})
    now = datetime.now(UTC)
    session.add_all(
        Notification(
            user_id=parent.id,
            category=NotificationCategory.ABSENCES,
            title_ar="قديم",
            title_fr="Ancien",
            body_ar="-",
            body_fr="-",
            data={"old": days},
            created_at=now - timedelta(days=days),
        )
        for days in (1, 2)
    )
    await session.commit()

    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        body = await _inbox(
            client, world, "parent", limit=2, **({"cursor": cursor} if cursor else {})
        )
        assert len(body["items"]) <= 2
        assert body["unread"] == 5
        seen += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len({item["id"] for item in seen}) == 5
    keys = [(item["created_at"], item["id"]) for item in seen]
    assert keys == sorted(keys, reverse=True)
    assert [item["data"].get("old") for item in seen[-2:]] == [1, 2]


async def test_a_foreign_cursor_is_refused(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get(
        "/api/v1/me/notifications", params={"cursor": "bm90LWpzb24"}, headers=world.auth("parent")
    )
    assert response.status_code == 400
    schools_cursor = "eyJjb2RlIjoiMDAxMjNBIn0"
    response = await client.get(
        "/api/v1/me/notifications",
        params={"cursor": schools_cursor},
        headers=world.auth("parent"),
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("accept_language", "title"), [("ar", "غياب"), ("fr-MA", "Absence"), ("en", "Absence")]
)
async def test_texts_follow_the_request_language(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    accept_language: str,
    title: str,
) -> None:
    await notify(session, [world.users["parent"].id], NotificationCategory.ABSENCES, TEXTS)
    await session.commit()
    headers = world.auth("parent") | {"Accept-Language": accept_language}
    item = (await client.get("/api/v1/me/notifications", headers=headers)).json()["items"][0]
    assert item["title"] == title
    assert item["body"] == ("تغيب ابنكم" if accept_language == "ar" else "Votre enfant est absent")


async def test_mark_one_read(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    parent = world.users["parent"]
    await notify(session, [parent.id], NotificationCategory.MARKS, TEXTS)
    await notify(session, [parent.id], NotificationCategory.MARKS, TEXTS)
    await session.commit()
    first = (await _inbox(client, world, "parent"))["items"][0]

    url = f"/api/v1/me/notifications/{first['id']}/read"
    response = await client.post(url, headers=world.auth("parent"))
    assert response.status_code == 200
    read_at = response.json()["read_at"]
    assert read_at is not None
    assert (await _inbox(client, world, "parent"))["unread"] == 1
    # Reading it again keeps the first reading time.
    assert (await client.post(url, headers=world.auth("parent"))).json()["read_at"] == read_at


async def test_another_users_notification_is_not_found(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await notify(session, [world.users["parent"].id], NotificationCategory.MARKS, TEXTS)
    await session.commit()
    theirs = (await _inbox(client, world, "parent"))["items"][0]["id"]
    for target in (theirs, uuid.uuid4()):
        response = await client.post(
            f"/api/v1/me/notifications/{target}/read", headers=world.auth("student")
        )
        assert response.status_code == 404
        assert "Absence" not in response.text
    assert (await _inbox(client, world, "parent"))["unread"] == 1


async def test_read_all(client: httpx.AsyncClient, world: World, session: AsyncSession) -> None:
    parent, student = world.users["parent"], world.users["student"]
    for _ in range(3):
        await notify(session, [parent.id, student.id], NotificationCategory.MESSAGES, TEXTS)
    await session.commit()

    response = await client.post("/api/v1/me/notifications/read-all", headers=world.auth("parent"))
    assert response.status_code == 200
    assert response.json() == {"marked": 3}
    assert (await _inbox(client, world, "parent"))["unread"] == 0
    assert (await _inbox(client, world, "student"))["unread"] == 3
    again = await client.post("/api/v1/me/notifications/read-all", headers=world.auth("parent"))
    assert again.json() == {"marked": 0}


# ---- preferences ----------------------------------------------------------------------------


async def test_preferences_round_trip(client: httpx.AsyncClient, world: World) -> None:
    url = "/api/v1/me/notification-preferences"
    initial = (await client.get(url, headers=world.auth("parent"))).json()
    assert initial["items"] == [{"category": c.value, "push": True} for c in NotificationCategory]
    response = await client.put(
        url,
        json={
            "items": [{"category": "marks", "push": False}, {"category": "messages", "push": False}]
        },
        headers=world.auth("parent"),
    )
    assert response.status_code == 200
    expected = {c.value: True for c in NotificationCategory} | {"marks": False, "messages": False}
    as_dict = lambda body: {i["category"]: i["push"] for i in body["items"]}  # noqa: E731
    assert as_dict(response.json()) == expected
    assert as_dict((await client.get(url, headers=world.auth("parent"))).json()) == expected
    # Another account's preferences are its own.
    assert all(as_dict((await client.get(url, headers=world.auth("student"))).json()).values())

    await client.put(
        url, json={"items": [{"category": "marks", "push": True}]}, headers=world.auth("parent")
    )
    assert as_dict((await client.get(url, headers=world.auth("parent"))).json())["marks"] is True


@pytest.mark.parametrize(
    "items",
    [
        [],
        [{"category": "marks", "push": False}, {"category": "marks", "push": True}],
        [{"category": "homework", "push": False}],
    ],
)
async def test_preferences_are_checked(
    client: httpx.AsyncClient, world: World, items: list[dict[str, Any]]
) -> None:
    response = await client.put(
        "/api/v1/me/notification-preferences", json={"items": items}, headers=world.auth("parent")
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/me/devices"),
        ("DELETE", f"/api/v1/me/devices/{uuid.uuid4()}"),
        ("GET", "/api/v1/me/notifications"),
        ("POST", f"/api/v1/me/notifications/{uuid.uuid4()}/read"),
        ("POST", "/api/v1/me/notifications/read-all"),
        ("GET", "/api/v1/me/notification-preferences"),
        ("PUT", "/api/v1/me/notification-preferences"),
    ],
)
async def test_anonymous_gets_401(client: httpx.AsyncClient, method: str, path: str) -> None:
    response = await client.request(method, path, json={})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


# ---- notify and the outbox ------------------------------------------------------------------


async def test_notify_queues_a_push_per_device(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    parent, student = world.users["parent"], world.users["student"]
    await _register(client, world, "parent", "parent-phone")
    await _register(client, world, "parent", "parent-tablet")
    await _register(client, world, "student", "student-phone")
    await notify(
        session,
        [parent.id, parent.id, student.id, uuid.uuid4()],
        NotificationCategory.ABSENCES,
        TEXTS,
        {"pupil_id": uuid.UUID(int=7)},
    )
    assert await _count(session, Notification) == 2  # duplicates and unknown users skipped
    messages = (await session.execute(select(PushMessage))).scalars().all()
    assert len(messages) == 3
    assert {m.status for m in messages} == {PushStatus.PENDING}
    assert {m.attempts for m in messages} == {0}
    data = await session.scalar(select(Notification.data).where(Notification.user_id == parent.id))
    assert data == {"pupil_id": str(uuid.UUID(int=7))}


async def test_notify_respects_push_preferences(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    parent = world.users["parent"]
    await _register(client, world, "parent", "parent-phone")
    await client.put(
        "/api/v1/me/notification-preferences",
        json={"items": [{"category": "marks", "push": False}]},
        headers=world.auth("parent"),
    )
    await notify(session, [parent.id], NotificationCategory.MARKS, TEXTS)
    assert await _count(session, Notification, Notification.user_id == parent.id) == 1
    assert await _count(session, PushMessage) == 0

    await notify(session, [parent.id], NotificationCategory.ABSENCES, TEXTS)
    assert await _count(session, PushMessage) == 1


async def test_a_disabled_account_gets_no_push(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _register(client, world, "parent", "parent-phone")
    world.users["parent"].is_active = False
    await session.flush()
    await notify(session, [world.users["parent"].id], NotificationCategory.ABSENCES, TEXTS)
    assert await _count(session, Notification) == 1
    assert await _count(session, PushMessage) == 0


async def test_a_rolled_back_change_notifies_no_one(
    own_app: FastAPI, own_client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _register(own_client, world, "parent", "parent-phone")
    parent_id = world.users["parent"].id

    @own_app.post("/record-then-fail")
    async def record_then_fail(request_session: SessionDep) -> None:
        await notify(request_session, [parent_id], NotificationCategory.ABSENCES, TEXTS)
        await request_session.flush()
        raise RuntimeError("the change that caused the notification fails")

    assert (await own_client.post("/record-then-fail")).status_code == 500
    assert await _count(session, Notification) == 0
    assert await _count(session, PushMessage) == 0


async def test_notify_nobody_writes_nothing(session: AsyncSession) -> None:
    await notify(session, [], NotificationCategory.ABSENCES, TEXTS)
    assert await _count(session, Notification) == 0


def test_texts_must_fit_the_columns() -> None:
    with pytest.raises(ValueError, match="title_fr"):
        NotificationTexts(title_ar="ع", title_fr="", body_ar="ب", body_fr="b")
    with pytest.raises(ValueError, match="body_ar"):
        NotificationTexts(title_ar="ع", title_fr="t", body_ar="ب" * 2001, body_fr="b")
