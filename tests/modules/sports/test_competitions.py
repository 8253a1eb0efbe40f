"""School-sport competitions: a directorate's championship from entries to standings, the
medical-certificate rule, scopes and roles, and what pupils, parents and steering see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import Gender
from app.core.roles import Role
from app.organisation.models import Province
from tests.factories import FamilyWorld, access_token, create_class, create_pupil, create_user
from tests.modules.sports.helpers import (
    found_association,
    license_pupils,
    make_team,
    previous_year_certificate,
)

STEERING = "/api/v1/steering/sports"
SCHOOL = "/api/v1/school/sports"


@dataclass
class League:
    family: FamilyWorld
    competition: dict[str, Any]
    team_a: dict[str, Any]  # school a1: the family's child and a classmate
    team_b: dict[str, Any]  # school a2, same directorate
    a2: dict[str, str]  # the a2 director's headers

    def auth(self, who: str) -> dict[str, str]:
        return self.family.auth(who)


@pytest.fixture
async def league(client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld) -> League:
    """A directorate competition (football, juniors, boys) and a team in each of two schools
    of the directorate, every pupil licensed with a certificate of today."""
    world = family.teaching.world
    boys = family.teaching.pupils["c1"][:2]
    for pupil in boys:
        pupil.gender = Gender.MALE
    a2 = world.schools["a2"]
    director = await create_user(session, Role.SCHOOL_STAFF, school=a2)
    others = [await create_pupil(session, await create_class(session, a2)) for _ in range(2)]
    for pupil in others:
        pupil.gender = Gender.MALE
    await session.commit()
    a2_auth = {"Authorization": f"Bearer {await access_token(session, director)}"}
    await session.commit()
    today = school_today()
    teams = []
    for headers, pupils in ((family.auth("school_staff"), boys), (a2_auth, others)):
        await found_association(client, headers)
        licences = await license_pupils(client, headers, [(p, today) for p in pupils])
        teams.append(await make_team(client, headers, licences, gender="M", category="juniors"))
    created = await client.post(
        f"{STEERING}/competitions",
        json={
            "name": "Championnat provincial de football",
            "discipline_code": "FOOT",
            "category": "juniors",
            "gender": "M",
            "starts_on": (today - timedelta(days=20)).isoformat(),
            "ends_on": (today + timedelta(days=60)).isoformat(),
        },
        headers=family.auth("province_staff"),
    )
    assert created.status_code == 201, created.text
    return League(family, created.json(), teams[0], teams[1], a2_auth)


async def _enter(
    client: httpx.AsyncClient, league: League, team: dict[str, Any], headers: dict[str, str]
) -> httpx.Response:
    return await client.post(
        f"{SCHOOL}/competitions/{league.competition['id']}/entries",
        json={"team_id": team["id"]},
        headers=headers,
    )


async def _fixture(
    client: httpx.AsyncClient, league: League, home: str, away: str, when: datetime
) -> httpx.Response:
    return await client.post(
        f"{STEERING}/competitions/{league.competition['id']}/fixtures",
        json={
            "home_entry_id": home,
            "away_entry_id": away,
            "scheduled_at": when.isoformat(),
            "place": "Stade municipal",
            "round": "Journée 1",
        },
        headers=league.auth("province_staff"),
    )


async def test_championship_from_entries_to_standings(
    client: httpx.AsyncClient, league: League
) -> None:
    province = league.auth("province_staff")
    competition_id = league.competition["id"]
    assert league.competition["owner_level"] == "province"
    assert league.competition["actions"] == ["close_entries", "cancel"]
    offered = await client.get(f"{SCHOOL}/competitions", headers=league.auth("school_staff"))
    assert [c["id"] for c in offered.json()["items"]] == [competition_id]
    assert offered.json()["items"][0]["actions"] == []

    entry_a = await _enter(client, league, league.team_a, league.auth("school_staff"))
    assert entry_a.status_code == 201, entry_a.text
    assert entry_a.json()["actions"] == ["withdraw"]
    again = await _enter(client, league, league.team_a, league.auth("school_staff"))
    assert again.status_code == 409
    entry_b = await _enter(client, league, league.team_b, league.a2)
    assert entry_b.status_code == 201
    home, away = entry_a.json()["id"], entry_b.json()["id"]

    entries = await client.get(
        f"{STEERING}/competitions/{competition_id}/entries", headers=province
    )
    # (created in one test transaction: now() is the same for both)
    assert {e["id"] for e in entries.json()["items"]} == {home, away}
    assert entries.json()["items"][0]["actions"] == ["accept", "refuse"]
    for entry_id in (home, away):
        accepted = await client.post(f"{STEERING}/entries/{entry_id}/accept", headers=province)
        assert accepted.json()["status"] == "accepted", accepted.text
    now = datetime.now(UTC)
    early = await _fixture(client, league, home, away, now - timedelta(days=2))
    assert early.status_code == 409, early.text
    assert early.json()["type"].endswith("competition-not-running")

    closed = await client.post(
        f"{STEERING}/competitions/{competition_id}/close_entries", headers=province
    )
    assert closed.json()["status"] == "running"
    twice = await client.post(
        f"{STEERING}/competitions/{competition_id}/close_entries", headers=province
    )
    assert twice.status_code == 409
    assert twice.json()["type"].endswith("workflow-not-allowed")
    late = await _enter(client, league, league.team_a, league.auth("school_staff"))
    assert late.status_code == 409

    first = await _fixture(client, league, home, away, now - timedelta(days=2))
    second = await _fixture(client, league, away, home, now - timedelta(days=1))
    upcoming = await _fixture(client, league, home, away, now + timedelta(days=5))
    assert upcoming.status_code == 201, upcoming.text
    outside = await _fixture(client, league, home, away, now + timedelta(days=90))
    assert outside.json()["errors"][0]["field"] == "body.scheduled_at"
    for fixture, (h, a) in ((first, (3, 1)), (second, (2, 2))):
        scored = await client.put(
            f"{STEERING}/fixtures/{fixture.json()['id']}/result",
            json={"home_score": h, "away_score": a},
            headers=province,
        )
        assert scored.json()["played"] is True, scored.text
    not_yet = await client.put(
        f"{STEERING}/fixtures/{upcoming.json()['id']}/result",
        json={"home_score": 1, "away_score": 0},
        headers=province,
    )
    assert not_yet.status_code == 409

    table = await client.get(
        f"{STEERING}/competitions/{competition_id}/standings", headers=province
    )
    lines = [
        {k: row[k] for k in ("rank", "entry_id", "played", "won", "drawn", "lost")}
        | {k: row[k] for k in ("goals_for", "goals_against", "goal_difference", "points")}
        for row in table.json()
    ]
    assert lines == [
        {
            "rank": 1,
            "entry_id": home,
            "played": 2,
            "won": 1,
            "drawn": 1,
            "lost": 0,
            "goals_for": 5,
            "goals_against": 3,
            "goal_difference": 2,
            "points": 4,
        },
        {
            "rank": 2,
            "entry_id": away,
            "played": 2,
            "won": 0,
            "drawn": 1,
            "lost": 1,
            "goals_for": 3,
            "goals_against": 5,
            "goal_difference": -2,
            "points": 1,
        },
    ]
    school_table = await client.get(
        f"{SCHOOL}/competitions/{competition_id}/standings", headers=league.auth("school_staff")
    )
    assert school_table.json() == table.json()
    played = await client.get(
        f"{SCHOOL}/competitions/{competition_id}/fixtures",
        params={"played": "true", "limit": 1},
        headers=league.auth("school_staff"),
    )
    assert [f["id"] for f in played.json()["items"]] == [first.json()["id"]]
    assert played.json()["next_cursor"] is not None

    # The pupils of both teams were told of each fixture.
    inbox = await client.get("/api/v1/me/notifications", headers=league.auth("student"))
    sports = [n for n in inbox.json()["items"] if n["category"] == "sports"]
    assert len(sports) == 3
    assert sports[0]["data"]["competition_id"] == competition_id

    await _pupil_and_parent_views(client, league, upcoming.json()["id"])
    await _steering_figure(client, league)


async def _pupil_and_parent_views(
    client: httpx.AsyncClient, league: League, upcoming_id: str
) -> None:
    family = league.family
    mine = await client.get("/api/v1/student/sports", headers=league.auth("student"))
    assert mine.status_code == 200, mine.text
    assert [lic["pupil"]["id"] for lic in mine.json()["licences"]] == [str(family.child.id)]
    assert [t["id"] for t in mine.json()["teams"]] == [league.team_a["id"]]
    assert [f["id"] for f in mine.json()["upcoming_fixtures"]] == [upcoming_id]
    unchanged = await client.get(
        "/api/v1/student/sports",
        headers={**league.auth("student"), "If-None-Match": mine.headers["ETag"]},
    )
    assert unchanged.status_code == 304
    child = await client.get(
        f"/api/v1/parent/children/{family.child.id}/sports", headers=league.auth("parent")
    )
    assert child.json() == mine.json()
    for other in (family.unverified, family.stranger):
        response = await client.get(
            f"/api/v1/parent/children/{other.id}/sports", headers=league.auth("parent")
        )
        assert response.status_code == 404
        assert "licences" not in response.text


async def _steering_figure(client: httpx.AsyncClient, league: League) -> None:
    overview = await client.get("/api/v1/steering/overview", headers=league.auth("province_staff"))
    assert overview.json()["modules"]["sports"] == {
        "licences": 4,
        "licences_by_gender": {"male": 4, "female": 0},
        "licences_medically_fit": 4,
        "schools_with_association": 2,
        "competitions": 1,
        "fixtures_played": 2,
    }
    elsewhere = await client.get(
        "/api/v1/steering/overview", headers=league.auth("other_school_staff")
    )
    assert elsewhere.status_code == 403


async def test_entry_refused_while_a_pupil_lacks_a_valid_certificate(
    client: httpx.AsyncClient, league: League, session: AsyncSession
) -> None:
    staff = league.auth("school_staff")
    stale, missing = league.family.teaching.pupils["c1"][2:4]
    for pupil in (stale, missing):
        pupil.gender = Gender.MALE
    await session.commit()
    licences = await license_pupils(
        client, staff, [(stale, previous_year_certificate()), (missing, None)]
    )
    members = [*(m["licence_id"] for m in _members(league.team_a)), *(x["id"] for x in licences)]
    updated = await client.put(
        f"{SCHOOL}/teams/{league.team_a['id']}/members",
        json={"licence_ids": members},
        headers=staff,
    )
    assert updated.status_code == 200, updated.text
    refused = await _enter(client, league, league.team_a, staff)
    assert refused.status_code == 422
    body = refused.json()
    assert body["type"].endswith("pupils-not-fit")
    assert {p["massar_code"] for p in body["pupils"]} == {stale.massar_code, missing.massar_code}
    assert all(e["code"] == "medical_certificate" for e in body["errors"])
    assert any(stale.massar_code in e["message"] for e in body["errors"])
    entries = await client.get(f"{SCHOOL}/entries", headers=staff)
    assert entries.json()["items"] == []


def _members(team: dict[str, Any]) -> list[dict[str, Any]]:
    members: list[dict[str, Any]] = team["pupils"]
    return members


async def test_competitions_stay_in_their_part_of_the_tree(
    client: httpx.AsyncClient, league: League, session: AsyncSession
) -> None:
    competition_id = league.competition["id"]
    path = f"{STEERING}/competitions/{competition_id}"
    sale = await session.scalar(select(Province).where(Province.code == "RSK-SALE"))
    neighbour = await create_user(session, Role.PROVINCE_STAFF, province=sale)
    await session.commit()
    neighbour_auth = {"Authorization": f"Bearer {await access_token(session, neighbour)}"}
    await session.commit()
    for headers in (neighbour_auth,):
        response = await client.get(path, headers=headers)
        assert response.status_code == 404
        assert "Championnat" not in response.text
        assert (await client.get(f"{path}/standings", headers=headers)).status_code == 404
    other_school = league.auth("other_school_staff")
    assert (
        await client.get(f"{SCHOOL}/competitions/{competition_id}", headers=other_school)
    ).status_code == 404
    entered = await client.post(
        f"{SCHOOL}/competitions/{competition_id}/entries",
        json={"team_id": league.team_a["id"]},
        headers=other_school,
    )
    assert entered.status_code == 404
    # The academy follows it, but only the directorate runs it.
    academy = await client.get(path, headers=league.auth("academy_staff"))
    assert academy.status_code == 200
    assert academy.json()["actions"] == []
    closing = await client.post(f"{path}/close_entries", headers=league.auth("academy_staff"))
    assert closing.status_code == 404
    entry = await _enter(client, league, league.team_a, league.auth("school_staff"))
    decided = await client.post(
        f"{STEERING}/entries/{entry.json()['id']}/accept", headers=neighbour_auth
    )
    assert decided.status_code == 404


@pytest.mark.parametrize("who", ["school_staff", "teacher", "student", "parent"])
async def test_steering_face_is_for_steering_staff(
    client: httpx.AsyncClient, family: FamilyWorld, who: str
) -> None:
    response = await client.get(f"{STEERING}/competitions", headers=family.auth(who))
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["school_staff", "teacher", "parent", "province_staff"])
async def test_student_sports_is_for_pupils(
    client: httpx.AsyncClient, family: FamilyWorld, who: str
) -> None:
    assert (await client.get("/api/v1/student/sports", headers=family.auth(who))).status_code == 403


@pytest.mark.parametrize("who", ["school_staff", "teacher", "student", "province_staff"])
async def test_child_sports_is_for_parents(
    client: httpx.AsyncClient, family: FamilyWorld, who: str
) -> None:
    child = f"/api/v1/parent/children/{family.child.id}/sports"
    assert (await client.get(child, headers=family.auth(who))).status_code == 403


async def test_an_entered_team_keeps_to_the_medical_rule(
    client: httpx.AsyncClient, league: League, session: AsyncSession
) -> None:
    staff = league.auth("school_staff")
    entered = await _enter(client, league, league.team_a, staff)
    assert entered.status_code == 201, entered.text
    newcomer = league.family.teaching.pupils["c1"][2]
    newcomer.gender = Gender.MALE
    await session.commit()
    (stale,) = await license_pupils(client, staff, [(newcomer, previous_year_certificate())])
    members = [m["licence_id"] for m in _members(league.team_a)]
    refused = await client.put(
        f"{SCHOOL}/teams/{league.team_a['id']}/members",
        json={"licence_ids": [*members, stale["id"]]},
        headers=staff,
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "body.licence_ids"
    assert newcomer.massar_code in refused.json()["errors"][0]["message"]
    team = await client.get(f"{SCHOOL}/teams/{league.team_a['id']}", headers=staff)
    assert team.json()["members"] == len(members)


async def test_an_entry_is_decided_only_while_the_competition_takes_entries(
    client: httpx.AsyncClient, league: League
) -> None:
    province = league.auth("province_staff")
    entry = await _enter(client, league, league.team_a, league.auth("school_staff"))
    assert entry.status_code == 201, entry.text
    closed = await client.post(
        f"{STEERING}/competitions/{league.competition['id']}/close_entries", headers=province
    )
    assert closed.json()["status"] == "running"
    late = await client.post(f"{STEERING}/entries/{entry.json()['id']}/accept", headers=province)
    assert late.status_code == 409, late.text
    assert late.json()["type"].endswith("/entries-closed")
