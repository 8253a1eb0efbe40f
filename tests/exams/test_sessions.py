"""Exam sessions end to end over HTTP: a directorate's 6AP provincial exam, and the ministry's
bac with its resit; averages, decisions and mentions against hand-worked cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil, SchoolClass, Stream
from app.core.roles import Role
from app.exams.models import ExamKind
from app.exams.sessions import announce_published_exams
from app.family.models import GuardianLink, Kinship
from app.messaging.models import Notification
from app.organisation.models import Province
from tests.factories import (
    World,
    access_token,
    assign,
    create_class,
    create_exam_component,
    create_pupil,
    create_test_with_marks,
    create_user,
    ensure_current_year,
    subject,
)

STEERING = "/api/v1/steering/exams"
SCHOOL = "/api/v1/school/exams"


@dataclass
class Cohort:
    """A class of one level in school a1, its pupils' published continuous marks, and the
    world's student and parent attached to its first pupil."""

    year: int
    school_class: SchoolClass
    pupils: list[Pupil]
    subjects: dict[str, str]
    stream_id: str | None = None


async def bac_stream(session: AsyncSession, level_code: str, code: str) -> Stream:
    stream = await session.scalar(
        select(Stream).where(Stream.level_code == level_code, Stream.code == code)
    )
    assert stream is not None
    return stream


async def _cohort(
    session: AsyncSession, world: World, level_code: str, continuous: list[str]
) -> Cohort:
    year = await ensure_current_year(session)
    stream = await bac_stream(session, "2BAC", "SPF") if level_code == "2BAC" else None
    school_class = await create_class(
        session, world.schools["a1"], level_code=level_code, stream=stream
    )
    pupils = [await create_pupil(session, school_class) for _ in continuous]
    maths, french = await subject(session, "MATH"), await subject(session, "FR")
    await assign(session, world.users["teacher"], school_class, maths)
    await create_test_with_marks(
        session,
        school_class,
        maths,
        world.users["teacher"],
        {p: Decimal(m) for p, m in zip(pupils, continuous, strict=True)},
    )
    pupils[0].user_id = world.users["student"].id
    session.add(
        GuardianLink(
            parent_id=world.users["parent"].id,
            pupil_id=pupils[0].id,
            kinship=Kinship.FATHER,
            verified_at=datetime.now(UTC),
        )
    )
    await session.flush()
    subjects = {"MATH": str(maths.id), "FR": str(french.id)}
    return Cohort(year, school_class, pupils, subjects, str(stream.id) if stream else None)


async def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


class Organiser:
    """An organiser's calls on one face."""

    def __init__(self, client: httpx.AsyncClient, base: str, headers: dict[str, str]) -> None:
        self.client, self.base, self.headers = client, base, headers

    async def create(self, **body: Any) -> dict[str, Any]:
        return await _ok(await self.client.post(self.base, json=body, headers=self.headers), 201)

    async def post(self, exam_id: str, action: str, status: int = 200, **body: Any) -> Any:
        response = await self.client.post(
            f"{self.base}/{exam_id}/{action}", json=body or None, headers=self.headers
        )
        return await _ok(response, status)

    async def marks(self, exam_id: str, subject_id: str, rows: list[dict[str, Any]]) -> Any:
        return await self.client.put(
            f"{self.base}/{exam_id}/subjects/{subject_id}/marks", json=rows, headers=self.headers
        )

    async def results(self, exam_id: str) -> dict[str, dict[str, Any]]:
        rows = await _ok(
            await self.client.get(f"{self.base}/{exam_id}/results", headers=self.headers)
        )
        return {r["pupil_id"]: r for r in rows}


def _numbers(candidates: list[dict[str, Any]]) -> dict[str, str]:
    return {c["pupil_id"]: c["candidate_number"] for c in candidates}


def _subjects(cohort: Cohort, **coefficients: int) -> list[dict[str, Any]]:
    return [
        {"subject_id": cohort.subjects[code], "coefficient": c, "duration_minutes": 90}
        for code, c in coefficients.items()
    ]


async def _mark_all(
    organiser: Organiser, exam_id: str, subject_id: str, marks: dict[str, Any]
) -> None:
    rows = [
        {"candidate_number": n, "absent": True}
        if m == "absent"
        else {"candidate_number": n, "mark": m}
        for n, m in marks.items()
    ]
    await _ok(await organiser.marks(exam_id, subject_id, rows))


