"""The teacher's own file, classes, rosters and timetable; the scope of the teacher face."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Enrolment, Pupil, TeacherProfile, TimetableSlot
from tests.factories import TeachingWorld

OTHER_ROLES = [
    "student",
    "parent",
    "school_staff",
    "province_staff",
    "academy_staff",
    "central_staff",
]


async def test_classes_lists_what_the_teacher_teaches_this_year(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    response = await client.get("/api/v1/teacher/classes", headers=teaching.auth("teacher"))
    assert response.status_code == 200
    by_name = {c["name"]: c for c in response.json()}
    assert set(by_name) == {teaching.classes["c1"].name, teaching.classes["c2"].name}
    c1 = by_name[teaching.classes["c1"].name]
    assert c1["pupil_count"] == 5
    assert [s["code"] for s in c1["subjects"]] == ["MATH"]
    assert c1["school_year"] == teaching.year


async def test_a_second_teacher_sees_only_their_subject(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    response = await client.get("/api/v1/teacher/classes", headers=teaching.auth("teacher_fr"))
    [only] = response.json()
    assert only["id"] == str(teaching.classes["c1"].id)
    assert [s["code"] for s in only["subjects"]] == ["FR"]


async def test_roster_lists_the_class_pupils_by_name(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    c1 = teaching.classes["c1"]
    response = await client.get(
        f"/api/v1/teacher/classes/{c1.id}/pupils", headers=teaching.auth("teacher")
    )
    assert response.status_code == 200
    codes = [p["massar_code"] for p in response.json()]
    expected = sorted(teaching.pupils["c1"], key=lambda p: (p.last_name, p.first_name))
    assert codes == [p.massar_code for p in expected]


@pytest.mark.parametrize("who", ["teacher", "teacher_fr"])
async def test_roster_of_a_class_not_taught_is_404(
    client: httpx.AsyncClient, teaching: TeachingWorld, who: str
) -> None:
    # teacher_fr does not teach c2; nobody in school a1 teaches c3 (another school).
    for name in ("c3",) if who == "teacher" else ("c2", "c3"):
        target = teaching.classes[name]
        response = await client.get(
            f"/api/v1/teacher/classes/{target.id}/pupils", headers=teaching.auth(who)
        )
        assert response.status_code == 404
        for pupil in teaching.pupils[name]:
            assert pupil.massar_code not in response.text


@pytest.mark.parametrize("who", OTHER_ROLES)
@pytest.mark.parametrize("path", ["/profile", "/classes", "/classes/{c1}/pupils", "/timetable"])
async def test_other_roles_get_403(
    client: httpx.AsyncClient, teaching: TeachingWorld, who: str, path: str
) -> None:
    url = "/api/v1/teacher" + path.format(c1=teaching.classes["c1"].id)
    response = await client.get(url, headers=teaching.auth(who))
    assert response.status_code == 403
    assert teaching.pupils["c1"][0].massar_code not in response.text


async def test_profile_has_the_staff_file_and_assignments(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    teacher = teaching.world.users["teacher"]
    session.add(
        TeacherProfile(
            user_id=teacher.id,
            school_id=teacher.school_id,
            ppr="1234567",
            rank="Professeur de l'enseignement secondaire collégial, 1er grade",
            specialty_subject_id=teaching.subjects["MATH"].id,
        )
    )
    await session.commit()
    profile = (await client.get("/api/v1/teacher/profile", headers=teaching.auth("teacher"))).json()
    assert profile["ppr"] == "1234567"
    assert profile["specialty"]["code"] == "MATH"
    assert profile["school"]["code"] == teaching.world.schools["a1"].code
    assert len(profile["assignments"]) == 2


async def test_timetable_of_a_week_is_dated(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    teacher = teaching.world.users["teacher"]
    c1 = teaching.classes["c1"]
    session.add_all(
        [
            TimetableSlot(
                school_id=c1.school_id,
                school_year=teaching.year,
                class_id=c1.id,
                subject_id=teaching.subjects["MATH"].id,
                teacher_id=teacher.id,
                weekday=weekday,
                starts_at=time(8, 30),
                ends_at=time(10, 30),
                room="S12",
            )
            for weekday in (1, 3)
        ]
    )
    await session.commit()
    response = await client.get(
        "/api/v1/teacher/timetable", params={"week": "2026-W48"}, headers=teaching.auth("teacher")
    )
    week = response.json()
    assert week["week"] == "2026-W48"
    assert [e["date"] for e in week["entries"]] == ["2026-11-23", "2026-11-25"]
    assert week["entries"][0]["school_class"]["name"] == c1.name
    assert week["entries"][0]["room"] == "S12"
    # The other teacher's week is empty.
    other = await client.get("/api/v1/teacher/timetable", headers=teaching.auth("teacher_fr"))
    assert other.json()["entries"] == []


async def test_a_bad_week_is_422(client: httpx.AsyncClient, teaching: TeachingWorld) -> None:
    response = await client.get(
        "/api/v1/teacher/timetable", params={"week": "2026-48"}, headers=teaching.auth("teacher")
    )
    assert response.status_code == 422


async def test_reads_answer_if_none_match_with_304(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    headers = teaching.auth("teacher")
    first = await client.get("/api/v1/teacher/classes", headers=headers)
    etag = first.headers["etag"]
    again = await client.get("/api/v1/teacher/classes", headers=headers | {"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    stale = await client.get(
        "/api/v1/teacher/classes", headers=headers | {"If-None-Match": 'W/"old"'}
    )
    assert stale.status_code == 200


async def test_roster_updated_since(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    c1 = teaching.classes["c1"]
    url = f"/api/v1/teacher/classes/{c1.id}/pupils"
    later = "2999-01-01T00:00:00Z"
    response = await client.get(
        url, params={"updated_since": later}, headers=teaching.auth("teacher")
    )
    assert response.json() == []
    earlier = "2000-01-01T00:00:00Z"
    response = await client.get(
        url, params={"updated_since": earlier}, headers=teaching.auth("teacher")
    )
    assert len(response.json()) == 5


async def _age_class(session: AsyncSession, teaching: TeachingWorld, name: str) -> None:
    """Make the class's pupils and enrolments look synced long ago."""
    ids = [p.id for p in teaching.pupils[name]]
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    await session.execute(update(Pupil).where(Pupil.id.in_(ids)).values(updated_at=long_ago))
    await session.execute(
        update(Enrolment).where(Enrolment.pupil_id.in_(ids)).values(updated_at=long_ago)
    )


