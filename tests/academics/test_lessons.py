"""The lesson log and syllabus progress."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import CurriculumUnit
from tests.factories import TeachingWorld


def _url(teaching: TeachingWorld, name: str = "c1", what: str = "lessons") -> str:
    return f"/api/v1/teacher/classes/{teaching.classes[name].id}/{what}"


def _lesson(teaching: TeachingWorld, **overrides: object) -> dict[str, object]:
    today = school_today()
    return {
        "subject_id": str(teaching.subjects["MATH"].id),
        "date": today.isoformat(),
        "title": "Les fractions",
        "content": "Simplification et comparaison de fractions.",
        "homework": {
            "text": "Exercices 3 à 7 page 42",
            "due_date": (today + timedelta(days=2)).isoformat(),
        },
    } | overrides


async def _units(session: AsyncSession, teaching: TeachingWorld) -> list[CurriculumUnit]:
    rows = await session.scalars(
        select(CurriculumUnit)
        .where(
            CurriculumUnit.level_code == "1AC",
            CurriculumUnit.subject_id == teaching.subjects["MATH"].id,
        )
        .order_by(CurriculumUnit.rank)
    )
    return list(rows)


async def test_log_and_list_lessons(client: httpx.AsyncClient, teaching: TeachingWorld) -> None:
    headers = teaching.auth("teacher")
    created = await client.post(_url(teaching), json=_lesson(teaching), headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["homework"]["text"] == "Exercices 3 à 7 page 42"
    listed = (await client.get(_url(teaching), headers=headers)).json()
    assert [entry["id"] for entry in listed] == [created.json()["id"]]
    # The French teacher of the same class does not see the maths log.
    assert (await client.get(_url(teaching), headers=teaching.auth("teacher_fr"))).json() == []


async def test_homework_due_before_the_lesson_is_422(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    body = _lesson(teaching, homework={"text": "x", "due_date": "2000-01-01"})
    assert (
        await client.post(_url(teaching), json=body, headers=teaching.auth("teacher"))
    ).status_code == 422


async def test_a_unit_of_another_level_is_422(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    unit = (await _units(session, teaching))[0]
    # c2 is 2AC: a 1AC unit does not belong to it.
    body = _lesson(teaching, unit_id=str(unit.id))
    response = await client.post(_url(teaching, "c2"), json=body, headers=teaching.auth("teacher"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.unit_id"


async def test_progress_counts_lessons_against_planned_units(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    units = await _units(session, teaching)
    headers = teaching.auth("teacher")
    for unit in (units[0], units[0], units[1]):
        body = _lesson(teaching, unit_id=str(unit.id))
        assert (await client.post(_url(teaching), json=body, headers=headers)).status_code == 201
    await client.post(_url(teaching), json=_lesson(teaching), headers=headers)

    params = {"subject_id": str(teaching.subjects["MATH"].id)}
    progress = (
        await client.get(_url(teaching, what="progress"), params=params, headers=headers)
    ).json()
    assert progress["units_planned"] == len(units)
    assert progress["units_covered"] == 2
    assert progress["lessons_logged"] == 4
    assert progress["lessons_without_unit"] == 1
    assert [u["lessons"] for u in progress["units"][:3]] == [2, 1, 0]


@pytest.mark.parametrize("who", ["teacher_fr", "teacher_other"])
async def test_logging_outside_the_scope_is_404(
    client: httpx.AsyncClient, teaching: TeachingWorld, who: str
) -> None:
    response = await client.post(_url(teaching), json=_lesson(teaching), headers=teaching.auth(who))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["student", "parent", "school_staff"])
async def test_other_roles_get_403(
    client: httpx.AsyncClient, teaching: TeachingWorld, who: str
) -> None:
    assert (await client.get(_url(teaching), headers=teaching.auth(who))).status_code == 403
