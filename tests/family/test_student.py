"""The pupil app: my own record only, published marks only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D  # noqa: N817

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.assessment.models import TestKind, TestStatus
from app.exams.models import ExamDecision, ExamKind, ExamResult, ExamSession
from tests.factories import FamilyWorld, create_test_with_marks

VIEWS = ["profile", "timetable", "marks", "exams", "history", "absences", "homework", "tests"]


async def _publish_some_marks(session: AsyncSession, family: FamilyWorld) -> None:
    """MATH: tests 1 and 2 published, test 3 submitted (not yet published); FR: one draft."""
    t = family.teaching
    c1, math, fr = t.classes["c1"], t.subjects["MATH"], t.subjects["FR"]
    teacher, teacher_fr = t.world.users["teacher"], t.world.users["teacher_fr"]
    child, other = family.child, family.unverified
    await create_test_with_marks(session, c1, math, teacher, {child: D("12"), other: D("8")})
    await create_test_with_marks(
        session, c1, math, teacher, {child: D("15.5"), other: "absent"}, kind=TestKind.TEST_2
    )
    await create_test_with_marks(
        session,
        c1,
        math,
        teacher,
        {child: D("2"), other: D("2")},
        kind=TestKind.TEST_3,
        status=TestStatus.SUBMITTED,
    )
    await create_test_with_marks(
        session, c1, fr, teacher_fr, {child: D("19")}, status=TestStatus.DRAFT
    )
    await session.commit()


async def test_marks_show_only_published_tests_with_averages(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    await _publish_some_marks(session, family)
    response = await client.get(
        "/api/v1/student/marks", params={"semester": 1}, headers=family.auth("student")
    )
    assert response.status_code == 200, response.text
    report = response.json()
    by_code = {s["subject"]["code"]: s for s in report["subjects"]}
    math = by_code["MATH"]
    assert math["status"] == "published"
    assert D(math["tests"]["test_1"]["mark"]) == D("12")
    assert D(math["tests"]["test_2"]["mark"]) == D("15.5")
    assert math["tests"]["test_3"] is None  # submitted, not published
    # (12 + 15.5) / 2 = 13.75
    assert D(math["average"]) == D("13.75")
    # Class: the child 13.75, the other pupil 8 (absent from test 2):
    # (13.75 + 8) / 2 = 10.875 → 10.88
    assert D(math["class_average"]) == D("10.88")
    fr = by_code["FR"]
    assert fr["status"] == "not_published"
    assert fr["average"] is None
    assert fr["tests"]["test_1"] is None
    # Only MATH counts: 13.75; FR is left out and named.
    assert D(report["semester_average"]) == D("13.75")
    assert report["left_out"] == ["FR"]


async def test_unpublished_marks_never_leave_through_any_student_route(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    await _publish_some_marks(session, family)
    for view in VIEWS:
        response = await client.get(f"/api/v1/student/{view}", headers=family.auth("student"))
        assert response.status_code == 200, view
        # The draft 19 and the submitted 2.00 appear nowhere.
        assert '"19.00"' not in response.text, view
        assert '"2.00"' not in response.text, view


async def test_exam_results_appear_only_after_publication(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    t = family.teaching
    school = t.world.schools["a1"]
    published = ExamSession(
        kind=ExamKind.LOCAL,
        school_year=t.year,
        level_code="1AC",
        school_id=school.id,
        name_fr="Examen local",
        name_ar="امتحان محلي",
        publish_at=datetime.now(UTC) - timedelta(hours=1),
    )
    pending = ExamSession(
        kind=ExamKind.REGIONAL,
        school_year=t.year,
        level_code="1AC",
        academy_id=school.academy_id,
        name_fr="Examen régional",
        name_ar="امتحان جهوي",
        publish_at=datetime.now(UTC) + timedelta(days=1),
    )
    session.add_all([published, pending])
    await session.flush()
    session.add_all(
        [
            ExamResult(
                school_id=school.id,
                school_year=published.school_year,
                session_id=published.id,
                pupil_id=family.child.id,
                average=D("14.25"),
                decision=ExamDecision.ADMITTED,
            ),
            ExamResult(
                school_id=school.id,
                school_year=pending.school_year,
                session_id=pending.id,
                pupil_id=family.child.id,
                average=D("9.99"),
                decision=ExamDecision.RESIT,
            ),
        ]
    )
    await session.commit()
    response = await client.get("/api/v1/student/exams", headers=family.auth("student"))
    exams = response.json()
    assert [e["name_fr"] for e in exams] == ["Examen local"]
    assert "9.99" not in response.text


async def test_profile_is_the_callers_own(client: httpx.AsyncClient, family: FamilyWorld) -> None:
    profile = (await client.get("/api/v1/student/profile", headers=family.auth("student"))).json()
    assert profile["massar_code"] == family.child.massar_code
    assert profile["school_class"]["name"] == family.teaching.classes["c1"].name
    assert profile["academy"]["code"] == "RSK"


async def test_absences_list_and_totals(client: httpx.AsyncClient, family: FamilyWorld) -> None:
    t = family.teaching
    from app.academics.calendar import school_today

    roll_call = {
        "date": school_today().isoformat(),
        "start_time": "08:30",
        "subject_id": str(t.subjects["MATH"].id),
        "marks": [
            {"pupil_id": str(family.child.id), "status": "absent"},
            {"pupil_id": str(family.unverified.id), "status": "late", "minutes_late": 5},
        ],
    }
    url = f"/api/v1/teacher/classes/{t.classes['c1'].id}/attendance"
    assert (await client.put(url, json=roll_call, headers=t.auth("teacher"))).status_code == 200
    report = (await client.get("/api/v1/student/absences", headers=family.auth("student"))).json()
    assert report["absences"] == 1
    assert report["lateness"] == 0
    assert report["items"][0]["justification"] == "none"


async def test_contact_can_be_read_and_changed(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    headers = family.auth("student")
    assert (await client.get("/api/v1/student/contact", headers=headers)).json()["phone"] is None
    patch = {
        "phone": "0612345678",
        "operator": "inwi",
        "phone_owner": "mother",
        "recovery_email": "maman@example.ma",
    }
    changed = await client.patch("/api/v1/student/contact", json=patch, headers=headers)
    assert changed.status_code == 200
    assert changed.json() == patch
    partial = await client.patch(
        "/api/v1/student/contact", json={"operator": "iam"}, headers=headers
    )
    assert partial.json()["phone"] == "0612345678"
    assert partial.json()["operator"] == "iam"


@pytest.mark.parametrize(
    "patch",
    [
        {"phone": "12345"},
        {"phone": "0812345678"},
        {"operator": "maroc-telecom"},
        {"phone_owner": "uncle"},
        {"recovery_email": "not-an-email"},
    ],
)
async def test_bad_contact_fields_are_422(
    client: httpx.AsyncClient, family: FamilyWorld, patch: dict[str, str]
) -> None:
    response = await client.patch(
        "/api/v1/student/contact", json=patch, headers=family.auth("student")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith(f"body.{next(iter(patch))}")


@pytest.mark.parametrize("who", ["parent", "teacher", "school_staff", "central_staff"])
@pytest.mark.parametrize("view", [*VIEWS, "contact"])
async def test_other_roles_get_403(
    client: httpx.AsyncClient, family: FamilyWorld, who: str, view: str
) -> None:
    response = await client.get(f"/api/v1/student/{view}", headers=family.auth(who))
    assert response.status_code == 403
