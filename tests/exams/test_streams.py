"""The bac's streams over HTTP: a session examines some of the level's streams, each with its
own subjects and coefficients and their sittings; its candidates are the pupils of those
streams, each with their stream, deliberated on their stream's coefficients (hand-worked),
and convoked to their stream's sittings in order."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.exams.test_sessions import STEERING, Organiser, _numbers, _ok, bac_stream
from tests.factories import World, create_class, create_pupil, ensure_current_year, subject
from tests.official_documents.test_documents import text_of


def _line(subject_id: Any, coefficient: int, **fields: Any) -> dict[str, Any]:
    return {
        "subject_id": str(subject_id),
        "coefficient": coefficient,
        "duration_minutes": 120,
        **fields,
    }


async def test_a_bac_session_deliberates_each_stream_on_its_coefficients(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    year = await ensure_current_year(session)
    se, sm, lsh = [await bac_stream(session, "1BAC", code) for code in ("SE", "SM", "LSH")]
    school = world.schools["a1"]
    pupils = {}
    for stream in (se, sm, lsh):
        school_class = await create_class(session, school, level_code="1BAC", stream=stream)
        pupils[stream.code] = await create_pupil(session, school_class)
    # The world's student is the SM pupil: their convocation is theirs to read.
    pupils["SM"].user_id = world.users["student"].id
    await session.flush()
    maths, french, svt = [await subject(session, code) for code in ("MATH", "FR", "SVT")]
    first, second = date(year + 1, 6, 2), date(year + 1, 6, 3)
    academy = Organiser(client, STEERING, world.auth("academy_staff"))
    exam = await academy.create(
        level_code="1BAC",
        school_year=year,
        name_fr="Examen régional 1BAC",
        name_ar="الامتحان الجهوي",
        starts_on=first.isoformat(),
        ends_on=second.isoformat(),
        stream_ids=[str(se.id), str(sm.id)],
        subjects=[
            # Maths on the first morning, a coefficient per stream; French for everyone the
            # next morning; SVT for SE only, that afternoon.
            _line(maths.id, 1, stream_id=str(se.id), sits_on=str(first), starts_at="08:30"),
            _line(maths.id, 3, stream_id=str(sm.id), sits_on=str(first), starts_at="08:30"),
            _line(svt.id, 2, stream_id=str(se.id), sits_on=str(second), starts_at="14:30"),
            _line(french.id, 1, sits_on=str(second), starts_at="08:30:00"),
        ],
    )
    assert sorted(exam["stream_ids"]) == sorted([str(se.id), str(sm.id)])
    assert [(s["subject"]["code"], s["starts_at"]) for s in exam["subjects"]][-1] == (
        "SVT",
        "14:30:00",
    )

    # The LSH pupil's stream is not examined: two candidates, each with their stream.
    listed = await academy.post(exam["id"], "candidates")
    assert {c["pupil_id"]: c["stream_id"] for c in listed} == {
        str(pupils["SE"].id): str(se.id),
        str(pupils["SM"].id): str(sm.id),
    }
    numbers = _numbers(listed)
    se_number, sm_number = numbers[str(pupils["SE"].id)], numbers[str(pupils["SM"].id)]
    # Seated, the SM pupil is convoked.
    seat = [{"candidate_number": sm_number, "centre_id": str(school.id), "room": "Salle 2"}]
    await _ok(
        await client.put(
            f"{STEERING}/{exam['id']}/candidates/centres",
            json=seat,
            headers=world.auth("academy_staff"),
        )
    )
    await academy.post(exam["id"], "marking")

    # SVT is not an SM subject: the row is refused, nothing written.
    refused = await academy.marks(
        exam["id"],
        str(svt.id),
        [{"candidate_number": se_number, "mark": 10}, {"candidate_number": sm_number, "mark": 9}],
    )
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["body.1.candidate_number"]
    for subject_id, marks in (
        (maths.id, {se_number: 14, sm_number: 14}),
        (french.id, {se_number: 8, sm_number: 8}),
        (svt.id, {se_number: 10}),
    ):
        rows = [{"candidate_number": n, "mark": m} for n, m in marks.items()]
        await _ok(await academy.marks(exam["id"], str(subject_id), rows))

    # SE: (1 × 14 + 2 × 10 + 1 × 8) / 4 = 10.50; SM: (3 × 14 + 1 × 8) / 4 = 12.50, no SVT.
    await academy.post(exam["id"], "deliberate")
    results = await academy.results(exam["id"])
    assert (results[str(pupils["SE"].id)]["exam_average"]) == "10.50"
    assert (results[str(pupils["SM"].id)]["exam_average"]) == "12.50"
    assert results[str(pupils["SM"].id)]["stream_id"] == str(sm.id)

    # The pupil's exam view: their stream's sittings, in the order they are sat.
    [convocation] = await _ok(
        await client.get("/api/v1/student/exams/convocations", headers=world.auth("student"))
    )
    assert convocation["stream"]["code"] == "SM"
    assert [
        (s["subject"]["code"], s["sits_on"], s["starts_at"], s["duration_minutes"])
        for s in convocation["subjects"]
    ] == [
        ("MATH", str(first), "08:30:00", 120),
        ("FR", str(second), "08:30:00", 120),
    ]

    # The printed convocation lists the same sittings and names the stream.
    pdf = await client.get(
        "/api/v1/student/documents/exam-convocation",
        params={"session_id": exam["id"]},
        headers=world.auth("student"),
    )
    assert pdf.status_code == 200, pdf.text
    [page] = text_of(pdf.content)
    assert "Sciences mathématiques" in page
    maths_row = page.split("Mathématiques")[1].split("\n")[0]
    assert first.strftime("%d/%m/%Y") in maths_row
    assert "08:30" in maths_row
    assert "Sciences de la vie" not in page


async def test_a_session_names_streams_of_its_level_and_sittings_within_its_dates(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    year = await ensure_current_year(session)
    se = await bac_stream(session, "1BAC", "SE")
    sp = await bac_stream(session, "2BAC", "SP")
    maths = await subject(session, "MATH")
    june = date(year + 1, 6, 2)
    base = {
        "level_code": "1BAC",
        "school_year": year,
        "name_fr": "Examen régional",
        "name_ar": "الامتحان الجهوي",
        "starts_on": str(june),
        "ends_on": str(june),
        "stream_ids": [str(se.id)],
        "subjects": [_line(maths.id, 1)],
    }
    cases: list[tuple[dict[str, Any], str]] = [
        ({"stream_ids": []}, "body.stream_ids"),
        ({"stream_ids": [str(sp.id)]}, "body.stream_ids.0"),
        ({"subjects": [_line(maths.id, 1, stream_id=str(sp.id))]}, "body.subjects.0.stream_id"),
        (
            {"subjects": [_line(maths.id, 1), _line(maths.id, 2, stream_id=str(se.id))]},
            "body.subjects.1",
        ),
        (
            {"subjects": [_line(maths.id, 1, sits_on="2000-01-01", starts_at="08:00")]},
            "body.subjects.0.sits_on",
        ),
        ({"subjects": [_line(maths.id, 1, sits_on=str(june))]}, "body.subjects.0"),
        (
            {"subjects": [_line(maths.id, 1, sits_on=str(june), starts_at="08:00+01:00")]},
            "body.subjects.0.starts_at",
        ),
    ]
    for change, field in cases:
        response = await client.post(
            STEERING, json=base | change, headers=world.auth("academy_staff")
        )
        assert response.status_code == 422, (change, response.text)
        fields = [e["field"] for e in response.json()["errors"]]
        assert any(f.startswith(field) for f in fields), (change, fields)
    # A school's own 1BAC exam may examine every stream: no streams named.
    local = await client.post(
        "/api/v1/school/exams",
        json=base | {"stream_ids": [], "subjects": [_line(maths.id, 1)]},
        headers=world.auth("school_staff"),
    )
    assert local.status_code == 201, local.text
