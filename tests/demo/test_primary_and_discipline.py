"""The demo shows Al Wahda's primary marks out of 10, and a sanction the parent can read."""

from __future__ import annotations

from decimal import Decimal

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil
from app.accounts.models import User
from app.demo import world as demo
from tests.factories import access_token


async def _headers(session: AsyncSession, username: str) -> dict[str, str]:
    user = (await session.execute(select(User).where(User.username == username))).scalar_one()
    return {"Authorization": f"Bearer {await access_token(session, user)}"}


async def test_the_demo_marks_primary_out_of_10_and_has_a_sanction(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await demo.seed_demo(session)
    wahda = await _headers(session, "teacher.wahda@taalim.ma")
    parent = await _headers(session, "parent.demo@taalim.ma")
    office = await _headers(session, "surveillance.demo@taalim.ma")
    child = await session.scalar(select(Pupil.id).where(Pupil.massar_code == "D130000001"))
    await session.commit()

    tests = (await client.get("/api/v1/teacher/tests", headers=wahda)).json()
    assert tests
    assert {t["max_mark"] for t in tests} == {10}
    for test in tests:
        marks = await client.get(f"/api/v1/teacher/tests/{test['id']}/marks", headers=wahda)
        assert all(Decimal(m["mark"]) <= 10 for m in marks.json()["marks"] if m["mark"])

    sanctions = await client.get(f"/api/v1/parent/children/{child}/sanctions", headers=parent)
    assert [(s["kind"], s["decided_by"]) for s in sanctions.json()] == [
        ("formal_warning", "director")
    ]
    incidents = (await client.get("/api/v1/school/incidents", headers=office)).json()
    assert len(incidents["items"]) == 1
