"""The discipline office's view of absences: lists, totals and the threshold."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from app.academics.calendar import school_today
from tests.factories import TeachingWorld


async def _roll_call(
    client: httpx.AsyncClient, t: TeachingWorld, days_ago: int, statuses: list[str]
) -> None:
    pupils = t.pupils["c1"]
    body = {
        "date": (school_today() - timedelta(days=days_ago)).isoformat(),
        "start_time": "08:30",
        "subject_id": str(t.subjects["MATH"].id),
        "marks": [
            {"pupil_id": str(p.id), "status": s, **({"minutes_late": 5} if s == "late" else {})}
            for p, s in zip(pupils, statuses, strict=False)
        ],
    }
    response = await client.put(
        f"/api/v1/teacher/classes/{t.classes['c1'].id}/attendance",
        json=body,
        headers=t.auth("teacher"),
    )
    assert response.status_code == 200


@pytest.fixture
async def absences(client: httpx.AsyncClient, teaching: TeachingWorld) -> TeachingWorld:
    # Pupil 0: absent 3 times; pupil 1: absent once and late once; pupil 2: late once.
    await _roll_call(client, teaching, 0, ["absent", "absent", "late"])
    await _roll_call(client, teaching, 1, ["absent", "late", "present"])
    await _roll_call(client, teaching, 2, ["absent", "present", "present"])
    return teaching


async def test_totals_are_counted_and_flagged(
    client: httpx.AsyncClient, absences: TeachingWorld
) -> None:
    response = await client.get(
        "/api/v1/school/absences/totals",
        params={"threshold": 2},
        headers=absences.auth("school_staff"),
    )
    totals = {t["massar_code"]: t for t in response.json()}
    p0, p1, p2 = (absences.pupils["c1"][i].massar_code for i in range(3))
    assert (totals[p0]["absences"], totals[p0]["lateness"], totals[p0]["above_threshold"]) == (
        3,
        0,
        True,
    )
    assert (totals[p1]["absences"], totals[p1]["lateness"], totals[p1]["above_threshold"]) == (
        1,
        1,
        False,
    )
    assert (totals[p2]["absences"], totals[p2]["lateness"]) == (0, 1)
    above = await client.get(
        "/api/v1/school/absences/totals",
        params={"threshold": 2, "only_above": True},
        headers=absences.auth("school_staff"),
    )
    assert [t["massar_code"] for t in above.json()] == [p0]


async def test_list_filters_and_pages(client: httpx.AsyncClient, absences: TeachingWorld) -> None:
    headers = absences.auth("school_staff")
    everything = (
        await client.get("/api/v1/school/absences", params={"limit": 200}, headers=headers)
    ).json()["items"]
    assert len(everything) == 6
    today = school_today().isoformat()
    one_day = (
        await client.get("/api/v1/school/absences", params={"date": today}, headers=headers)
    ).json()["items"]
    assert {a["status"] for a in one_day} == {"absent", "late"}
    assert len(one_day) == 3
    pupil = absences.pupils["c1"][0]
    mine = (
        await client.get(
            "/api/v1/school/absences", params={"pupil_id": str(pupil.id)}, headers=headers
        )
    ).json()
    assert len(mine["items"]) == 3
    seen, cursor = [], None
    while True:
        params = {"limit": 4} | ({"cursor": cursor} if cursor else {})
        body = (await client.get("/api/v1/school/absences", params=params, headers=headers)).json()
        seen += [a["id"] for a in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(a["id"] for a in everything)


async def test_another_school_sees_nothing(
    client: httpx.AsyncClient, absences: TeachingWorld
) -> None:
    headers = absences.auth("other_school_staff")
    assert (await client.get("/api/v1/school/absences", headers=headers)).json()["items"] == []
    assert (await client.get("/api/v1/school/absences/totals", headers=headers)).json() == []


@pytest.mark.parametrize("who", ["teacher", "parent", "student", "province_staff"])
async def test_other_roles_get_403(
    client: httpx.AsyncClient, absences: TeachingWorld, who: str
) -> None:
    assert (
        await client.get("/api/v1/school/absences", headers=absences.auth(who))
    ).status_code == 403
    assert (
        await client.get("/api/v1/school/absences/totals", headers=absences.auth(who))
    ).status_code == 403
