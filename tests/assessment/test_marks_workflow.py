"""The school's side of marks: validate, return, publish, audited corrections."""

from __future__ import annotations

from decimal import Decimal as D  # noqa: N817

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.assessment.models import MarkCorrection
from app.messaging.models import Notification
from tests.factories import FamilyWorld


async def _submitted_test(
    client: httpx.AsyncClient, family: FamilyWorld, kind: str = "test_1"
) -> str:
    t = family.teaching
    headers = t.auth("teacher")
    test = await client.post(
        f"/api/v1/teacher/classes/{t.classes['c1'].id}/tests",
        json={
            "subject_id": str(t.subjects["MATH"].id),
            "semester": 1,
            "kind": kind,
            "date": "2026-11-20",
            "title": "Contrôle 1",
        },
        headers=headers,
    )
    test_id = test.json()["id"]
    rows = [{"pupil_id": str(p.id), "mark": 10 + i} for i, p in enumerate(t.pupils["c1"])]
    await client.put(f"/api/v1/teacher/tests/{test_id}/marks", json=rows, headers=headers)
    assert (
        await client.post(f"/api/v1/teacher/tests/{test_id}/submit", headers=headers)
    ).status_code == 200
    return str(test_id)


async def test_validate_then_publish_reaches_pupils_and_parents(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    test_id = await _submitted_test(client, family)
    staff = family.auth("school_staff")
    before = (await client.get("/api/v1/student/marks", headers=family.auth("student"))).json()
    assert all(s["status"] == "not_published" for s in before["subjects"])

    listed = (
        await client.get("/api/v1/school/tests", params={"status": "submitted"}, headers=staff)
    ).json()
    assert [t["id"] for t in listed["items"]] == [test_id]
    validated = await client.post(f"/api/v1/school/tests/{test_id}/validate", headers=staff)
    assert validated.json()["status"] == "validated"
    # Locked for the teacher.
    locked = await client.put(
        f"/api/v1/teacher/tests/{test_id}/marks",
        json=[{"pupil_id": str(family.child.id), "mark": 1}],
        headers=family.teaching.auth("teacher"),
    )
    assert locked.status_code == 409

    class_id = family.teaching.classes["c1"].id
    published = await client.post(
        f"/api/v1/school/classes/{class_id}/publish", params={"semester": 1}, headers=staff
    )
    assert published.status_code == 200
    assert published.json()["tests_published"] == 1
    after = (await client.get("/api/v1/student/marks", headers=family.auth("student"))).json()
    math = next(s for s in after["subjects"] if s["subject"]["code"] == "MATH")
    assert D(math["tests"]["test_1"]["mark"]) == D("10")
    notified = set(
        await session.scalars(select(Notification.user_id).where(Notification.category == "marks"))
    )
    users = family.teaching.world.users
    assert {users["student"].id, users["parent"].id} <= notified
    again = await client.post(
        f"/api/v1/school/classes/{class_id}/publish", params={"semester": 1}, headers=staff
    )
    assert again.status_code == 409


async def test_return_sends_back_to_the_teacher(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    test_id = await _submitted_test(client, family)
    response = await client.post(
        f"/api/v1/school/tests/{test_id}/return",
        json={"reason": "Vérifiez la note de Nom0003"},
        headers=family.auth("school_staff"),
    )
    assert response.json()["status"] == "draft"
    teacher = family.teaching.world.users["teacher"]
    [notice] = (
        await session.scalars(select(Notification).where(Notification.user_id == teacher.id))
    ).all()
    assert "Vérifiez" in notice.body_fr
    # The teacher can change the marks again.
    fix = await client.put(
        f"/api/v1/teacher/tests/{test_id}/marks",
        json=[{"pupil_id": str(family.child.id), "mark": 11}],
        headers=family.teaching.auth("teacher"),
    )
    assert fix.status_code == 200


async def test_a_correction_is_the_audited_way_to_change_a_validated_mark(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    test_id = await _submitted_test(client, family)
    staff = family.auth("school_staff")
    marks = (
        await client.get(
            f"/api/v1/teacher/tests/{test_id}/marks", headers=family.teaching.auth("teacher")
        )
    ).json()
    mark_id = await _mark_id(session, test_id, str(family.child.id))
    early = await client.post(
        f"/api/v1/school/marks/{mark_id}/correction",
        json={"mark": 15, "reason": "Erreur de saisie"},
        headers=staff,
    )
    assert early.status_code == 409  # still the teacher's (submitted, not validated)
    await client.post(f"/api/v1/school/tests/{test_id}/validate", headers=staff)
    corrected = await client.post(
        f"/api/v1/school/marks/{mark_id}/correction",
        json={"mark": 15, "reason": "Erreur de saisie"},
        headers=staff,
    )
    assert corrected.status_code in (200, 201), corrected.text
    audit = corrected.json()
    assert D(audit["old_mark"]) == D("10")
    assert D(audit["new_mark"]) == D("15")
    assert audit["corrected_by"] == str(family.teaching.world.users["school_staff"].id)
    assert marks["test"]["status"] == "submitted"
    [kept] = (await session.scalars(select(MarkCorrection))).all()
    assert kept.reason == "Erreur de saisie"


async def _mark_id(session: AsyncSession, test_id: str, pupil_id: str) -> str:
    from app.assessment.models import Mark

    return str(
        await session.scalar(
            select(Mark.id).where(Mark.test_id == test_id, Mark.pupil_id == pupil_id)
        )
    )


@pytest.mark.parametrize(
    "body",
    [
        {"reason": "Erreur de saisie"},
        {"mark": 21, "reason": "x" * 10},
        {"mark": 12, "absent": True, "reason": "x" * 10},
        {"mark": 12},
    ],
)
async def test_bad_corrections_are_422(
    client: httpx.AsyncClient, family: FamilyWorld, body: dict[str, object]
) -> None:
    response = await client.post(
        "/api/v1/school/marks/00000000-0000-4000-8000-000000000000/correction",
        json=body,
        headers=family.auth("school_staff"),
    )
    assert response.status_code == 422


async def test_another_schools_staff_gets_404(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    test_id = await _submitted_test(client, family)
    other = family.auth("other_school_staff")
    assert (
        await client.post(f"/api/v1/school/tests/{test_id}/validate", headers=other)
    ).status_code == 404
    class_id = family.teaching.classes["c1"].id
    assert (
        await client.post(
            f"/api/v1/school/classes/{class_id}/publish", params={"semester": 1}, headers=other
        )
    ).status_code == 404
    mark_id = await _mark_id(session, test_id, str(family.child.id))
    correction = {"mark": 1, "reason": "tentative"}
    assert (
        await client.post(
            f"/api/v1/school/marks/{mark_id}/correction", json=correction, headers=other
        )
    ).status_code == 404
    assert (await client.get("/api/v1/school/tests", headers=other)).json()["items"] == []


@pytest.mark.parametrize("who", ["teacher", "parent", "student", "province_staff"])
async def test_other_roles_get_403(
    client: httpx.AsyncClient, family: FamilyWorld, who: str
) -> None:
    headers = family.auth(who)
    assert (await client.get("/api/v1/school/tests", headers=headers)).status_code == 403
    fake = "00000000-0000-4000-8000-000000000000"
    assert (
        await client.post(f"/api/v1/school/tests/{fake}/validate", headers=headers)
    ).status_code == 403


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE marks SET mark = 1 WHERE test_id = :test",
        "DELETE FROM marks WHERE test_id = :test",
        "INSERT INTO marks (id, school_id, school_year, test_id, pupil_id, mark, absent)"
        " SELECT gen_random_uuid(), school_id, school_year, id, :pupil, 5, false"
        " FROM class_tests WHERE id = :test",
    ],
    ids=["update", "delete", "insert"],
)
async def test_the_database_refuses_marks_written_past_the_draft(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, statement: str
) -> None:
    test_id = await _submitted_test(client, family)
    stranger = family.teaching.pupils["c2"][0]  # no mark on this test yet
    with pytest.raises(IntegrityError, match="are locked"):
        async with session.begin_nested():
            await session.execute(text(statement), {"test": test_id, "pupil": stranger.id})


async def test_a_validation_and_a_marks_write_at_once_leave_no_mark_changed_after_it(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    test_id = await _submitted_test(client, family)
    staff = family.auth("school_staff")
    validated = await client.post(f"/api/v1/school/tests/{test_id}/validate", headers=staff)
    assert validated.status_code == 200
    # Whatever a service let through, the database holds the line.
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            await session.execute(
                text("UPDATE marks SET mark = 2 WHERE test_id = :test"), {"test": test_id}
            )
    corrected = await client.post(
        f"/api/v1/school/marks/{await _a_mark(session, test_id)}/correction",
        json={"mark": 12, "absent": False, "reason": "Erreur de report"},
        headers=staff,
    )
    assert corrected.status_code in (200, 201), corrected.text


async def _a_mark(session: AsyncSession, test_id: str) -> str:
    mark_id = await session.scalar(
        text("SELECT id FROM marks WHERE test_id = :test LIMIT 1"), {"test": test_id}
    )
    return str(mark_id)
