"""The demo's diagnostic test: teacher.demo's results for 1AC-1 and a remedial group that the
demo pupil and her parent can see."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.demo import world as demo
from tests.factories import access_token


async def _headers(session: AsyncSession, username: str) -> dict[str, str]:
    user = (await session.execute(select(User).where(User.username == username))).scalar_one()
    return {"Authorization": f"Bearer {await access_token(session, user)}"}


async def test_demo_pupil_is_in_a_remedial_group(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await demo.seed_demo(session)
    pupil = await _headers(session, "d130000001@taalim.ma")
    teacher = await _headers(session, "teacher.demo@taalim.ma")
    central = await _headers(session, "central.demo@men.gov.ma")
    await session.commit()

    mine = (await client.get("/api/v1/student/diagnostics", headers=pupil)).json()
    [test] = mine["tests"]
    assert [c["label_fr"] for c in test["competencies"]] == [
        "Nombres décimaux",
        "Fractions",
        "Proportionnalité",
        "Géométrie plane",
    ]
    [group] = mine["groups"]
    assert group["competency_label_fr"] == "Fractions"
    assert len(group["upcoming_sessions"]) == 2

    tests = (await client.get("/api/v1/teacher/diagnostics/tests", headers=teacher)).json()
    assert {t["kind"] for t in tests["items"]} == {"diagnostic", "post_test"}
    figures = (await client.get("/api/v1/steering/overview", headers=central)).json()
    assert figures["modules"]["diagnostics"]["pupils_assessed"] > 20
    assert figures["modules"]["diagnostics"]["pupils_in_remedial_groups"] >= 1
