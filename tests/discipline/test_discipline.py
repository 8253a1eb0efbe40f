"""Discipline: incidents and graded sanctions recorded by the school's discipline staff, seen
by the pupil and their parents, kept from everyone else."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.audit.models import AuditEntry
from app.core.roles import Role, StaffTitle
from app.messaging.models import Notification, NotificationCategory
from tests.factories import FamilyWorld, access_token, create_user

INCIDENTS = "/api/v1/school/incidents"
TODAY = school_today()


@pytest.fixture
async def office(session: AsyncSession, family: FamilyWorld) -> dict[str, str]:
    """The discipline office of the family's school."""
    school = family.teaching.world.schools["a1"]
    officer = await create_user(
        session, Role.SCHOOL_STAFF, school=school, title=StaffTitle.DISCIPLINE_OFFICE
    )
    token = await access_token(session, officer)
    await session.commit()
    return {"Authorization": f"Bearer {token}"}


def _incident(family: FamilyWorld, *pupils: Any) -> dict[str, Any]:
    return {
        "occurred_on": str(TODAY - timedelta(days=3)),
        "place": "courtyard",
        "kind": "violence",
        "description": "Bagarre pendant la récréation.",
        "pupil_ids": [str(p.id) for p in (pupils or (family.child, family.stranger))],
    }


