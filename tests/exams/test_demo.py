"""The demo's exams: published sessions at every level, and J130000001 admitted at the resit."""

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


async def test_the_demo_bac_pupil_passes_at_the_resit(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await demo.seed_demo(session)
    pupil = await _headers(session, "j130000001@taalim.ma")
    province = await _headers(session, "province.demo@men.gov.ma")
    academy = await _headers(session, "academy.demo@men.gov.ma")
    director = await _headers(session, "director.demo@taalim.ma")

    exams = (await client.get("/api/v1/student/exams", headers=pupil)).json()
    assert [(e["round"], e["decision"]) for e in exams] == [
        ("resit", "admitted"),
        ("normal", "resit"),
    ]
    assert (exams[0]["average"], exams[0]["mention_fr"]) == ("10.17", "Passable")
    history = (await client.get("/api/v1/student/history", headers=pupil)).json()
    assert history[0]["decision"] == "admitted"

    provincial = (await client.get("/api/v1/steering/exams", headers=province)).json()["items"]
    # The directorate also reads its schools' local exams; it organises the 6AP one.
    organised = [s for s in provincial if s["kind"] == "provincial"]
    assert [(s["level_code"], s["state"]) for s in organised] == [("6AP", "published")]
    regional = (await client.get("/api/v1/steering/exams", headers=academy)).json()["items"]
    assert ("3AC", "published") in {(s["level_code"], s["state"]) for s in regional}
    local = (await client.get("/api/v1/school/exams", headers=director)).json()["items"]
    assert [(s["level_code"], s["state"]) for s in local] == [("1AC", "marking")]

    # J130000001's appeal on the normal session's French paper waits for the ministry.
    ministry = await _headers(session, "central.demo@men.gov.ma")
    normal = exams[1]["session_id"]
    appeals = (
        await client.get(f"/api/v1/steering/exams/{normal}/appeals", headers=ministry)
    ).json()
    assert [(a["status"], a["old_mark"]) for a in appeals] == [("filed", "8.00")]

    # The demo's candidat libre reads their results with their number and birth date.
    libres = (await client.get("/api/v1/steering/independent-candidates", headers=academy)).json()
    assert [(c["last_name"], c["birth_date"]) for c in libres] == [("Benali", "2000-05-20")]
    who = {"candidate_number": libres[0]["candidate_number"], "birth_date": "2000-05-20"}
    response = await client.post("/api/v1/public/exam-candidates/results", json=who)
    assert response.status_code == 200, response.text
    results = response.json()
    assert [(r["round"], r["average"], r["decision"]) for r in results] == [
        ("normal", "10.25", "admitted")
    ]
