"""School sport at the school: the association, licences (bulk, replayable) and teams."""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import Gender
from app.modules.sports.association import category_for, medical_valid_until
from tests.factories import FamilyWorld
from tests.modules.sports.helpers import (
    ASSOCIATION,
    LICENCES,
    TEAMS,
    found_association,
    license_pupils,
    make_team,
    previous_year_certificate,
)


@pytest.fixture
async def boys(session: AsyncSession, family: FamilyWorld) -> FamilyWorld:
    """The c1 pupils are boys (the factories alternate genders)."""
    for pupil in family.teaching.pupils["c1"]:
        pupil.gender = Gender.MALE
    await session.commit()
    return family


def test_category_and_medical_rules() -> None:
    # Season 2026/2027: the age reached in 2027 decides.
    assert category_for(date(2013, 12, 31), 2026) == "minimes"  # 14
    assert category_for(date(2012, 1, 1), 2026) == "cadets"  # 15
    assert category_for(date(2011, 6, 1), 2026) == "cadets"  # 16
    assert category_for(date(2010, 6, 1), 2026) == "juniors"  # 17
    # A year the ministry started on 1 October, as in 2021-22.
    start = date(2026, 10, 1)
    assert medical_valid_until(date(2026, 10, 10), start) == date(2027, 10, 9)
    assert medical_valid_until(date(2026, 9, 30), start) is None  # before the school year
    assert medical_valid_until(None, start) is None


