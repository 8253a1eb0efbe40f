"""The steering answers summed from per-school summaries are exactly those computed live over
marks, roll calls and enrolments (`tests/steering/live.py`), for every unit of the tree and
every figure, after each kind of event; and they say how current they are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import typer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.academics.calendar import school_today
from app.academics.models import Enrolment, Subject
from app.assessment.models import Mark
from app.attendance.models import Justification, JustificationStatus
from app.cli import rebuild_summaries
from app.modules.equipment.models import EquipmentItem
from app.organisation.models import Academy, Province, School
from app.organisation.schemas import UnitLevel, UnitOut
from app.organisation.units import MINISTRY
from app.steering import overview, summaries
from app.steering.figures import Period
from app.steering.models import (
    SchoolAttendanceDay,
    SchoolDraftTests,
    SchoolSubjectAverage,
    SchoolSummary,
    SummaryChange,
)
from tests.steering import live
from tests.steering.world import Steering


async def _units(session: AsyncSession) -> list[UnitOut]:
    """Every unit of the tree that has schools: the ministry, academies, directorates, schools."""
    units = [MINISTRY]
    for level, table in (
        (UnitLevel.ACADEMY, Academy),
        (UnitLevel.PROVINCE, Province),
        (UnitLevel.SCHOOL, School),
    ):
        key = {Academy: School.academy_id, Province: School.province_id, School: School.id}[table]
        rows = await session.execute(
            select(table.id, table.code, table.name_fr, table.name_ar)
            .where(table.id.in_(select(key)))
            .order_by(table.code)
        )
        units += [UnitOut(level=level, **r._mapping) for r in rows]
    return units


def _periods() -> list[Period]:
    today = school_today()
    # The default 30 days, and one that reaches the roll call 40 days back.
    return [overview.period(None, None), Period(today - timedelta(days=60), today)]


def _without_as_of(answer: Any) -> dict[str, Any]:
    body: dict[str, Any] = answer.model_dump(exclude={"as_of"})
    for item in body.get("items", []):
        item.pop("as_of")
    return body


async def assert_summaries_are_live(session: AsyncSession) -> None:
    """Take the queue, then compare every answer of every unit with the live computation."""
    await summaries.refresh_queued(session, batch=10_000)
    assert await session.scalar(select(func.count()).select_from(SummaryChange)) == 0
    for unit in await _units(session):
        for when in _periods():
            summed = await overview.unit_figures(session, unit, when)
            computed = await live.unit_figures(session, unit, when)
            assert _without_as_of(summed) == _without_as_of(computed), unit.code
            if unit.level is not UnitLevel.SCHOOL:
                listed = await overview.unit_list(session, unit, when)
                listed_live = await live.unit_list(session, unit, when)
                assert _without_as_of(listed) == _without_as_of(listed_live), unit.code


async def _ok(response: httpx.Response) -> Any:
    assert response.status_code in (200, 201), response.text
    return response.json()


async def test_the_hand_counted_world(session: AsyncSession, steering: Steering) -> None:
    await assert_summaries_are_live(session)


async def test_summaries_follow_every_kind_of_event(
    client: httpx.AsyncClient, session: AsyncSession, steering: Steering
) -> None:
    teacher, staff = steering.auth("teacher"), steering.auth("school_staff")
    a1 = steering.classes["a1"]
    pupils = steering.pupils["a1"]
    math = await _math_id(session)

    # Marks entered, submitted, validated and published (semester 2 of a1's 1AC class).
    test = await _ok(
        await client.post(
            f"/api/v1/teacher/classes/{a1.id}/tests",
            json={
                "subject_id": str(math),
                "semester": 2,
                "kind": "test_1",
                "date": school_today().isoformat(),
                "title": "Contrôle 1",
            },
            headers=teacher,
        )
    )
    marks = [{"pupil_id": str(p.id), "mark": 7 + 3 * i} for i, p in enumerate(pupils)]
    await _ok(
        await client.put(f"/api/v1/teacher/tests/{test['id']}/marks", json=marks, headers=teacher)
    )
    await assert_summaries_are_live(session)
    await _ok(await client.post(f"/api/v1/teacher/tests/{test['id']}/submit", headers=teacher))
    await _ok(await client.post(f"/api/v1/school/tests/{test['id']}/validate", headers=staff))
    await _ok(
        await client.post(
            f"/api/v1/school/classes/{a1.id}/publish", params={"semester": 2}, headers=staff
        )
    )
    await assert_summaries_are_live(session)

    # A correction of a published mark.
    mark_id = await _mark_id(session, test["id"])
    await _ok(
        await client.post(
            f"/api/v1/school/marks/{mark_id}/correction",
            json={"mark": 19.5, "reason": "Erreur de saisie"},
            headers=staff,
        )
    )
    await assert_summaries_are_live(session)

    # A roll call, then the same lesson's roll call taken again differently.
    for late in (1, 3):
        body = {
            "date": school_today().isoformat(),
            "start_time": "10:00",
            "subject_id": str(math),
            "marks": [
                {"pupil_id": str(p.id), "status": "late", "minutes_late": 5}
                if i < late
                else {"pupil_id": str(p.id), "status": "absent" if i == late else "present"}
                for i, p in enumerate(pupils)
            ],
        }
        await _ok(
            await client.put(
                f"/api/v1/teacher/classes/{a1.id}/attendance", json=body, headers=teacher
            )
        )
        await assert_summaries_are_live(session)

    # An enrolment: a new pupil in a1's class.
    await _ok(
        await client.post(
            "/api/v1/school/pupils",
            json={
                "massar_code": "R123456789",
                "first_name": "Nora",
                "last_name": "Tahiri",
                "first_name_ar": "نورة",
                "last_name_ar": "الطاهري",
                "birth_date": "2013-05-02",
                "gender": "F",
                "class_id": str(a1.id),
            },
            headers=staff,
        )
    )
    await assert_summaries_are_live(session)

    # A justification decided.
    pending = await session.scalar(
        select(Justification.id).where(
            Justification.school_id == a1.school_id,
            Justification.status == JustificationStatus.PENDING,
        )
    )
    await _ok(
        await client.post(
            f"/api/v1/school/justifications/{pending}/decision",
            json={"accepted": True},
            headers=staff,
        )
    )
    await assert_summaries_are_live(session)

    # A back-office module record: equipment received.
    await _ok(
        await client.post(
            "/api/v1/school/equipment/movements",
            json={
                "kind": "received",
                "item_id": str(await _equipment_item(session)),
                "quantity": 12,
                "location": "Salle 3",
            },
            headers=staff,
        )
    )
    await assert_summaries_are_live(session)


async def test_a_rebuild_gives_the_rows_the_queue_gave(
    session: AsyncSession, steering: Steering
) -> None:
    before = await _summary_rows(session)
    await summaries.rebuild(session)
    assert await _summary_rows(session) == before
    await rebuild_summaries(session, steering.world.schools["a1"].code)
    assert await _summary_rows(session) == before
    with pytest.raises(typer.BadParameter, match="no school has the code"):
        await rebuild_summaries(session, "NOSUCH1")


async def test_the_answer_is_as_of_the_oldest_change_not_yet_summed(
    client: httpx.AsyncClient, session: AsyncSession, steering: Steering
) -> None:
    central = steering.auth("central_staff")
    now = await session.scalar(select(func.now()))  # the tests' one transaction: its start
    summed = await _ok(await client.get("/api/v1/steering/overview", headers=central))
    assert _time(summed["as_of"]) == now

    # c's only pupil leaves: queued, not yet summed. The answer still counts them and says as
    # of when; c's academy is behind, the other is current.
    enrolment = (
        await session.execute(
            select(Enrolment).where(Enrolment.class_id == steering.classes["c"].id)
        )
    ).scalar_one()
    enrolment.left_on = max(enrolment.enrolled_on, school_today())
    await session.flush()
    queued_at = await session.scalar(select(func.min(SummaryChange.queued_at)))
    assert queued_at is not None
    assert queued_at > now
    await session.commit()

    stale = await _ok(await client.get("/api/v1/steering/overview", headers=central))
    assert stale["pupils"]["total"] == summed["pupils"]["total"]
    assert _time(stale["as_of"]) == queued_at
    academies = await _ok(await client.get("/api/v1/steering/units", headers=central))
    as_of = {a["unit"]["code"]: _time(a["as_of"]) for a in academies["items"]}
    assert as_of["CS"] == queued_at
    assert as_of["RSK"] == now

    await summaries.refresh_queued(session)
    await session.commit()
    current = await _ok(await client.get("/api/v1/steering/overview", headers=central))
    assert current["pupils"]["total"] == summed["pupils"]["total"] - 1
    assert _time(current["as_of"]) == now


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def _summary_rows(session: AsyncSession) -> dict[str, set[tuple[Any, ...]]]:
    rows = {}
    for table in (SchoolSummary, SchoolDraftTests, SchoolSubjectAverage, SchoolAttendanceDay):
        columns = [c for c in table.__table__.columns if c.name != "as_of"]
        result = await session.execute(select(*columns))
        rows[table.__tablename__] = {
            tuple(tuple(v) if isinstance(v, list) else v for v in r) for r in result
        }
    return rows


async def _math_id(session: AsyncSession) -> Any:
    return await session.scalar(select(Subject.id).where(Subject.code == "MATH"))


async def _mark_id(session: AsyncSession, test_id: str) -> Any:
    return await session.scalar(select(Mark.id).where(Mark.test_id == test_id).limit(1))


async def _equipment_item(session: AsyncSession) -> Any:
    return await session.scalar(select(EquipmentItem.id).limit(1))


async def test_a_login_queues_nothing_a_teacher_disabled_does(
    client: httpx.AsyncClient, session: AsyncSession, steering: Steering
) -> None:
    teacher = steering.world.users["t_c"]
    teacher.last_login_at = datetime.now(UTC)
    await session.flush()
    assert await session.scalar(select(func.count()).select_from(SummaryChange)) == 0

    teacher.is_active = False
    await session.flush()
    queued = (await session.execute(select(SummaryChange.school_id, SummaryChange.part))).all()
    assert queued == [(teacher.school_id, "school")]
    await assert_summaries_are_live(session)


async def test_the_worker_takes_the_queue_in_batches(
    session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    steering: Steering,
) -> None:
    for school in steering.world.schools.values():
        session.add(SummaryChange(school_id=school.id, part="school"))
    await session.commit()
    assert await summaries.refresh_until_empty(session_factory) == len(steering.world.schools)
    assert await session.scalar(select(func.count()).select_from(SummaryChange)) == 0