async def test_a_directorate_runs_the_6ap_provincial_exam(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    cohort = await _cohort(session, world, "6AP", ["8", "4", "6", "7"])
    p1, p2, p3, p4 = (str(p.id) for p in cohort.pupils)
    school = Organiser(client, SCHOOL, world.auth("school_staff"))
    directorate = Organiser(client, STEERING, world.auth("province_staff"))

    # The school's own unified exam: a component of the certificate.
    local = await school.create(
        level_code="6AP",
        school_year=cohort.year,
        name_fr="Examen local unifié 6AP",
        name_ar="الامتحان الموحد المحلي",
        subjects=_subjects(cohort, MATH=1),
    )
    numbers = _numbers(await school.post(local["id"], "candidates"))
    await school.post(local["id"], "marking")
    await _mark_all(
        school,
        local["id"],
        cohort.subjects["MATH"],
        {numbers[p1]: 8, numbers[p2]: 4, numbers[p3]: 6, numbers[p4]: 7},
    )
    await school.post(local["id"], "deliberate")

    exam = await directorate.create(
        level_code="6AP",
        school_year=cohort.year,
        name_fr="Examen provincial 6AP",
        name_ar="الامتحان الإقليمي الموحد",
        starts_on=f"{cohort.year + 1}-06-10",
        ends_on=f"{cohort.year + 1}-06-11",
        subjects=_subjects(cohort, MATH=2, FR=1),
    )
    assert exam["kind"] == "provincial"
    assert exam["state"] == "draft"
    assert [m["fr"] for m in exam["mentions"]] == ["Passable", "Assez bien", "Bien", "Très bien"]
    numbers = _numbers(await directorate.post(exam["id"], "candidates"))
    assert set(numbers) == {p1, p2, p3, p4}
    # Marks wait for the marking state.
    early = await directorate.marks(exam["id"], cohort.subjects["MATH"], [])
    assert early.status_code == 409
    await directorate.post(exam["id"], "marking")

    # Out of 10 in primary: 11 is refused, with the row named, and nothing written.
    refused = await directorate.marks(
        exam["id"],
        cohort.subjects["MATH"],
        [
            {"candidate_number": numbers[p1], "mark": 9},
            {"candidate_number": numbers[p2], "mark": 11},
        ],
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["body.1.mark"]
    assert (await directorate.results(exam["id"]))[p1]["subjects"] == []

    maths = {numbers[p1]: 9, numbers[p2]: 4, numbers[p3]: 5, numbers[p4]: "absent"}
    await _mark_all(directorate, exam["id"], cohort.subjects["MATH"], maths)
    replay = await directorate.marks(
        exam["id"], cohort.subjects["MATH"], [{"candidate_number": numbers[p1], "mark": 9}]
    )
    assert replay.status_code == 200
    sheet = "Numéro candidat;Note;Absent\n" + "\n".join(
        f"{numbers[p]};{m};" for p, m in ((p1, "6"), (p2, "4"), (p3, "5,5"))
    )
    imported = await client.post(
        f"{STEERING}/{exam['id']}/subjects/{cohort.subjects['FR']}/marks/import",
        files={"file": ("fr.csv", sheet.encode(), "text/csv")},
        headers=directorate.headers,
    )
    assert (await _ok(imported))["written"] == 3

    # p4 has no French mark: the deliberation is refused, naming the candidate.
    missing = await client.post(f"{STEERING}/{exam['id']}/deliberate", headers=directorate.headers)
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == [f"candidates.{numbers[p4]}"]
    assert missing.json()["errors"][0]["code"] == "missing_mark"

    await _mark_all(directorate, exam["id"], cohort.subjects["FR"], {numbers[p4]: "absent"})
    await directorate.post(exam["id"], "deliberate")
    first = await directorate.results(exam["id"])
    # p1: exam (2×9 + 6)/3 = 8; 50 % × 8 + 25 % × 8 + 25 % × 8 = 8 → Très bien at its line.
    assert first[p1]["exam_average"] == "8.00"
    assert first[p1]["average"] == "8.00"
    assert (first[p1]["decision"], first[p1]["mention_fr"]) == ("admitted", "Très bien")
    # p2: 4 everywhere, below the pass line of 5, and no resit: refused.
    assert (first[p2]["average"], first[p2]["decision"]) == ("4.00", "not_admitted")
    # p3: exam (10 + 5.5)/3 = 5.17; 3 + 1.5 + 1.2925 = 5.79 → Passable.
    assert first[p3]["exam_average"] == "5.17"
    assert first[p3]["average"] == "5.79"
    assert (first[p3]["decision"], first[p3]["mention_fr"]) == ("admitted", "Passable")
    # p4: absent from every subject.
    assert (first[p4]["average"], first[p4]["decision"]) == (None, "not_admitted")
    # The same data deliberated again: the same answer.
    await directorate.post(exam["id"], "marking")
    await directorate.post(exam["id"], "deliberate")
    assert await directorate.results(exam["id"]) == first

    # Published in an hour: nobody sees it yet.
    later = datetime.now(UTC) + timedelta(hours=1)
    await directorate.post(exam["id"], "publish", publish_at=later.isoformat())
    assert await _sessions_seen(client, world, "student") == []
    await directorate.post(
        exam["id"], "publish", publish_at=(datetime.now(UTC) - timedelta(hours=1)).isoformat()
    )
    for who in ("student", "parent"):
        seen = await _sessions_seen(client, world, who, cohort.pupils[0])
        assert [(s["kind"], s["decision"], s["mention_fr"], s["average"]) for s in seen] == [
            ("provincial", "admitted", "Très bien", "8.00")
        ]
    assert await announce_published_exams(session) == 1
    told = await session.scalars(
        select(Notification.user_id).where(Notification.category == "exam_results")
    )
    assert set(told.all()) == {world.users["student"].id, world.users["parent"].id}


async def _sessions_seen(
    client: httpx.AsyncClient, world: World, who: str, pupil: Pupil | None = None
) -> list[dict[str, Any]]:
    path = (
        "/api/v1/student/exams"
        if who == "student"
        else f"/api/v1/parent/children/{pupil.id if pupil else ''}/exams"
    )
    return list(await _ok(await client.get(path, headers=world.auth(who))))


async def test_the_ministry_runs_the_bac_and_its_resit(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    cohort = await _cohort(session, world, "2BAC", ["6", "12"])
    q1, q2 = cohort.pupils
    # q1 is the world's student; q2's 1BAC regional exam was 8, q1's 10.
    for pupil, regional in ((q1, "8"), (q2, "10")):
        await create_exam_component(
            session,
            pupil,
            kind=ExamKind.REGIONAL,
            level_code="1BAC",
            school_year=cohort.year - 1,
            exam_average=Decimal(regional),
        )
    ministry = Organiser(client, STEERING, world.auth("central_staff"))
    normal = await ministry.create(
        level_code="2BAC",
        school_year=cohort.year,
        name_fr="Baccalauréat, session normale",
        name_ar="البكالوريا، الدورة العادية",
        resit_threshold=7,
        stream_ids=[cohort.stream_id],
        subjects=_subjects(cohort, MATH=2, FR=1),
    )
    numbers = _numbers(await ministry.post(normal["id"], "candidates"))
    await ministry.post(normal["id"], "marking")
    await _mark_all(
        ministry,
        normal["id"],
        cohort.subjects["MATH"],
        {numbers[str(q1.id)]: 6, numbers[str(q2.id)]: 14},
    )
    await _mark_all(
        ministry,
        normal["id"],
        cohort.subjects["FR"],
        {numbers[str(q1.id)]: 9, numbers[str(q2.id)]: 11},
    )
    await ministry.post(normal["id"], "deliberate")
    results = await ministry.results(normal["id"])
    # q1: exam (12 + 9)/3 = 7; 25 % × 6 + 25 % × 8 + 50 % × 7 = 7, the resit threshold: resit.
    assert (results[str(q1.id)]["average"], results[str(q1.id)]["decision"]) == ("7.00", "resit")
    # q2: exam (28 + 11)/3 = 13; 3 + 2.5 + 6.5 = 12 → Assez bien at its line.
    assert (results[str(q2.id)]["average"], results[str(q2.id)]["mention_fr"]) == (
        "12.00",
        "Assez bien",
    )
    await ministry.post(
        normal["id"], "publish", publish_at=(datetime.now(UTC) - timedelta(hours=1)).isoformat()
    )

    resit = await ministry.create(
        level_code="2BAC",
        school_year=cohort.year,
        name_fr="Baccalauréat, session de rattrapage",
        name_ar="البكالوريا، الدورة الاستدراكية",
        round="resit",
        normal_session_id=normal["id"],
    )
    assert len(resit["subjects"]) == 2
    numbers = _numbers(await ministry.post(resit["id"], "candidates"))
    assert list(numbers) == [str(q1.id)]
    await ministry.post(resit["id"], "marking")
    number = numbers[str(q1.id)]
    await _mark_all(ministry, resit["id"], cohort.subjects["MATH"], {number: 16})
    await _mark_all(ministry, resit["id"], cohort.subjects["FR"], {number: 5})
    await ministry.post(resit["id"], "deliberate")
    after = (await ministry.results(resit["id"]))[str(q1.id)]
    # Better of the two: MATH 16, FR 9 (not 5): (32 + 9)/3 = 13.67; 1.5 + 2 + 6.835 = 10.34.
    # With the resit's FR alone it would be 9.67, refused.
    assert (after["exam_average"], after["average"]) == ("13.67", "10.34")
    assert (after["decision"], after["mention_fr"]) == ("admitted", "Passable")
    await ministry.post(
        resit["id"], "publish", publish_at=(datetime.now(UTC) - timedelta(hours=1)).isoformat()
    )
    seen = await _sessions_seen(client, world, "student")
    assert [(s["round"], s["decision"]) for s in seen] == [
        ("resit", "admitted"),
        ("normal", "resit"),
    ]
    history = await _ok(await client.get("/api/v1/student/history", headers=world.auth("student")))
    assert history[0]["decision"] == "admitted"


async def test_every_write_checks_the_organisers_scope(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    cohort = await _cohort(session, world, "6AP", ["6"])
    directorate = Organiser(client, STEERING, world.auth("province_staff"))
    exam = await directorate.create(
        level_code="6AP",
        school_year=cohort.year,
        name_fr="Examen provincial",
        name_ar="امتحان إقليمي",
        subjects=_subjects(cohort, MATH=1),
    )
    anfa = (await session.execute(select(Province).where(Province.code == "CS-ANFA"))).scalar_one()
    elsewhere = await create_user(session, Role.PROVINCE_STAFF, province=anfa)
    strangers = {
        "another directorate": {
            "Authorization": f"Bearer {await access_token(session, elsewhere)}"
        },
        "the academy": world.auth("academy_staff"),
        "the ministry": world.auth("central_staff"),
    }
    for who, headers in strangers.items():
        for action in ("candidates", "marking", "deliberate"):
            answer = await client.post(f"{STEERING}/{exam['id']}/{action}", headers=headers)
            assert answer.status_code == 404, (who, action, answer.text)
        # The units above the directorate read its session (tests/exams/test_figures.py).
        got = await client.get(f"{STEERING}/{exam['id']}", headers=headers)
        assert got.status_code == (404 if who == "another directorate" else 200), who
    pupil = await client.post(f"{STEERING}/{exam['id']}/candidates", headers=world.auth("student"))
    assert pupil.status_code == 403
    # A directorate examines 6AP only.
    wrong = await client.post(
        STEERING,
        json={"level_code": "3AC", "school_year": cohort.year, "name_fr": "x", "name_ar": "x"},
        headers=directorate.headers,
    )
    assert wrong.status_code == 422


@pytest.mark.parametrize("title", ["secretary", "discipline_office"])
async def test_the_schools_exams_are_the_director_and_deputys(
    client: httpx.AsyncClient, session: AsyncSession, world: World, title: str
) -> None:
    from app.core.roles import StaffTitle

    staff = await create_user(
        session, Role.SCHOOL_STAFF, school=world.schools["a1"], title=StaffTitle(title)
    )
    year = await ensure_current_year(session)
    answer = await client.post(
        SCHOOL,
        json={"level_code": "3AC", "school_year": year, "name_fr": "x", "name_ar": "x"},
        headers={"Authorization": f"Bearer {await access_token(session, staff)}"},
    )
    assert answer.status_code == 403
