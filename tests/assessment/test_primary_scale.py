"""Primary marks out of 10 (pass line 5), collège's out of 20; subjects' components."""

from __future__ import annotations

import io
from decimal import Decimal as D  # noqa: N817
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.reference import load_reference
from app.assessment.models import Mark, PublishedMarks, TestKind, TestStatus
from app.assessment.report_card import marks_report
from app.assessment.snapshots import rebuild_class
from tests.assessment.test_marks import _new_test as new_test
from tests.factories import (
    TeachingWorld,
    add_primary_class,
    components,
    create_test_with_marks,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
async def primary(session: AsyncSession, teaching: TeachingWorld) -> TeachingWorld:
    await add_primary_class(session, teaching)
    await session.commit()
    return teaching


async def _new_test(
    client: httpx.AsyncClient,
    teaching: TeachingWorld,
    class_name: str = "p1",
    subject: str = "MATH",
    who: str = "teacher",
    **extra: Any,
) -> httpx.Response:
    return await new_test(client, teaching, "test_1", who, class_name, subject, **extra)


async def _test_id(client: httpx.AsyncClient, teaching: TeachingWorld, **extra: Any) -> str:
    response = await _new_test(client, teaching, **extra)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _put(
    client: httpx.AsyncClient, teaching: TeachingWorld, test_id: str, name: str, *marks: object
) -> httpx.Response:
    rows = [
        {"pupil_id": str(p.id), "mark": m}
        for p, m in zip(teaching.pupils[name], marks, strict=False)
    ]
    return await client.put(
        f"/api/v1/teacher/tests/{test_id}/marks", json=rows, headers=teaching.auth("teacher")
    )


async def _marks(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(Mark)) or 0


async def test_a_primary_test_is_out_of_10_and_refuses_more_row_by_row(
    client: httpx.AsyncClient, primary: TeachingWorld, session: AsyncSession
) -> None:
    test = (await _new_test(client, primary)).json()
    assert (test["max_mark"], test["pass_mark"]) == (10, 5)
    refused = await _put(client, primary, test["id"], "p1", 9.5, 10.5, 17)
    assert refused.status_code == 422, refused.text
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [
        ("body.1.mark", "above_scale"),
        ("body.2.mark", "above_scale"),
    ]
    assert await _marks(session) == 0
    accepted = await _put(client, primary, test["id"], "p1", 9.5, 10, 0)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["test"]["max_mark"] == 10


async def test_a_college_class_still_takes_marks_up_to_20(
    client: httpx.AsyncClient, primary: TeachingWorld
) -> None:
    test_id = await _test_id(client, primary, class_name="c1")
    response = await _put(client, primary, test_id, "c1", 20, 15.25, 10.5)
    assert response.status_code == 200, response.text
    assert response.json()["test"]["max_mark"] == 20
    assert (await _put(client, primary, test_id, "c1", 20.5)).status_code == 422


async def test_the_database_refuses_a_mark_above_its_levels_scale(
    client: httpx.AsyncClient, primary: TeachingWorld, session: AsyncSession
) -> None:
    test_id = await _test_id(client, primary)
    pupil = primary.pupils["p1"][0]
    insert = text(
        "INSERT INTO marks (id, school_id, school_year, test_id, pupil_id, mark, updated_by) "
        "SELECT gen_random_uuid(), school_id, school_year, id, :pupil, :mark, teacher_id "
        "FROM class_tests WHERE id = :test"
    )
    with pytest.raises(IntegrityError, match="above its scale"):
        async with session.begin_nested():
            await session.execute(insert, {"test": test_id, "pupil": pupil.id, "mark": 12})
    async with session.begin_nested():
        await session.execute(insert, {"test": test_id, "pupil": pupil.id, "mark": 10})


async def test_statistics_follow_the_scale_and_its_pass_line(
    client: httpx.AsyncClient, primary: TeachingWorld
) -> None:
    test_id = await _test_id(client, primary)
    await _put(client, primary, test_id, "p1", 4.75, 5, 10)
    stats = (
        await client.get(
            f"/api/v1/teacher/tests/{test_id}/statistics", headers=primary.auth("teacher")
        )
    ).json()
    assert (stats["max_mark"], stats["pass_mark"], stats["passed"]) == (10, 5, 2)
    assert stats["histogram"] == [0, 0, 0, 0, 1, 1, 0, 0, 0, 1]


async def test_a_correction_above_the_scale_is_422(
    client: httpx.AsyncClient, primary: TeachingWorld, session: AsyncSession
) -> None:
    pupil = primary.pupils["p1"][0]
    test = await create_test_with_marks(
        session,
        primary.classes["p1"],
        primary.subjects["MATH"],
        primary.world.users["teacher"],
        {pupil: D("6")},
        status=TestStatus.VALIDATED,
    )
    await session.commit()
    mark_id = await session.scalar(select(Mark.id).where(Mark.test_id == test.id))
    response = await client.post(
        f"/api/v1/school/marks/{mark_id}/correction",
        json={"mark": 12, "reason": "erreur de saisie"},
        headers=primary.auth("school_staff"),
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "body.mark"


async def test_components_are_primary_and_of_their_subject(
    client: httpx.AsyncClient, primary: TeachingWorld, session: AsyncSession
) -> None:
    arabic = await components(session, "AR")
    reading, writing = str(arabic["READING"].id), str(arabic["WRITING"].id)
    first = (await _new_test(client, primary, subject="AR", component_id=reading)).json()
    assert first["component_id"] == reading
    # The same kind on another component, or on the whole subject, is another test.
    assert (await _new_test(client, primary, subject="AR", component_id=writing)).is_success
    assert (await _new_test(client, primary, subject="AR")).is_success
    assert (await _new_test(client, primary, subject="AR", component_id=reading)).status_code == 409
    of_another_subject = await _new_test(client, primary, component_id=reading)
    assert of_another_subject.status_code == 422
    assert of_another_subject.json()["errors"][0]["field"] == "body.component_id"
    french = str((await components(session, "FR"))["READING"].id)
    in_college = await _new_test(client, primary, "c1", "FR", who="teacher_fr", component_id=french)
    assert in_college.status_code == 422, in_college.text
    assert in_college.json()["errors"][0]["message"] == "components are marked in primary only"


async def test_a_subject_by_components_averages_its_components_on_10(
    primary: TeachingWorld, session: AsyncSession
) -> None:
    arabic = await components(session, "AR")
    p1, teacher = primary.classes["p1"], primary.world.users["teacher"]
    pupil, other, third = primary.pupils["p1"]
    ar, math = primary.subjects["AR"], primary.subjects["MATH"]
    # Reading: 8 and 6 (average 7); writing: 4 (average 4). Subject average: (7 + 4) / 2.
    await create_test_with_marks(
        session, p1, ar, teacher, {pupil: D(8), other: D(2)}, component=arabic["READING"]
    )
    await create_test_with_marks(
        session, p1, ar, teacher, {pupil: D(6)}, kind=TestKind.TEST_2, component=arabic["READING"]
    )
    await create_test_with_marks(
        session, p1, ar, teacher, {pupil: D(4), other: D(9)}, component=arabic["WRITING"]
    )
    await create_test_with_marks(session, p1, math, teacher, {pupil: D(3), third: D(7)})
    report = await marks_report(session, pupil.id, primary.year, 1, await load_reference(session))
    assert (report.max_mark, report.pass_mark) == (10, 5)
    lines = {line.subject.code: line for line in report.subjects}
    arabic_line = lines["AR"]
    assert [(c.component.code, c.average) for c in arabic_line.components] == [
        ("READING", D("7.00")),
        ("WRITING", D("4.00")),
    ]
    assert arabic_line.average == D("5.50")
    assert all(mark is None for mark in arabic_line.tests.values())
    # The other pupil: reading 2, writing 9 → 5.50; the class average of the subject: 5.50.
    assert arabic_line.class_average == D("5.50")
    assert lines["MATH"].average == D("3.00")
    assert report.semester_average is not None
    assert report.semester_average < 5
    assert report.passed is False


async def test_the_published_document_says_its_scale(
    primary: TeachingWorld, session: AsyncSession
) -> None:
    p1, pupil = primary.classes["p1"], primary.pupils["p1"][0]
    await create_test_with_marks(
        session, p1, primary.subjects["MATH"], primary.world.users["teacher"], {pupil: D("7.5")}
    )
    await rebuild_class(session, p1, 1)
    document = await session.scalar(
        select(PublishedMarks.document).where(PublishedMarks.pupil_id == pupil.id)
    )
    assert document is not None
    assert '"max_mark":10' in document.replace(" ", "")
    assert '"pass_mark":5' in document.replace(" ", "")


async def test_the_grade_sheet_of_a_primary_class_refuses_marks_above_10(
    client: httpx.AsyncClient, primary: TeachingWorld, session: AsyncSession
) -> None:
    url = f"/api/v1/teacher/classes/{primary.classes['p1'].id}/grade-sheet"
    params = {"subject_id": str(primary.subjects["MATH"].id), "semester": 1}
    headers = primary.auth("teacher")
    exported = await client.get(url, params=params, headers=headers)
    assert exported.status_code == 200, exported.text
    book = load_workbook(io.BytesIO(exported.content))
    sheet = book["Notes"]
    top = next(c.row for (c,) in sheet.iter_rows(min_col=1, max_col=1) if c.value == "Code Massar")
    column = next(c.column for c in sheet[top] if c.value == "Contrôle 1")
    sheet.cell(top + 1, column).value = 12
    sheet.cell(top + 2, column).value = 8.5
    buffer = io.BytesIO()
    book.save(buffer)
    refused = await client.post(
        url,
        params=params,
        files={"file": ("notes.xlsx", buffer.getvalue(), XLSX)},
        headers=headers,
    )
    assert refused.status_code == 422, refused.text
    errors = refused.json()["errors"]
    assert [(e["row"], e["column"], e["code"]) for e in errors] == [
        (top + 1, "Contrôle 1", "above_scale")
    ]
    assert await _marks(session) == 0


async def test_a_components_grade_sheet_is_its_own(
    client: httpx.AsyncClient, primary: TeachingWorld, session: AsyncSession
) -> None:
    reading = (await components(session, "AR"))["READING"]
    url = f"/api/v1/teacher/classes/{primary.classes['p1'].id}/grade-sheet"
    whole = {"subject_id": str(primary.subjects["AR"].id), "semester": 1}
    headers = primary.auth("teacher")
    sheet = await client.get(url, params=whole | {"component_id": str(reading.id)}, headers=headers)
    assert sheet.status_code == 200, sheet.text
    block = load_workbook(io.BytesIO(sheet.content))["Notes"]
    assert any(str(cell.value).endswith("– Lecture") for row in block.iter_rows() for cell in row)
    # A component's sheet imported as the whole subject's is the wrong sheet.
    wrong = await client.post(
        url, params=whole, files={"file": ("n.xlsx", sheet.content, XLSX)}, headers=headers
    )
    assert wrong.status_code == 422
    assert wrong.json()["type"].endswith("wrong-grade-sheet")
    of_math = await client.get(
        url,
        params=whole
        | {"subject_id": str(primary.subjects["MATH"].id), "component_id": str(reading.id)},
        headers=headers,
    )
    assert of_math.status_code == 422