async def _recorded(
    client: httpx.AsyncClient, family: FamilyWorld, headers: dict[str, str]
) -> dict[str, Any]:
    response = await client.post(INCIDENTS, json=_incident(family), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _exclusion(family: FamilyWorld, **changes: Any) -> dict[str, Any]:
    return {
        "pupil_id": str(family.child.id),
        "kind": "temporary_exclusion",
        "decided_on": str(TODAY - timedelta(days=1)),
        "starts_on": str(TODAY),
        "ends_on": str(TODAY + timedelta(days=2)),
        **changes,
    }


async def test_the_office_records_an_incident_and_the_councils_exclusion(
    client: httpx.AsyncClient, family: FamilyWorld, office: dict[str, str], session: AsyncSession
) -> None:
    incident = await _recorded(client, family, office)
    assert {p["id"] for p in incident["pupils"]} == {str(family.child.id), str(family.stranger.id)}
    sanction = await client.post(
        f"{INCIDENTS}/{incident['id']}/sanctions", json=_exclusion(family), headers=office
    )
    assert sanction.status_code == 201, sanction.text
    assert sanction.json()["decided_by"] == "discipline_council"
    shown = (await client.get(f"{INCIDENTS}/{incident['id']}", headers=office)).json()
    assert [s["kind"] for s in shown["sanctions"]] == ["temporary_exclusion"]
    listed = (
        await client.get(INCIDENTS, params={"pupil_id": str(family.child.id)}, headers=office)
    ).json()
    assert [(i["id"], i["pupil_count"], i["sanction_count"]) for i in listed["items"]] == [
        (incident["id"], 2, 1)
    ]
    notified = await session.scalars(
        select(Notification.user_id).where(Notification.category == NotificationCategory.DISCIPLINE)
    )
    users = family.teaching.world.users
    assert set(notified) == {users["parent"].id, users["student"].id}


async def test_the_pupil_and_the_parent_see_the_sanction_not_the_facts(
    client: httpx.AsyncClient, family: FamilyWorld, office: dict[str, str]
) -> None:
    incident = await _recorded(client, family, office)
    await client.post(
        f"{INCIDENTS}/{incident['id']}/sanctions", json=_exclusion(family), headers=office
    )
    own = await client.get("/api/v1/student/sanctions", headers=family.auth("student"))
    child = await client.get(
        f"/api/v1/parent/children/{family.child.id}/sanctions", headers=family.auth("parent")
    )
    assert own.status_code == child.status_code == 200, own.text
    assert own.json() == child.json()
    (seen,) = own.json()
    assert (seen["kind"], seen["incident_place"], seen["ends_on"]) == (
        "temporary_exclusion",
        "courtyard",
        str(TODAY + timedelta(days=2)),
    )
    assert "description" not in seen
    assert "pupils" not in seen


async def test_the_director_decides_the_lighter_sanctions(
    client: httpx.AsyncClient, family: FamilyWorld, office: dict[str, str]
) -> None:
    incident = await _recorded(client, family, office)
    warning = {"pupil_id": str(family.stranger.id), "kind": "warning", "decided_on": str(TODAY)}
    answer = await client.post(
        f"{INCIDENTS}/{incident['id']}/sanctions", json=warning, headers=family.auth("school_staff")
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["decided_by"] == "director"
    again = await client.post(
        f"{INCIDENTS}/{incident['id']}/sanctions", json=warning, headers=office
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": None}, "body"),
        ({"kind": "warning"}, "body"),
        ({"starts_on": str(TODAY - timedelta(days=5))}, "body"),
        ({"kind": "definitive_exclusion", "ends_on": None, "decided_on": "x"}, "body.decided_on"),
    ],
)
async def test_a_sanctions_dates_follow_its_kind(
    client: httpx.AsyncClient,
    family: FamilyWorld,
    office: dict[str, str],
    changes: dict[str, Any],
    field: str,
) -> None:
    incident = await _recorded(client, family, office)
    answer = await client.post(
        f"{INCIDENTS}/{incident['id']}/sanctions",
        json=_exclusion(family, **changes),
        headers=office,
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["field"] == field


async def test_only_pupils_of_the_school_and_of_the_incident(
    client: httpx.AsyncClient, family: FamilyWorld, office: dict[str, str], session: AsyncSession
) -> None:
    elsewhere = family.teaching.pupils["c3"][0]  # school c
    refused = await client.post(
        INCIDENTS, json=_incident(family, family.child, elsewhere, family.child), headers=office
    )
    assert refused.status_code == 422
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [
        ("body.pupil_ids.1", "not_in_school"),
        ("body.pupil_ids.2", "duplicate"),
    ]
    tomorrow = _incident(family) | {"occurred_on": str(TODAY + timedelta(days=1))}
    future = await client.post(INCIDENTS, json=tomorrow, headers=office)
    assert future.status_code == 422
    assert future.json()["errors"][0]["field"] == "body.occurred_on"
    incident = await _recorded(client, family, office)
    outsider = family.teaching.pupils["c2"][1]  # the school's, not involved
    answer = await client.post(
        f"{INCIDENTS}/{incident['id']}/sanctions",
        json=_exclusion(family, pupil_id=str(outsider.id)),
        headers=office,
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "body.pupil_id"


async def test_the_database_keeps_each_sanction_with_its_body(
    client: httpx.AsyncClient, family: FamilyWorld, office: dict[str, str], session: AsyncSession
) -> None:
    incident = await _recorded(client, family, office)
    insert = text(
        "INSERT INTO sanctions (id, school_id, incident_id, pupil_id, kind, decided_by,"
        " decided_on, recorded_by) SELECT gen_random_uuid(), school_id, id, :pupil,"
        " 'definitive_exclusion', 'director', current_date, recorded_by"
        " FROM incidents WHERE id = :incident"
    )
    with pytest.raises(IntegrityError, match=r"decided_by_the_right_body|start_when_it_applies"):
        async with session.begin_nested():
            await session.execute(insert, {"pupil": family.child.id, "incident": incident["id"]})


async def test_the_audit_keeps_no_description(
    client: httpx.AsyncClient, family: FamilyWorld, office: dict[str, str], session: AsyncSession
) -> None:
    incident = await _recorded(client, family, office)
    changed = await session.scalar(
        select(AuditEntry.changed).where(
            AuditEntry.entity == "incidents", AuditEntry.entity_id == incident["id"]
        )
    )
    assert changed is not None
    assert changed["kind"] == "violence"
    assert "description" not in changed


# ---- doors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["teacher", "student", "parent", "province_staff"])
async def test_other_roles_get_403(
    client: httpx.AsyncClient, family: FamilyWorld, who: str
) -> None:
    answer = await client.post(INCIDENTS, json=_incident(family), headers=family.auth(who))
    assert answer.status_code == 403


@pytest.mark.parametrize("title", [StaffTitle.SECRETARY, StaffTitle.DEPUTY])
async def test_posts_without_the_duty_get_403_title_not_allowed(
    client: httpx.AsyncClient,
    family: FamilyWorld,
    office: dict[str, str],
    session: AsyncSession,
    title: StaffTitle,
) -> None:
    incident = await _recorded(client, family, office)
    staff = await create_user(
        session, Role.SCHOOL_STAFF, school=family.teaching.world.schools["a1"], title=title
    )
    headers = {"Authorization": f"Bearer {await access_token(session, staff)}"}
    await session.commit()
    for answer in (
        await client.post(INCIDENTS, json=_incident(family), headers=headers),
        await client.get(f"{INCIDENTS}/{incident['id']}", headers=headers),
        await client.post(
            f"{INCIDENTS}/{incident['id']}/sanctions", json=_exclusion(family), headers=headers
        ),
    ):
        assert answer.status_code == 403
        assert answer.json()["type"].endswith("title-not-allowed")


async def test_another_schools_staff_get_404(
    client: httpx.AsyncClient, family: FamilyWorld, office: dict[str, str]
) -> None:
    incident = await _recorded(client, family, office)
    other = family.auth("other_school_staff")
    assert (await client.get(f"{INCIDENTS}/{incident['id']}", headers=other)).status_code == 404
    answer = await client.post(
        f"{INCIDENTS}/{incident['id']}/sanctions", json=_exclusion(family), headers=other
    )
    assert answer.status_code == 404
    assert (await client.get(INCIDENTS, headers=other)).json()["items"] == []


async def test_a_parent_of_another_family_gets_404(
    client: httpx.AsyncClient, family: FamilyWorld, office: dict[str, str]
) -> None:
    incident = await _recorded(client, family, office)
    await client.post(
        f"{INCIDENTS}/{incident['id']}/sanctions",
        json=_exclusion(family, pupil_id=str(family.stranger.id)),
        headers=office,
    )
    for child in (family.stranger, family.unverified):
        answer = await client.get(
            f"/api/v1/parent/children/{child.id}/sanctions", headers=family.auth("parent")
        )
        assert answer.status_code == 404