async def test_a_pupil_moved_between_classes_syncs_as_leaver_and_arrival(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    c1, c2 = teaching.classes["c1"], teaching.classes["c2"]
    await _age_class(session, teaching, "c1")
    await _age_class(session, teaching, "c2")
    mover = teaching.pupils["c1"][0]
    await session.execute(
        update(Enrolment)
        .where(Enrolment.pupil_id == mover.id, Enrolment.class_id == c1.id)
        .values(left_on=date(c1.school_year, 10, 1))
    )
    session.add(
        Enrolment(
            pupil_id=mover.id,
            class_id=c2.id,
            school_id=c2.school_id,
            school_year=c2.school_year,
            enrolled_on=date(c2.school_year, 10, 2),
        )
    )
    await session.flush()
    since = {"updated_since": "2021-01-01T00:00:00Z"}
    headers = teaching.auth("teacher")

    arrivals = await client.get(
        f"/api/v1/teacher/classes/{c2.id}/pupils", params=since, headers=headers
    )
    assert [p["id"] for p in arrivals.json()] == [str(mover.id)]
    unchanged = await client.get(
        f"/api/v1/teacher/classes/{c1.id}/pupils", params=since, headers=headers
    )
    assert unchanged.json() == []
    left = await client.get(
        f"/api/v1/teacher/classes/{c1.id}/leavers",
        params={"since": "2021-01-01T00:00:00Z"},
        headers=headers,
    )
    assert left.json() == [{"pupil_id": str(mover.id), "left_on": f"{c1.school_year}-10-01"}]
    nothing_new = await client.get(
        f"/api/v1/teacher/classes/{c1.id}/leavers",
        params={"since": "2999-01-01T00:00:00Z"},
        headers=headers,
    )
    assert nothing_new.json() == []


async def test_leavers_of_a_class_not_taught_is_404_and_other_roles_403(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    params = {"since": "2021-01-01T00:00:00Z"}
    other = teaching.classes["c3"]
    response = await client.get(
        f"/api/v1/teacher/classes/{other.id}/leavers",
        params=params,
        headers=teaching.auth("teacher"),
    )
    assert response.status_code == 404
    c1 = teaching.classes["c1"]
    for who in ("student", "school_staff", "parent"):
        response = await client.get(
            f"/api/v1/teacher/classes/{c1.id}/leavers", params=params, headers=teaching.auth(who)
        )
        assert response.status_code == 403
