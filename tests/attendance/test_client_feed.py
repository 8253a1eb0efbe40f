"""The absences feed of API clients (`attendance.read`): a school's or a pupil's absences and
lateness in the client's unit, only the fields the scope opens, the parents' justification's
state, lesson dates, and deltas with the deleted ids (410 past the sync window)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.attendance.models import AttendanceMark, AttendanceStatus
from app.integrations.scopes import ApiScope
from app.settings import get_settings
from tests.attendance.test_justifications import _roll_call, _submit
from tests.factories import FamilyWorld, Integrator, create_api_client

ABSENCES = "/api/v1/integrations/absences"
FIELDS = {
    "id",
    "school_id",
    "pupil_id",
    "massar_code",
    "lesson_date",
    "start_time",
    "subject",
    "status",
    "minutes_late",
    "justification",
    "updated_at",
}


async def _programme(
    session: AsyncSession,
    family: FamilyWorld,
    scopes: frozenset[ApiScope] = frozenset({ApiScope.ATTENDANCE_READ}),
) -> Integrator:
    world = family.teaching.world
    programme = await create_api_client(
        session, world.users["central_staff"], scopes, academy_id=world.schools["a1"].academy_id
    )
    await session.commit()
    return programme


async def _read(client: httpx.AsyncClient, programme: Integrator, **params: Any) -> dict[str, Any]:
    answer = await client.get(ABSENCES, params=params, headers=programme.headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_a_schools_absences_with_only_what_the_scope_opens(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    pupils = family.teaching.pupils["c1"]
    school_id = str(family.teaching.classes["c1"].school_id)
    statuses = {pupils[0]: AttendanceStatus.ABSENT, pupils[1]: AttendanceStatus.LATE}
    older = await _roll_call(
        session, family, statuses | dict.fromkeys(pupils[2:], AttendanceStatus.PRESENT), days_ago=3
    )
    recent = await _roll_call(session, family, {pupils[0]: AttendanceStatus.ABSENT}, days_ago=1)
    programme = await _programme(session, family)

    feed = await _read(client, programme, school_id=school_id)
    items = feed["items"]
    first_day = sorted([str(older[pupils[0].id]), str(older[pupils[1].id])])
    assert [item["id"] for item in items] == [*first_day, str(recent[pupils[0].id])]
    assert feed["deleted"] == []
    assert feed["next_cursor"] is None
    for item in items:
        assert set(item) == FIELDS  # no name, no teacher's note
    late = next(item for item in items if item["status"] == "late")
    assert (late["massar_code"], late["minutes_late"], late["subject"]) == (
        pupils[1].massar_code,
        10,
        "MATH",
    )
    assert late["start_time"] == "08:30:00"
    assert late["lesson_date"] == (school_today() - timedelta(days=3)).isoformat()

    # The parents justify the child's recent absence: the feed says it is pending.
    submitted = await _submit(client, family, [recent[pupils[0].id]])
    assert submitted.status_code == 201, submitted.text
    child = await _read(client, programme, pupil_id=str(pupils[0].id))
    assert [(i["id"], i["justification"]) for i in child["items"]] == [
        (str(older[pupils[0].id]), None),
        (str(recent[pupils[0].id]), "pending"),
    ]

    # Lesson dates bound it, and a page is a page.
    day = (school_today() - timedelta(days=1)).isoformat()
    dated = await _read(client, programme, school_id=school_id, **{"from": day, "to": day})
    assert [item["id"] for item in dated["items"]] == [str(recent[pupils[0].id])]
    first = await _read(client, programme, school_id=school_id, limit=2)
    assert len(first["items"]) == 2
    rest = await _read(client, programme, school_id=school_id, cursor=first["next_cursor"])
    assert [i["id"] for i in first["items"] + rest["items"]] == [i["id"] for i in items]


async def test_a_delta_answers_changes_corrections_and_deletions(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    pupils = family.teaching.pupils["c1"]
    school_id = str(family.teaching.classes["c1"].school_id)
    programme = await _programme(session, family)
    since = datetime.now(UTC) - timedelta(minutes=5)
    marks = await _roll_call(
        session,
        family,
        {pupils[0]: AttendanceStatus.ABSENT, pupils[1]: AttendanceStatus.ABSENT},
        days_ago=2,
    )
    # One absence corrected to present, one removed.
    corrected = await session.get_one(AttendanceMark, marks[pupils[0].id])
    corrected.status = AttendanceStatus.PRESENT
    await session.execute(delete(AttendanceMark).where(AttendanceMark.id == marks[pupils[1].id]))
    await session.commit()

    full = await _read(client, programme, school_id=school_id)
    assert full["items"] == []  # nothing absent any more
    delta = await _read(client, programme, school_id=school_id, updated_since=since.isoformat())
    assert [(i["id"], i["status"]) for i in delta["items"]] == [
        (str(marks[pupils[0].id]), "present")
    ]
    assert delta["deleted"] == [str(marks[pupils[1].id])]
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert await _read(client, programme, school_id=school_id, updated_since=later) == {
        "items": [],
        "deleted": [],
        "next_cursor": None,
    }

    window = get_settings().retention_sync_days
    stale = (datetime.now(UTC) - timedelta(days=window + 1)).isoformat()
    gone = await client.get(
        ABSENCES, params={"school_id": school_id, "updated_since": stale}, headers=programme.headers
    )
    assert gone.status_code == 410
    assert gone.json()["type"].endswith("sync-window-passed")


async def test_outside_the_unit_404_without_the_scope_403_and_nothing_named_422(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    teaching = family.teaching
    programme = await _programme(session, family)
    other_school = teaching.world.schools["c"]
    outsider = teaching.pupils["c3"][0]
    assert outsider.school_id == other_school.id
    for params in ({"school_id": str(other_school.id)}, {"pupil_id": str(outsider.id)}):
        answer = await client.get(ABSENCES, params=params, headers=programme.headers)
        assert answer.status_code == 404, params
    nothing = await client.get(ABSENCES, headers=programme.headers)
    assert nothing.status_code == 422

    results_only = await _programme(session, family, frozenset({ApiScope.RESULTS_READ}))
    refused = await client.get(
        ABSENCES,
        params={"school_id": str(teaching.world.schools["a1"].id)},
        headers=results_only.headers,
    )
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("insufficient-scope")