async def test_association_licences_and_team(client: httpx.AsyncClient, boys: FamilyWorld) -> None:
    staff = boys.auth("school_staff")
    world = boys.teaching.world
    assert (await client.get(ASSOCIATION, headers=staff)).status_code == 404
    saved = await client.put(
        ASSOCIATION,
        json={
            "name": "AS Test",
            "founded_on": "2010-10-01",
            "coordinator_id": str(world.users["teacher"].id),
            "discipline_codes": ["FOOT", "ATHLE"],
        },
        headers=staff,
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["president_id"] == str(world.users["school_staff"].id)
    assert [d["code"] for d in saved.json()["disciplines"]] == ["ATHLE", "FOOT"]

    pupils = boys.teaching.pupils["c1"]
    today = school_today()
    rows = [(pupils[0], today), (pupils[1], None), (pupils[2], previous_year_certificate())]
    body = {
        "licences": [
            {
                "pupil_id": str(p.id),
                "discipline_codes": ["FOOT"],
                "medical_certificate_on": on.isoformat() if on else None,
            }
            for p, on in rows
        ]
    }
    first = await client.post(LICENCES, json=body, headers=staff)
    assert first.status_code == 200, first.text
    assert (first.json()["created"], first.json()["updated"]) == (3, 0)
    licences = {lic["pupil"]["id"]: lic for lic in first.json()["licences"]}
    mine = licences[str(pupils[0].id)]
    year = mine["school_year"]
    assert re.fullmatch(rf"{year}-{world.schools['a1'].code}-\d{{4}}", mine["number"])
    assert mine["category"] == category_for(pupils[0].birth_date, year)
    assert mine["medically_fit"] is True
    assert (
        mine["medical_valid_until"]
        == (today.replace(year=today.year + 1) - timedelta(days=1)).isoformat()
    )
    assert licences[str(pupils[1].id)]["medically_fit"] is False
    assert licences[str(pupils[2].id)]["medically_fit"] is False

    replay = await client.post(LICENCES, json=body, headers=staff)
    assert (replay.json()["created"], replay.json()["updated"], replay.json()["unchanged"]) == (
        0,
        0,
        3,
    )
    assert {lic["number"] for lic in replay.json()["licences"]} == {
        lic["number"] for lic in licences.values()
    }
    body["licences"][1]["medical_certificate_on"] = today.isoformat()
    body["licences"][1]["discipline_codes"] = ["FOOT", "ATHLE"]
    changed = await client.post(LICENCES, json=body, headers=staff)
    assert (changed.json()["created"], changed.json()["updated"]) == (0, 1)

    # Filters and keyset pages.
    athletes = await client.get(LICENCES, params={"discipline_code": "ATHLE"}, headers=staff)
    assert [lic["pupil"]["id"] for lic in athletes.json()["items"]] == [str(pupils[1].id)]
    assert athletes.json()["items"][0]["discipline_codes"] == ["ATHLE", "FOOT"]
    girls = await client.get(LICENCES, params={"gender": "F"}, headers=staff)
    assert girls.json()["items"] == []
    seen, cursor = [], None
    while True:
        page = await client.get(
            LICENCES, params={"limit": 2, **({"cursor": cursor} if cursor else {})}, headers=staff
        )
        seen += [lic["number"] for lic in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(lic["number"] for lic in licences.values())
    one = await client.get(f"{LICENCES}/{mine['id']}", headers=staff)
    assert one.json()["number"] == mine["number"]

    team = await make_team(
        client, staff, [mine, licences[str(pupils[1].id)]], gender="M", category="juniors"
    )
    assert team["members"] == 2
    assert {m["pupil"]["id"] for m in team["pupils"]} == {str(pupils[0].id), str(pupils[1].id)}
    listed = await client.get(TEAMS, params={"discipline_code": "FOOT"}, headers=staff)
    assert [t["id"] for t in listed.json()["items"]] == [team["id"]]
    again = await client.post(
        TEAMS,
        json={"name": "Bis", "discipline_code": "FOOT", "category": "juniors", "gender": "M"},
        headers=staff,
    )
    assert again.status_code == 409


async def test_licence_rows_are_checked_all_or_nothing(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    staff = family.auth("school_staff")
    pupil = family.teaching.pupils["c1"][0]
    before = await client.post(
        LICENCES,
        json={"licences": [{"pupil_id": str(pupil.id), "discipline_codes": ["FOOT"]}]},
        headers=staff,
    )
    assert before.status_code == 409  # no association yet
    await found_association(client, staff, ("FOOT",))
    response = await client.post(
        LICENCES,
        json={
            "licences": [
                {"pupil_id": str(pupil.id), "discipline_codes": ["FOOT"]},
                {"pupil_id": str(family.stranger.id), "discipline_codes": ["HAND"]},
                {"pupil_id": str(pupil.id), "discipline_codes": ["FOOT"]},
                {
                    "pupil_id": str(family.teaching.pupils["c3"][0].id),  # school c
                    "discipline_codes": ["FOOT"],
                    "medical_certificate_on": (school_today() + timedelta(days=1)).isoformat(),
                },
            ]
        },
        headers=staff,
    )
    assert response.status_code == 422
    fields = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert fields == {
        ("body.licences.1.discipline_codes.0", "unknown_discipline"),
        ("body.licences.2.pupil_id", "duplicate"),
        ("body.licences.3.pupil_id", "unknown_pupil"),
        ("body.licences.3.medical_certificate_on", "future_date"),
    }
    listed = await client.get(LICENCES, headers=staff)
    assert listed.json()["items"] == []
    bad_shape = await client.post(LICENCES, json={"licences": [], "x": 1}, headers=staff)
    assert bad_shape.status_code == 422


async def test_association_checks_its_coordinator(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    world = family.teaching.world
    response = await client.put(
        ASSOCIATION,
        json={
            "name": "AS Test",
            "founded_on": "2010-10-01",
            "coordinator_id": str(world.users["teacher_other"].id),  # school c
            "discipline_codes": ["FOOT", "NOPE"],
        },
        headers=family.auth("school_staff"),
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {
        "body.discipline_codes.1",
        "body.coordinator_id",
    }
    response = await client.put(
        ASSOCIATION,
        json={
            "name": "AS Test",
            "founded_on": "2010-10-01",
            "coordinator_id": str(world.users["teacher_other"].id),
            "discipline_codes": ["FOOT"],
        },
        headers=family.auth("school_staff"),
    )
    assert response.json()["errors"][0]["field"] == "body.coordinator_id"


async def test_team_members_must_fit_the_team(
    client: httpx.AsyncClient, boys: FamilyWorld, session: AsyncSession
) -> None:
    staff = boys.auth("school_staff")
    await found_association(client, staff)
    girl = boys.teaching.pupils["c2"][0]
    girl.gender = Gender.FEMALE
    await session.commit()
    boy = boys.teaching.pupils["c1"][0]
    footballer, girl_licence = await license_pupils(
        client, staff, [(boy, school_today()), (girl, school_today())]
    )
    (athlete,) = await license_pupils(
        client, staff, [(boys.teaching.pupils["c1"][1], None)], codes=("ATHLE",)
    )
    created = await client.post(
        TEAMS,
        json={"name": "Minimes", "discipline_code": "FOOT", "category": "minimes", "gender": "M"},
        headers=staff,
    )
    team_id = created.json()["id"]
    response = await client.put(
        f"{TEAMS}/{team_id}/members",
        json={"licence_ids": [footballer["id"], girl_licence["id"], athlete["id"]]},
        headers=staff,
    )
    assert response.status_code == 422
    codes = {e["field"]: e["code"] for e in response.json()["errors"]}
    expected_first = None if footballer["category"] == "minimes" else "wrong_category"
    assert codes.get("body.licence_ids.0") == expected_first
    assert codes["body.licence_ids.1"] == "wrong_gender"
    assert codes["body.licence_ids.2"] == "discipline_not_licensed"
    unknown = await client.post(
        TEAMS,
        json={"name": "Hand", "discipline_code": "HAND", "category": "minimes", "gender": "M"},
        headers=staff,
    )
    assert unknown.status_code == 422


async def test_other_schools_see_nothing(client: httpx.AsyncClient, boys: FamilyWorld) -> None:
    staff = boys.auth("school_staff")
    await found_association(client, staff)
    (licence,) = await license_pupils(client, staff, [(boys.child, school_today())])
    team = await make_team(client, staff, [licence], gender="M", category="juniors")
    other = boys.auth("other_school_staff")
    for path in (f"{LICENCES}/{licence['id']}", f"{TEAMS}/{team['id']}", ASSOCIATION):
        response = await client.get(path, headers=other)
        assert response.status_code == 404, path
        assert "number" not in response.text
    assert (await client.get(LICENCES, headers=other)).json()["items"] == []
    stolen = await client.put(
        f"{TEAMS}/{team['id']}/members", json={"licence_ids": []}, headers=other
    )
    assert stolen.status_code == 404


@pytest.mark.parametrize(
    "who", ["teacher", "student", "parent", "province_staff", "academy_staff", "central_staff"]
)
async def test_school_face_is_for_school_staff(
    client: httpx.AsyncClient, family: FamilyWorld, who: str
) -> None:
    for path in (LICENCES, TEAMS, ASSOCIATION, "/api/v1/school/sports/entries"):
        assert (await client.get(path, headers=family.auth(who))).status_code == 403


async def test_the_coordinator_composes_teams(client: httpx.AsyncClient, boys: FamilyWorld) -> None:
    world = boys.teaching.world
    teacher = boys.auth("teacher")
    assert (await client.get("/api/v1/teacher/sports/licences", headers=teacher)).status_code == 403
    await client.put(
        ASSOCIATION,
        json={
            "name": "AS Test",
            "founded_on": "2010-10-01",
            "coordinator_id": str(world.users["teacher"].id),
            "discipline_codes": ["FOOT"],
        },
        headers=boys.auth("school_staff"),
    )
    (licence,) = await license_pupils(
        client, boys.auth("school_staff"), [(boys.child, school_today())]
    )
    listed = await client.get("/api/v1/teacher/sports/licences", headers=teacher)
    assert [lic["id"] for lic in listed.json()["items"]] == [licence["id"]]
    team = await client.post(
        "/api/v1/teacher/sports/teams",
        json={"name": "Cadets", "discipline_code": "FOOT", "category": "juniors", "gender": "M"},
        headers=teacher,
    )
    assert team.status_code == 201, team.text
    composed = await client.put(
        f"/api/v1/teacher/sports/teams/{team.json()['id']}/members",
        json={"licence_ids": [licence["id"]]},
        headers=teacher,
    )
    assert composed.json()["members"] == 1
    for other in ("teacher_fr", "teacher_other"):
        response = await client.get("/api/v1/teacher/sports/teams", headers=boys.auth(other))
        assert response.status_code == 403, other
    assert (
        await client.get("/api/v1/teacher/sports/teams", headers=boys.auth("school_staff"))
    ).status_code == 403
