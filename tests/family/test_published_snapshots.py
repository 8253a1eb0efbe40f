"""Published marks and exam results as snapshots: rendered at publication and at each
correction, equal to the live report, served with their version as a strong ETag."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D  # noqa: N817
from typing import Any

import httpx
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Enrolment
from app.academics.reference import load_reference
from app.assessment import snapshots
from app.assessment.models import Mark, PublishedMarks, TestKind, TestStatus
from app.assessment.report_card import exam_results, marks_report
from app.core.caching import json_bytes
from app.exams.models import (
    PublishedExamResults,
)
from app.exams.sessions import announce_published_exams
from app.family.schemas import MarksReport
from tests.factories import FamilyWorld, create_exam_with_result, create_test_with_marks

MARKS = "/api/v1/student/marks"


async def _validated_marks(session: AsyncSession, family: FamilyWorld) -> None:
    """MATH tests 1 and 2 of class c1, validated, waiting for the director to publish them."""
    t = family.teaching
    c1, math, teacher = t.classes["c1"], t.subjects["MATH"], t.world.users["teacher"]
    child, other = family.child, family.unverified
    for kind, marks in (
        (TestKind.TEST_1, {child: D("12"), other: D("8")}),
        (TestKind.TEST_2, {child: D("15.5"), other: "absent"}),
    ):
        await create_test_with_marks(
            session, c1, math, teacher, marks, kind=kind, status=TestStatus.VALIDATED
        )
    await session.commit()


async def _publish(client: httpx.AsyncClient, family: FamilyWorld) -> None:
    response = await client.post(
        f"/api/v1/school/classes/{family.teaching.classes['c1'].id}/publish",
        params={"semester": 1},
        headers=family.auth("school_staff"),
    )
    assert response.status_code == 200, response.text


async def _live_marks(session: AsyncSession, family: FamilyWorld) -> MarksReport:
    """What the live computation gives the child for the first semester."""
    reference = await load_reference(session)
    return await marks_report(session, family.child.id, family.teaching.year, 1, reference)


def _math(report: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in report["subjects"] if s["subject"]["code"] == "MATH")


async def _snapshot(session: AsyncSession, family: FamilyWorld) -> PublishedMarks:
    return (
        await session.execute(
            select(PublishedMarks)
            .where(
                PublishedMarks.pupil_id == family.child.id,
                PublishedMarks.school_year == family.teaching.year,
                PublishedMarks.semester == 1,
            )
            .execution_options(populate_existing=True)
        )
    ).scalar_one()


async def test_publication_renders_what_the_live_report_computes(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    await _validated_marks(session, family)
    await _publish(client, family)
    snapshot = await _snapshot(session, family)
    live = await _live_marks(session, family)
    assert snapshot.document == json_bytes(live).decode()
    assert snapshot.school_id == family.teaching.classes["c1"].school_id
    response = await client.get(MARKS, params={"semester": 1}, headers=family.auth("student"))
    assert response.status_code == 200
    assert response.text == snapshot.document
    assert response.headers["etag"] == f'"m{snapshot.version}"'
    assert D(_math(response.json())["average"]) == D("13.75")
    # The parent reads the very same document, under the same ETag.
    child = f"/api/v1/parent/children/{family.child.id}/marks"
    parent = await client.get(child, params={"semester": 1}, headers=family.auth("parent"))
    assert parent.text == snapshot.document
    assert parent.headers["etag"] == response.headers["etag"]


async def test_a_correction_renders_the_class_again_under_a_new_version(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    await _validated_marks(session, family)
    await _publish(client, family)
    before = (await _snapshot(session, family)).version
    first = await client.get(MARKS, params={"semester": 1}, headers=family.auth("student"))
    mark_id = await session.scalar(
        select(Mark.id).where(Mark.pupil_id == family.unverified.id, Mark.mark == D("8"))
    )
    corrected = await client.post(
        f"/api/v1/school/marks/{mark_id}/correction",
        json={"mark": 10, "reason": "Erreur de saisie"},
        headers=family.auth("school_staff"),
    )
    assert corrected.status_code in (200, 201), corrected.text
    after = await _snapshot(session, family)
    assert after.version > before
    # Another pupil's mark moved the class average the child sees.
    report = await client.get(MARKS, params={"semester": 1}, headers=family.auth("student"))
    assert D(_math(report.json())["class_average"]) == D("11.88")  # (13.75 + 10) / 2
    live = await _live_marks(session, family)
    assert after.document == json_bytes(live).decode()
    again = await client.get(
        MARKS,
        params={"semester": 1},
        headers={**family.auth("student"), "If-None-Match": first.headers["etag"]},
    )
    assert again.status_code == 200
    assert again.headers["etag"] == f'"m{after.version}"' != first.headers["etag"]


async def test_the_version_the_client_holds_answers_304_without_a_body(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    await _validated_marks(session, family)
    await _publish(client, family)
    for path, who in (
        (MARKS, "student"),
        (f"/api/v1/parent/children/{family.child.id}/marks", "parent"),
    ):
        first = await client.get(path, params={"semester": 1}, headers=family.auth(who))
        etag = first.headers["etag"]
        assert not etag.startswith("W/")
        cached = await client.get(
            path, params={"semester": 1}, headers={**family.auth(who), "If-None-Match": etag}
        )
        assert cached.status_code == 304
        assert cached.content == b""
        assert cached.headers["etag"] == etag


async def test_the_scope_is_in_the_statement(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    await _validated_marks(session, family)
    await _publish(client, family)
    # The unverified child and a stranger have documents too: the parent gets 404 for both.
    for pupil in (family.unverified, family.stranger):
        response = await client.get(
            f"/api/v1/parent/children/{pupil.id}/marks",
            params={"semester": 1},
            headers=family.auth("parent"),
        )
        assert response.status_code == 404
    # The pupil reads their own document, never the class mate's.
    own = await client.get(MARKS, params={"semester": 1}, headers=family.auth("student"))
    assert _math(own.json())["tests"]["test_1"]["mark"] == "12.00"
    assert '"8.00"' not in own.text  # the class mate's mark


async def test_a_pupil_moved_to_another_class_is_served_live(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    await _validated_marks(session, family)
    await _publish(client, family)
    await session.execute(
        update(Enrolment)
        .where(Enrolment.pupil_id == family.child.id)
        .values(class_id=family.teaching.classes["c2"].id)
    )
    await session.commit()
    left = await session.scalar(
        select(PublishedMarks.version).where(PublishedMarks.pupil_id == family.child.id)
    )
    assert left is None
    response = await client.get(MARKS, params={"semester": 1}, headers=family.auth("student"))
    assert response.json()["school_class"]["id"] == str(family.teaching.classes["c2"].id)
    assert response.headers["etag"].startswith("W/")


async def test_rendering_what_is_already_published_matches_the_publication(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    await _validated_marks(session, family)
    await _publish(client, family)
    published = await _snapshot(session, family)
    document, version = published.document, published.version
    await session.execute(text("DELETE FROM published_marks"))
    rendered = await snapshots.render_all_published(session)
    assert rendered == len(family.teaching.pupils["c1"])
    again = await _snapshot(session, family)
    assert again.document == document
    assert again.version > version


async def test_published_exam_results_are_a_snapshot_until_the_next_publication(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    now = datetime.now(UTC)
    await create_exam_with_result(session, family, now - timedelta(minutes=1))
    pending = await create_exam_with_result(session, family, now + timedelta(days=1))
    assert await announce_published_exams(session) == 1
    await session.commit()
    snapshot = (
        await session.execute(
            select(PublishedExamResults).where(PublishedExamResults.pupil_id == family.child.id)
        )
    ).scalar_one()
    assert snapshot.valid_until == pending.publish_at
    assert snapshot.document == json_bytes(await exam_results(session, family.child.id)).decode()
    for path, who in (
        ("/api/v1/student/exams", "student"),
        (f"/api/v1/parent/children/{family.child.id}/exams", "parent"),
    ):
        response = await client.get(path, headers=family.auth(who))
        assert response.text == snapshot.document
        assert response.headers["etag"] == f'"e{snapshot.version}"'
        cached = await client.get(
            path, headers={**family.auth(who), "If-None-Match": response.headers["etag"]}
        )
        assert cached.status_code == 304
    # Once the next result's hour has come, the document is out of date: computed live.
    await session.execute(
        update(PublishedExamResults).values(valid_until=now - timedelta(seconds=1))
    )
    await session.commit()
    live = await client.get("/api/v1/student/exams", headers=family.auth("student"))
    assert live.headers["etag"].startswith("W/")
    stranger = await client.get(
        f"/api/v1/parent/children/{family.stranger.id}/exams", headers=family.auth("parent")
    )
    assert stranger.status_code == 404


def test_the_contract_declares_the_etag(client: httpx.AsyncClient) -> None:
    from app.main import create_app

    spec = create_app().openapi()
    for path in ("/api/v1/student/marks", "/api/v1/parent/children/{child_id}/exams"):
        responses = spec["paths"][path]["get"]["responses"]
        assert "ETag" in responses["200"]["headers"]
        assert "ETag" in responses["304"]["headers"]
