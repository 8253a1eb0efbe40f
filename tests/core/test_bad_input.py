"""Bad input gets a clear 422, never a 500: control characters in any text (query, path, JSON,
form), and values the database cannot hold. Nothing is written."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.family.models import PupilContact
from tests.factories import FamilyWorld, World


def _fields(answer: httpx.Response) -> list[str]:
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    return [error["field"] for error in answer.json()["errors"]]


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
async def test_a_control_character_in_a_json_field_is_422_and_nothing_is_written(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, bad: str
) -> None:
    answer = await client.patch(
        "/api/v1/student/contact",
        json={"recovery_email": f"a{bad}b@example.ma", "operator": "iam"},
        headers=family.auth("student"),
    )
    assert _fields(answer) == ["body.recovery_email"]
    assert await session.scalar(select(func.count()).select_from(PupilContact)) == 0


async def test_tab_and_newlines_are_text(client: httpx.AsyncClient, family: FamilyWorld) -> None:
    answer = await client.patch(
        "/api/v1/student/contact", json={"operator": "iam"}, headers=family.auth("student")
    )
    assert answer.status_code == 200, answer.text
    recipients = await client.get(
        f"/api/v1/parent/children/{family.child.id}/recipients", headers=family.auth("parent")
    )
    sent = await client.post(
        "/api/v1/parent/messages",
        json={
            "child_id": str(family.child.id),
            "recipient_id": recipients.json()[0]["id"],
            "subject": "Absence",
            "body": "Bonjour,\n\tmon fils sera absent.\r\nMerci",
        },
        headers=family.auth("parent"),
    )
    assert sent.status_code == 201, sent.text


async def test_a_control_character_in_a_query_or_path_is_422(
    client: httpx.AsyncClient, world: World
) -> None:
    staff = world.auth("school_staff")
    query = await client.get("/api/v1/school/audit", params={"entity": "marks\x00"}, headers=staff)
    assert _fields(query) == ["query.entity"]
    path = await client.get("/api/v1/public/schools/12345%00X")
    assert _fields(path) == ["path.school_code"]


async def test_a_control_character_in_a_form_field_is_422(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/api/v1/auth/token",
        data={"username": "someone\x00@taalim.ma", "password": "x", "grant_type": "password"},
    )
    assert _fields(answer) == ["body.username"]


async def test_a_number_beyond_its_column_is_422_not_500(
    client: httpx.AsyncClient, world: World
) -> None:
    answer = await client.get(
        "/api/v1/steering/sports/competitions",
        params={"school_year": -29433112677},
        headers=world.auth("central_staff"),
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
