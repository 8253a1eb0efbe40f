"""Appeals on a published exam result over HTTP: the pupil or a parent asks for a subject to
be marked again, the organiser accepts with the new mark (the candidate's averages and
decision follow, hand-worked) or rejects with a reason, and the family is told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.roles import Role, StaffTitle
from app.messaging.models import Notification
from app.organisation.models import Province
from tests.exams.test_figures import _figures_of, _live
from tests.exams.test_sessions import (
    SCHOOL,
    STEERING,
    Organiser,
    _cohort,
    _mark_all,
    _numbers,
    _ok,
    _subjects,
)
from tests.factories import World, access_token, create_class, create_pupil, create_user


def _ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


async def _bearer(session: AsyncSession, role: Role, **where: Any) -> dict[str, str]:
    user = await create_user(session, role, **where)
    return {"Authorization": f"Bearer {await access_token(session, user)}"}


async def test_an_accepted_appeal_changes_the_decision_and_a_rejected_one_says_why(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    # The world's student (and their verified parent's child) has a continuous 4 out of 10.
    cohort = await _cohort(session, world, "6AP", ["4"])
    pupil = str(cohort.pupils[0].id)
    maths, french = cohort.subjects["MATH"], cohort.subjects["FR"]
    school = Organiser(client, SCHOOL, world.auth("school_staff"))
    directorate = Organiser(client, STEERING, world.auth("province_staff"))
    local = await school.create(
        level_code="6AP",
        school_year=cohort.year,
        name_fr="Examen local",
        name_ar="الامتحان المحلي",
        subjects=_subjects(cohort, MATH=1),
    )
    number = _numbers(await school.post(local["id"], "candidates"))[pupil]
    await school.post(local["id"], "marking")
    await _mark_all(school, local["id"], maths, {number: 4})
    await school.post(local["id"], "deliberate")
    exam = await directorate.create(
        level_code="6AP",
        school_year=cohort.year,
        name_fr="Examen provincial",
        name_ar="الامتحان الإقليمي",
        subjects=_subjects(cohort, MATH=2, FR=1),
    )
    number = _numbers(await directorate.post(exam["id"], "candidates"))[pupil]
    await directorate.post(exam["id"], "marking")
    await _mark_all(directorate, exam["id"], maths, {number: 4})
    await _mark_all(directorate, exam["id"], french, {number: 4})
    await directorate.post(exam["id"], "deliberate")
    # 4 everywhere: below the pass line of 5, refused.
    assert (await directorate.results(exam["id"]))[pupil]["decision"] == "not_admitted"

    student_appeals = f"/api/v1/student/exams/{exam['id']}/appeals"
    parent_appeals = f"/api/v1/parent/children/{pupil}/exams/{exam['id']}/appeals"
    # Not out yet: the result is not there to appeal.
    hidden = await client.post(
        student_appeals, json={"subject_id": maths}, headers=world.auth("student")
    )
    assert hidden.status_code == 404
    # Published eleven days ago: the ten days' window has closed.
    await directorate.post(exam["id"], "publish", publish_at=_ago(days=11))
    closed = await client.post(
        student_appeals, json={"subject_id": maths}, headers=world.auth("student")
    )
    assert closed.status_code == 409
    assert closed.json()["type"].endswith("/exam-appeal-closed")
    await directorate.post(exam["id"], "publish", publish_at=_ago(hours=1))

    filed = await _ok(
        await client.post(
            student_appeals, json={"subject_id": maths}, headers=world.auth("student")
        ),
        201,
    )
    assert (filed["status"], filed["old_mark"]) == ("filed", "4.00")
    again = await client.post(
        parent_appeals, json={"subject_id": maths}, headers=world.auth("parent")
    )
    assert again.status_code == 409
    assert again.json()["type"].endswith("/exam-appeal-exists")
    by_parent = await _ok(
        await client.post(
            parent_appeals, json={"subject_id": french}, headers=world.auth("parent")
        ),
        201,
    )
    assert by_parent["filed_by"] == str(world.users["parent"].id)
    listed = await _ok(
        await client.get(f"{STEERING}/{exam['id']}/appeals", headers=directorate.headers)
    )
    assert {a["id"] for a in listed} == {filed["id"], by_parent["id"]}

    # Re-marked 10 out of 10: exam (2 × 10 + 4) / 3 = 8; general 50 % × 4 + 25 % × 4 +
    # 25 % × 8 = 5, the pass line: admitted, Passable.
    decide = f"{STEERING}/{exam['id']}/appeals/{filed['id']}/decision"
    over = await client.post(
        decide, json={"decision": "accept", "mark": 11}, headers=directorate.headers
    )
    assert over.status_code == 422  # out of 10 in primary
    accepted = await _ok(
        await client.post(
            decide, json={"decision": "accept", "mark": 10}, headers=directorate.headers
        )
    )
    assert (accepted["status"], accepted["old_mark"], accepted["new_mark"]) == (
        "accepted",
        "4.00",
        "10.00",
    )
    assert accepted["decided_by"] == str(world.users["province_staff"].id)
    assert accepted["decided_at"] is not None
    result = (await directorate.results(exam["id"]))[pupil]
    assert (result["exam_average"], result["average"]) == ("8.00", "5.00")
    assert (result["decision"], result["mention_fr"]) == ("admitted", "Passable")
    replay = await client.post(
        decide, json={"decision": "reject", "reason": "x"}, headers=directorate.headers
    )
    assert replay.status_code == 409
    assert replay.json()["type"].endswith("/exam-appeal-decided")
    # The family reads the new result at once (the published snapshot was rebuilt).
    for who, path in (
        ("student", "/api/v1/student/exams"),
        ("parent", f"/api/v1/parent/children/{pupil}/exams"),
    ):
        seen = await _ok(await client.get(path, headers=world.auth(who)))
        mine = next(s for s in seen if s["session_id"] == exam["id"])
        assert (mine["average"], mine["decision"]) == ("5.00", "admitted")
    # The session's figures took the correction in its transaction.
    figures = await _ok(
        await client.get(f"{STEERING}/{exam['id']}/figures", headers=directorate.headers)
    )
    assert _figures_of(figures) == await _live(session, exam)
    assert figures["counts"]["admitted"] == 1

    reject = f"{STEERING}/{exam['id']}/appeals/{by_parent['id']}/decision"
    no_reason = await client.post(reject, json={"decision": "reject"}, headers=directorate.headers)
    assert no_reason.status_code == 422
    rejected = await _ok(
        await client.post(
            reject,
            json={"decision": "reject", "reason": "Copie revue : la note est confirmée."},
            headers=directorate.headers,
        )
    )
    assert (rejected["status"], rejected["new_mark"]) == ("rejected", None)
    assert rejected["reason"] == "Copie revue : la note est confirmée."
    assert (await directorate.results(exam["id"]))[pupil]["average"] == "5.00"

    told = (
        await session.execute(
            select(Notification.user_id, Notification.data["status"].astext).where(
                Notification.category == "exam_results",
                Notification.data["appeal_id"].astext.is_not(None),
            )
        )
    ).all()
    family = {world.users["student"].id, world.users["parent"].id}
    assert sorted(told) == sorted(
        (user, status) for user in family for status in ("accepted", "rejected")
    )
    figures = await _ok(
        await client.get(f"{STEERING}/{exam['id']}/appeals/figures", headers=directorate.headers)
    )
    assert figures == {
        "filed": 2,
        "pending": 0,
        "accepted": 1,
        "rejected": 1,
        "marks_raised": 1,
    }


async def test_appeals_are_the_familys_and_the_organisers_only(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    cohort = await _cohort(session, world, "6AP", ["6"])
    pupil = str(cohort.pupils[0].id)
    maths = cohort.subjects["MATH"]
    school = Organiser(client, SCHOOL, world.auth("school_staff"))
    exam = await school.create(
        level_code="6AP",
        school_year=cohort.year,
        name_fr="Examen local",
        name_ar="الامتحان المحلي",
        subjects=_subjects(cohort, MATH=1),
    )
    number = _numbers(await school.post(exam["id"], "candidates"))[pupil]
    await school.post(exam["id"], "marking")
    await _mark_all(school, exam["id"], maths, {number: 6})
    await school.post(exam["id"], "deliberate")
    await school.post(exam["id"], "publish", publish_at=_ago(hours=1))

    # Another family's parent, and a pupil of another school: no such result for them.
    stranger_parent = await _bearer(session, Role.PARENT)
    elsewhere = await create_pupil(
        session, await create_class(session, world.schools["c"], level_code="6AP")
    )
    other_pupil = await create_user(session, Role.STUDENT, school=world.schools["c"])
    elsewhere.user_id = other_pupil.id
    await session.flush()
    other_student = {"Authorization": f"Bearer {await access_token(session, other_pupil)}"}
    body = {"subject_id": maths}
    refused = await client.post(
        f"/api/v1/parent/children/{pupil}/exams/{exam['id']}/appeals",
        json=body,
        headers=stranger_parent,
    )
    assert refused.status_code == 404
    refused = await client.post(
        f"/api/v1/student/exams/{exam['id']}/appeals", json=body, headers=other_student
    )
    assert refused.status_code == 404
    # A subject the result does not have.
    french = {"subject_id": cohort.subjects["FR"]}
    wrong = await client.post(
        f"/api/v1/student/exams/{exam['id']}/appeals", json=french, headers=world.auth("student")
    )
    assert wrong.status_code == 422
    appeal = await _ok(
        await client.post(
            f"/api/v1/student/exams/{exam['id']}/appeals", json=body, headers=world.auth("student")
        ),
        201,
    )

    base = f"{SCHOOL}/{exam['id']}/appeals"
    decide = f"{base}/{appeal['id']}/decision"
    accept = {"decision": "accept", "mark": 7}
    # Another school's director, and the steering units: not their session.
    for headers in (world.auth("other_school_staff"),):
        assert (await client.get(base, headers=headers)).status_code == 404
        assert (await client.post(decide, json=accept, headers=headers)).status_code == 404
    anfa = (await session.execute(select(Province).where(Province.code == "CS-ANFA"))).scalar_one()
    other_directorate = await _bearer(session, Role.PROVINCE_STAFF, province=anfa)
    steering = f"{STEERING}/{exam['id']}/appeals"
    for headers in (other_directorate, world.auth("province_staff")):
        assert (await client.get(steering, headers=headers)).status_code == 404
    # Wrong roles: a teacher at the school face, a pupil at the organisers', an organiser at
    # the pupils'.
    assert (await client.get(base, headers=world.auth("teacher"))).status_code == 403
    assert (await client.get(base, headers=world.auth("student"))).status_code == 403
    organiser_as_pupil = await client.post(
        f"/api/v1/student/exams/{exam['id']}/appeals", json=body, headers=school.headers
    )
    assert organiser_as_pupil.status_code == 403
    # A secretary of the school: the exams duty is the director's and deputy's.
    secretary = await _bearer(
        session, Role.SCHOOL_STAFF, school=world.schools["a1"], title=StaffTitle.SECRETARY
    )
    for answer in (
        await client.get(base, headers=secretary),
        await client.post(decide, json=accept, headers=secretary),
    ):
        assert answer.status_code == 403
        assert answer.json()["type"].endswith("/title-not-allowed")

    # The school's director decides: 6 → 7, the exam average follows.
    await _ok(await client.post(decide, json=accept, headers=school.headers))
    assert (await school.results(exam["id"]))[pupil]["exam_average"] == "7.00"
