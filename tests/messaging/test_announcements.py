"""Announcements: written by a school, read and notified by audience."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.messaging.models import Notification
from tests.factories import FamilyWorld


async def _publish(
    client: httpx.AsyncClient, family: FamilyWorld, **body: object
) -> httpx.Response:
    payload = {"title": "Réunion des parents", "body": "Samedi à 10 h, salle polyvalente."} | body
    return await client.post(
        "/api/v1/school/announcements", json=payload, headers=family.auth("school_staff")
    )


async def _titles(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> list[str]:
    response = await client.get(url, headers=headers)
    assert response.status_code == 200
    return [a["title"] for a in response.json()]


async def test_each_audience_reaches_whom_it_should(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    t = family.teaching
    assert (await _publish(client, family, audience="school", title="École")).status_code == 201
    await _publish(client, family, audience="level", level_code="2AC", title="Niveau 2AC")
    await _publish(
        client, family, audience="class", class_id=str(t.classes["c1"].id), title="Classe c1"
    )
    await _publish(client, family, audience="parents", title="Parents")

    pupil = await _titles(client, "/api/v1/student/announcements", family.auth("student"))
    assert set(pupil) == {"École", "Classe c1"}
    as_parent = f"/api/v1/parent/children/{family.child.id}/announcements"
    assert set(await _titles(client, as_parent, family.auth("parent"))) == {
        "École",
        "Classe c1",
        "Parents",
    }
    sibling = f"/api/v1/parent/children/{family.sibling.id}/announcements"
    assert set(await _titles(client, sibling, family.auth("parent"))) == {
        "École",
        "Niveau 2AC",
        "Parents",
    }


async def test_publishing_notifies_the_audience(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    users = family.teaching.world.users
    await _publish(client, family, audience="parents")
    notified = set(
        await session.scalars(
            select(Notification.user_id).where(Notification.category == "announcements")
        )
    )
    assert notified == {users["parent"].id}


@pytest.mark.parametrize(
    "body",
    [{"audience": "level"}, {"audience": "class"}, {"audience": "school", "level_code": "1AC"}],
)
async def test_target_must_match_audience(
    client: httpx.AsyncClient, family: FamilyWorld, body: dict[str, str]
) -> None:
    assert (await _publish(client, family, **body)).status_code == 422


async def test_a_class_of_another_school_is_422(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    other = family.teaching.classes["c3"]
    assert (
        await _publish(client, family, audience="class", class_id=str(other.id))
    ).status_code == 422


async def test_another_schools_announcements_are_not_shown(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    await client.post(
        "/api/v1/school/announcements",
        json={"audience": "school", "title": "Ailleurs", "body": "…"},
        headers=family.auth("other_school_staff"),
    )
    assert "Ailleurs" not in await _titles(
        client, "/api/v1/student/announcements", family.auth("student")
    )
    assert "Ailleurs" not in await _titles(
        client, "/api/v1/school/announcements", family.auth("school_staff")
    )


@pytest.mark.parametrize("who", ["teacher", "parent", "student", "province_staff"])
async def test_only_school_staff_publish(
    client: httpx.AsyncClient, family: FamilyWorld, who: str
) -> None:
    response = await client.post(
        "/api/v1/school/announcements",
        json={"audience": "school", "title": "x", "body": "y"},
        headers=family.auth(who),
    )
    assert response.status_code == 403
