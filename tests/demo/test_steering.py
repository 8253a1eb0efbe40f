"""The demo gives the two directorates of Rabat-Salé-Kénitra different steering figures."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.demo import world as demo
from app.demo.steering import SCHOOL_CODE
from tests.factories import access_token


async def _headers(session: AsyncSession, username: str) -> dict[str, str]:
    user = (await session.execute(select(User).where(User.username == username))).scalar_one()
    return {"Authorization": f"Bearer {await access_token(session, user)}"}


async def test_demo_directorates_differ(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await demo.seed_demo(session)
    academy = await _headers(session, "academy.demo@men.gov.ma")
    wahda = await _headers(session, "director.other@taalim.ma")
    await session.commit()

    units = (await client.get("/api/v1/steering/units", headers=academy)).json()["items"]
    by_code = {u["unit"]["code"]: u for u in units}
    rabat, sale = by_code["RSK-RABAT"], by_code["RSK-SALE"]
    assert sale["pupils"] == 26
    assert sale["teachers"] == 1
    assert sale["classes"] == 2
    assert sale["pending_justifications"] == 1
    assert sale["completion"]["published"] == 14
    assert sale["completion"]["late_tests"] == 1
    assert rabat["pupils"] != sale["pupils"]
    assert rabat["attendance_rate"] != sale["attendance_rate"]

    screen = (await client.get("/api/v1/school/grade-entry", headers=wahda)).json()
    late = [r for r in screen["items"] if r["teacher_late"]]
    assert [r["class_name"] for r in late] == ["4AP-1"]
    assert late[0]["teacher_name"] == "Hind Tazi"
    figures = (
        await client.get(f"/api/v1/steering/units/{sale['unit']['id']}", headers=academy)
    ).json()
    assert figures["pupils"]["by_cycle"] == {"primary": 26, "college": 0, "lycee": 0}
    assert [s["code"] for s in figures["completion_by_school"]] == [SCHOOL_CODE]
    assert {(a["level_code"], a["pupils"]) for a in figures["averages"]} == {("2AP", 14)}
