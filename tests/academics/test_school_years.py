"""The school year end to end: the ministry plans, corrects, starts and closes years; an academy
shifts its holidays; schools read their calendar and copy their classes into the new year; a
closed year's marks and roll calls are frozen by the database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import Enrolment, SchoolClass, SchoolYear
from app.assessment.models import Mark, TestStatus
from app.core.db.faults import refused_by
from app.core.roles import Role, StaffTitle
from app.demo.calendar import demo_calendar
from tests.factories import (
    World,
    access_token,
    create_pupil,
    create_test_with_marks,
    create_user,
    current_school_year_number,
    open_school_year,
    subject,
)

YEARS = "/api/v1/steering/school-years"


def calendar_of(year: int) -> dict[str, Any]:
    """A ministry calendar for `year` whose classes start on 1 October, as in 2021-22."""
    return {
        "year": year,
        "semesters": [
            {"starts_on": f"{year}-10-01", "ends_on": f"{year + 1}-02-10"},
            {"starts_on": f"{year + 1}-02-11", "ends_on": f"{year + 1}-07-05"},
        ],
        "holidays": [
            {
                "name_fr": "Vacances de printemps",
                "name_ar": "عطلة الربيع",
                "starts_on": f"{year + 1}-03-22",
                "ends_on": f"{year + 1}-03-29",
            }
        ],
        "exam_periods": [
            {
                "name_fr": "Examen national",
                "name_ar": "الامتحان الوطني",
                "starts_on": f"{year + 1}-06-08",
                "ends_on": f"{year + 1}-06-11",
            }
        ],
    }


async def _last_years_school(
    session: AsyncSession, world: World, year: int, status: TestStatus = TestStatus.PUBLISHED
) -> Mark:
    """Year `year` current at school a1, with a class, a pupil and a mark."""
    await open_school_year(session, demo_calendar(year))
    school_class = SchoolClass(
        school_id=world.schools["a1"].id, school_year=year, level_code="1AC", name="1AC-1"
    )
    session.add(school_class)
    await session.flush()
    pupil = await create_pupil(session, school_class)
    test = await create_test_with_marks(
        session,
        school_class,
        await subject(session, "MATH"),
        world.users["teacher"],
        {pupil: Decimal("12")},
        status=status,
    )
    mark = await session.scalar(select(Mark).where(Mark.test_id == test.id))
    assert mark is not None
    return mark


async def test_the_ministry_opens_the_next_year_and_closes_the_last_one(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    # Last year ended months ago; the next one is opened, started, and last year closed.
    last = current_school_year_number() - 2
    following = last + 1
    mark = await _last_years_school(session, world, last)
    central, director = world.auth("central_staff"), world.auth("school_staff")

    planned = await client.post(YEARS, json=calendar_of(following), headers=central)
    assert planned.status_code == 201, planned.text
    assert planned.json()["status"] == "planned"
    assert planned.json()["starts_on"] == f"{following}-10-01"
    assert (
        (await client.post(YEARS, json=calendar_of(following), headers=central))
        .json()["type"]
        .endswith("school-year-exists")
    )

    copy = {"from_year": last, "to_year": following}
    copied = await client.post("/api/v1/school/classes/copy", json=copy, headers=director)
    assert copied.status_code == 200, copied.text
    assert (copied.json()["created"], copied.json()["existing"]) == (1, 0)
    again = await client.post("/api/v1/school/classes/copy", json=copy, headers=director)
    assert (again.json()["created"], again.json()["existing"]) == (0, 1)
    assert again.json()["rows"][0]["class_id"] == copied.json()["rows"][0]["class_id"]
    listed = await client.get(
        "/api/v1/school/classes", params={"school_year": following}, headers=director
    )
    assert [(c["name"], c["level_code"]) for c in listed.json()] == [("1AC-1", "1AC")]

    started = await client.post(f"{YEARS}/{following}/start", headers=central)
    assert started.json()["status"] == "current", started.text
    assert (await client.get(f"{YEARS}/{last}", headers=central)).json()["status"] == "past"
    closed = await client.post(f"{YEARS}/{last}/close", headers=central)
    assert closed.json()["status"] == "closed", closed.text
    assert (await client.post(f"{YEARS}/{last}/close", headers=central)).status_code == 200

    corrected = await client.post(
        f"/api/v1/school/marks/{mark.id}/correction",
        json={"mark": 14, "reason": "Erreur de saisie"},
        headers=director,
    )
    assert corrected.status_code == 409, corrected.text
    assert corrected.json()["type"].endswith("school-year-closed")


async def test_a_closed_years_marks_and_roll_calls_refuse_every_write(
    session: AsyncSession, world: World
) -> None:
    last = current_school_year_number() - 2
    # A draft: its marks would change, were the year not closed.
    mark = await _last_years_school(session, world, last, TestStatus.DRAFT)
    await open_school_year(session, demo_calendar(last + 1))
    await session.execute(
        update(SchoolYear).where(SchoolYear.year == last).values(closed_at=school_today())
    )
    for write in (
        update(Mark).where(Mark.id == mark.id).values(mark=Decimal("3")),
        delete(Mark).where(Mark.id == mark.id),
    ):
        with pytest.raises(IntegrityError) as refused:
            async with session.begin_nested():
                await session.execute(write)
        assert refused_by(refused.value) == "school_year_closed"
    # Roll calls, and the councils' decisions, are frozen by the same rule (on a partitioned
    # table, its partitions fire the table's trigger: `tgparentid` names it).
    frozen = await session.scalars(
        text(
            "SELECT tgrelid::regclass::text FROM pg_trigger"
            " WHERE tgname = 'school_year_closed' AND tgparentid = 0 ORDER BY 1"
        )
    )
    assert list(frozen) == [
        "attendance_marks",
        "attendance_sheets",
        "class_councils",
        "class_tests",
        "council_decisions",
        "marks",
        "orientation_wishes",
        "orientations",
    ]


async def test_a_planned_year_is_corrected_until_it_starts(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    central = world.auth("central_staff")
    year = current_school_year_number() + 1
    assert (await client.post(YEARS, json=calendar_of(year), headers=central)).status_code == 201
    moved = calendar_of(year)["semesters"]
    moved[0]["starts_on"] = f"{year}-09-15"
    body = {"semesters": moved, "holidays": [], "exam_periods": []}
    corrected = await client.put(f"{YEARS}/{year}", json=body, headers=central)
    assert corrected.json()["starts_on"] == f"{year}-09-15", corrected.text
    assert corrected.json()["holidays"] == []
    assert (await client.post(f"{YEARS}/{year}/start", headers=central)).status_code == 200
    refused = await client.put(f"{YEARS}/{year}", json=body, headers=central)
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("school-year-started")


async def test_a_year_is_closed_only_after_its_end(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    central = world.auth("central_staff")
    year = current_school_year_number()
    await open_school_year(session, demo_calendar(year))
    # The current year first steps down for the next, then waits for its end.
    current = await client.post(f"{YEARS}/{year}/close", headers=central)
    assert current.json()["type"].endswith("school-year-not-closable")
    await client.post(YEARS, json=calendar_of(year + 1), headers=central)
    await client.post(f"{YEARS}/{year + 1}/start", headers=central)
    early = await client.post(f"{YEARS}/{year}/close", headers=central)
    assert early.status_code == 409
    assert early.json()["type"].endswith("school-year-not-ended")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {
                "semesters": [
                    {"starts_on": "2031-10-01", "ends_on": "2032-03-01"},
                    {"starts_on": "2032-02-01", "ends_on": "2032-07-01"},
                ]
            },
            "body.semesters",
        ),
        ({"year": 2030}, "body.semesters.0.starts_on"),
        (
            {
                "holidays": [
                    {
                        "name_fr": "x",
                        "name_ar": "x",
                        "starts_on": "2032-08-01",
                        "ends_on": "2032-08-02",
                    }
                ]
            },
            "body.holidays.0",
        ),
    ],
)
async def test_a_calendar_out_of_order_or_out_of_the_year_is_refused(
    client: httpx.AsyncClient, world: World, body: dict[str, Any], field: str
) -> None:
    answer = await client.post(
        YEARS, json=calendar_of(2031) | body, headers=world.auth("central_staff")
    )
    assert answer.status_code == 422, answer.text
    assert field in [e["field"] for e in answer.json()["errors"]]


async def test_an_academy_shifts_a_holiday_and_its_schools_read_it(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    year = current_school_year_number()
    await open_school_year(session, demo_calendar(year))
    national = (await client.get(f"{YEARS}/{year}", headers=world.auth("central_staff"))).json()
    spring = next(h for h in national["holidays"] if h["name_fr"] == "Vacances de printemps")
    shifted = {
        **{k: spring[k] for k in ("name_fr", "name_ar")},
        "starts_on": str(date.fromisoformat(spring["starts_on"]) + timedelta(days=7)),
        "ends_on": str(date.fromisoformat(spring["ends_on"]) + timedelta(days=7)),
        "replaces_id": spring["id"],
    }
    regional = await client.put(
        f"{YEARS}/{year}/regional-calendar",
        json={"holidays": [shifted]},
        headers=world.auth("academy_staff"),
    )
    assert regional.status_code == 200, regional.text

    def spring_of(calendar: dict[str, Any]) -> str:
        return next(
            h["starts_on"] for h in calendar["holidays"] if h["name_fr"] == spring["name_fr"]
        )

    mine = await client.get("/api/v1/school/calendar", headers=world.auth("school_staff"))
    assert spring_of(mine.json()) == shifted["starts_on"]
    for face, who in (("teacher", "teacher"), ("student", "student")):
        seen = await client.get(f"/api/v1/{face}/calendar", headers=world.auth(who))
        assert spring_of(seen.json()) == shifted["starts_on"], face
    # A school of another academy keeps the ministry's dates.
    elsewhere = await create_user(
        session, Role.SCHOOL_STAFF, school=world.schools["c"], title=StaffTitle.SECRETARY
    )
    theirs = await client.get(
        "/api/v1/school/calendar",
        headers={"Authorization": f"Bearer {await access_token(session, elsewhere)}"},
    )
    assert spring_of(theirs.json()) == spring["starts_on"]

    outside = {**shifted, "starts_on": f"{year + 1}-08-01", "ends_on": f"{year + 1}-08-02"}
    refused = await client.put(
        f"{YEARS}/{year}/regional-calendar",
        json={"holidays": [outside]},
        headers=world.auth("academy_staff"),
    )
    assert refused.status_code == 422


@pytest.mark.parametrize("who", ["academy_staff", "province_staff", "school_staff", "teacher"])
async def test_only_the_ministry_plans_a_year(
    client: httpx.AsyncClient, world: World, who: str
) -> None:
    answer = await client.post(YEARS, json=calendar_of(2031), headers=world.auth(who))
    assert answer.status_code == 403


@pytest.mark.parametrize("who", ["central_staff", "province_staff"])
async def test_only_an_academy_shifts_its_calendar(
    client: httpx.AsyncClient, session: AsyncSession, world: World, who: str
) -> None:
    year = current_school_year_number()
    await open_school_year(session, demo_calendar(year))
    answer = await client.put(
        f"{YEARS}/{year}/regional-calendar", json={"holidays": []}, headers=world.auth(who)
    )
    assert answer.status_code == 403


async def test_an_unknown_year_is_not_found(client: httpx.AsyncClient, world: World) -> None:
    central = world.auth("central_staff")
    assert (await client.get(f"{YEARS}/2090", headers=central)).status_code == 404
    assert (await client.post(f"{YEARS}/2090/start", headers=central)).status_code == 404


async def test_a_secretary_does_not_copy_classes(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    secretary = await create_user(
        session, Role.SCHOOL_STAFF, school=world.schools["a1"], title=StaffTitle.SECRETARY
    )
    answer = await client.post(
        "/api/v1/school/classes/copy",
        json={"from_year": 2030, "to_year": 2031},
        headers={"Authorization": f"Bearer {await access_token(session, secretary)}"},
    )
    assert answer.status_code == 403
    assert answer.json()["type"].endswith("title-not-allowed")


async def test_classes_go_only_into_a_current_or_planned_year(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    last = current_school_year_number() - 2
    await _last_years_school(session, world, last)
    await open_school_year(session, demo_calendar(last + 1))
    director = world.auth("school_staff")
    into_the_past = await client.post(
        "/api/v1/school/classes/copy",
        json={"from_year": last + 1, "to_year": last},
        headers=director,
    )
    assert into_the_past.status_code == 409
    assert into_the_past.json()["type"].endswith("school-year-not-open")
    enrolled = await session.scalar(select(Enrolment.id).where(Enrolment.school_year == last))
    assert enrolled is not None  # last year's history is untouched
