"""Independent candidates (candidats libres) over HTTP: the academy registers them on the bac's
sessions, the ministry and the academy mark and deliberate them with the pupils (25 % regional,
75 % national: no continuous assessment), and they read their record, convocations and results
with their candidate number and birth date, throttled like a login."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Stream
from app.audit.models import AuditEntry
from app.core.roles import Role
from app.exams.models import ExamResult
from app.integrations.scopes import ApiScope
from tests.factories import (
    World,
    access_token,
    create_api_client,
    create_user,
    ensure_current_year,
    subject,
)
from tests.official_documents.test_documents import text_of

STEERING = "/api/v1/steering"
PUBLIC = "/api/v1/public/exam-candidates"
PAST = (datetime.now(UTC) - timedelta(hours=1)).isoformat()


async def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _stream(session: AsyncSession, level_code: str = "2BAC") -> str:
    stream = await session.scalar(
        select(Stream.id).where(Stream.level_code == level_code).order_by(Stream.code).limit(1)
    )
    return str(stream)


async def _other_stream(session: AsyncSession, stream: str) -> str:
    other = await session.scalar(
        select(Stream.id).where(Stream.level_code == "2BAC", Stream.id != stream).limit(1)
    )
    return str(other)


def _candidate(world: World, stream_id: str, *session_ids: str, **changes: Any) -> dict[str, Any]:
    return {
        "national_id": "AB123456",
        "first_name": "Salma",
        "last_name": "Idrissi",
        "first_name_ar": "سلمى",
        "last_name_ar": "الإدريسي",
        "birth_date": "2001-03-14",
        "birth_place": "Salé",
        "birth_place_ar": "سلا",
        "gender": "F",
        "stream_id": stream_id,
        "centre_id": str(world.schools["a1"].id),
        "session_ids": list(session_ids),
        **changes,
    }


async def registered_candidate(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> dict[str, Any]:
    """A candidat libre registered on a national session of the year."""
    year = await ensure_current_year(session)
    national = await Bac(client, session, world, year).create("central_staff", level_code="2BAC")
    return dict(
        await _ok(
            await client.post(
                f"{STEERING}/independent-candidates",
                json=_candidate(world, await _stream(session), national["id"]),
                headers=world.auth("academy_staff"),
            ),
            201,
        )
    )


class Bac:
    """The ministry's national session and the academy's regional 1BAC session of a year."""

    def __init__(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World, year: int
    ) -> None:
        self.client, self.session, self.world, self.year = client, session, world, year

    async def create(self, who: str, **body: Any) -> dict[str, Any]:
        body = {"school_year": self.year, "name_fr": "Bac", "name_ar": "البكالوريا", **body}
        if body["level_code"] in ("1BAC", "2BAC") and "normal_session_id" not in body:
            # The level's first stream: the one `_stream` gives the candidates.
            body.setdefault("stream_ids", [await _stream(self.session, body["level_code"])])
        return await _ok(
            await self.client.post(f"{STEERING}/exams", json=body, headers=self.world.auth(who)),
            201,
        )

    async def post(self, who: str, exam_id: str, action: str, **body: Any) -> Any:
        return await _ok(
            await self.client.post(
                f"{STEERING}/exams/{exam_id}/{action}",
                json=body or None,
                headers=self.world.auth(who),
            )
        )

    async def mark(self, who: str, exam_id: str, subject_id: str, number: str, mark: Any) -> None:
        await _ok(
            await self.client.put(
                f"{STEERING}/exams/{exam_id}/subjects/{subject_id}/marks",
                json=[{"candidate_number": number, "mark": mark}],
                headers=self.world.auth(who),
            )
        )


async def test_an_independent_candidate_sits_the_bac_and_its_resit(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    year = await ensure_current_year(session)
    maths, french = str((await subject(session, "MATH")).id), str((await subject(session, "FR")).id)
    bac = Bac(client, session, world, year)
    national = await bac.create(
        "central_staff",
        level_code="2BAC",
        resit_threshold=8,
        subjects=[
            {"subject_id": maths, "coefficient": 2, "duration_minutes": 180},
            {"subject_id": french, "coefficient": 1, "duration_minutes": 120},
        ],
    )
    regional = await bac.create(
        "academy_staff",
        level_code="1BAC",
        subjects=[{"subject_id": french, "coefficient": 1, "duration_minutes": 120}],
    )
    stream = await _stream(session)
    body = _candidate(world, stream, national["id"], regional["id"])
    registered = await _ok(
        await client.post(
            f"{STEERING}/independent-candidates", json=body, headers=world.auth("academy_staff")
        ),
        201,
    )
    number = registered["candidate_number"]
    # A series of its own: ten digits, the year and a 9; the schools' candidates have nine.
    assert len(number) == 10
    assert number.startswith(f"{year % 100:02d}9")
    assert registered["centre_id"] == str(world.schools["a1"].id)
    assert set(registered["session_ids"]) == {national["id"], regional["id"]}
    # Sent again, the same registration changes nothing.
    again = await client.post(
        f"{STEERING}/independent-candidates", json=body, headers=world.auth("academy_staff")
    )
    assert (again.status_code, again.json()) == (200, registered)
    # Keyed by the exam centre's school, like every exam row.
    rows = (
        await session.scalars(
            select(ExamResult).where(ExamResult.independent_candidate_id == registered["id"])
        )
    ).all()
    assert {(r.school_id, r.pupil_id, r.candidate_number) for r in rows} == {
        (world.schools["a1"].id, None, number)
    }
    # The registration is in the audit trail, its personal details as digests only.
    audited = await session.scalar(
        select(AuditEntry.changed).where(
            AuditEntry.entity == "independent_candidates",
            AuditEntry.entity_id == registered["id"],
        )
    )
    assert audited is not None
    assert audited["candidate_number"] == number
    assert "Idrissi" not in str(audited)

    # The regional exam, the academy's: French 12.
    await bac.post("academy_staff", regional["id"], "candidates")
    await bac.post("academy_staff", regional["id"], "marking")
    await bac.mark("academy_staff", regional["id"], french, number, 12)
    await bac.post("academy_staff", regional["id"], "deliberate")

    # The national exam: the ministry's candidates include the academy's registration.
    listed = await bac.post("central_staff", national["id"], "candidates")
    mine = [c for c in listed if c["candidate_number"] == number]
    assert [(c["pupil_id"], c["massar_code"], c["last_name"]) for c in mine] == [
        (None, None, "Idrissi")
    ]
    await _ok(
        await client.put(
            f"{STEERING}/exams/{national['id']}/candidates/centres",
            json=[
                {
                    "candidate_number": number,
                    "centre_id": str(world.schools["a1"].id),
                    "room": "Salle 3",
                }
            ],
            headers=world.auth("central_staff"),
        )
    )
    await bac.post("central_staff", national["id"], "marking")
    await bac.mark("central_staff", national["id"], maths, number, 8)
    await bac.mark("central_staff", national["id"], french, number, 11)
    await bac.post("central_staff", national["id"], "deliberate")
    results = await _ok(
        await client.get(
            f"{STEERING}/exams/{national['id']}/results", headers=world.auth("central_staff")
        )
    )
    result = next(r for r in results if r["candidate_number"] == number)
    # Exam (2 × 8 + 11) / 3 = 9; no continuous assessment: 25 % × 12 + 75 % × 9 = 9.75,
    # under the pass line, above the resit threshold of 8.
    assert (result["exam_average"], result["continuous_average"]) == ("9.00", None)
    assert (result["average"], result["decision"]) == ("9.75", "resit")
    assert result["independent_candidate_id"] == registered["id"]

    who = {"candidate_number": number, "birth_date": "2001-03-14"}
    # Hidden until the announced hour.
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    await bac.post("central_staff", national["id"], "publish", publish_at=later)
    assert await _ok(await client.post(f"{PUBLIC}/results", json=who)) == []
    await bac.post("central_staff", national["id"], "publish", publish_at=PAST)
    seen = await _ok(await client.post(f"{PUBLIC}/results", json=who))
    assert [(s["round"], s["average"], s["decision"]) for s in seen] == [
        ("normal", "9.75", "resit")
    ]

    # The resit keeps the candidate's number; per subject the better of the two sessions.
    resit = await bac.create(
        "central_staff", level_code="2BAC", round="resit", normal_session_id=national["id"]
    )
    listed = await bac.post("central_staff", resit["id"], "candidates")
    assert [c["candidate_number"] for c in listed if c["pupil_id"] is None] == [number]
    await bac.post("central_staff", resit["id"], "marking")
    await bac.mark("central_staff", resit["id"], maths, number, 12)
    await bac.mark("central_staff", resit["id"], french, number, 7)
    await bac.post("central_staff", resit["id"], "deliberate")
    resit_out = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    await bac.post("central_staff", resit["id"], "publish", publish_at=resit_out)
    seen = await _ok(await client.post(f"{PUBLIC}/results", json=who))
    # MATH 12, FR 11 (not 7): (24 + 11) / 3 = 11.67; 3 + 8.7525 = 11.75, Passable.
    assert next(
        (s["round"], s["exam_average"], s["average"], s["decision"], s["mention_fr"]) for s in seen
    ) == (
        "resit",
        "11.67",
        "11.75",
        "admitted",
        "Passable",
    )

    record = await _ok(await client.post(f"{PUBLIC}/record", json=who))
    assert (record["last_name_ar"], record["birth_place"], record["centre"]["code"]) == (
        "الإدريسي",
        "Salé",
        world.schools["a1"].code,
    )
    convocations = await _ok(await client.post(f"{PUBLIC}/convocations", json=who))
    by_session = {c["session_id"]: c for c in convocations}
    assert by_session[national["id"]]["room"] == "Salle 3"
    assert [s["subject"]["code"] for s in by_session[national["id"]]["subjects"]] == ["FR", "MATH"]
    assert by_session[national["id"]]["stream"]["id"] == stream
    assert by_session[regional["id"]]["stream"] is None  # a 2BAC option names no 1BAC filière

    # Their documents, as PDF: issued like a pupil's, verified on the public face, revocable
    # by the exam centre.
    documents = f"{PUBLIC}/documents"
    convocation = await client.post(
        f"{documents}/exam-convocation", params={"session_id": national["id"]}, json=who
    )
    assert convocation.status_code == 200, convocation.text
    assert convocation.headers["content-type"] == "application/pdf"
    [page] = text_of(convocation.content)
    assert "IDRISSI Salma" in page
    assert number in page
    assert "Salle : Salle 3" in page
    code = convocation.headers["etag"].strip('"')
    verified = await _ok(await client.get(f"/api/v1/public/documents/{code}"))
    assert (verified["status"], verified["kind"]) == ("genuine", "exam_convocation")
    # A portal of the centre's academy checks it too: the candidate has no Massar code.
    portal = await create_api_client(
        session,
        world.users["central_staff"],
        frozenset({ApiScope.DOCUMENTS_VERIFY}),
        academy_id=world.schools["a1"].academy_id,
    )
    await session.commit()
    checked = await _ok(
        await client.get(f"/api/v1/integrations/documents/{code}", headers=portal.headers)
    )
    assert checked == {**verified, "massar_code": None}
    again = await client.post(
        f"{documents}/exam-convocation", params={"session_id": national["id"]}, json=who
    )
    assert again.content == convocation.content
    transcript = await client.post(
        f"{documents}/exam-transcript", params={"session_id": resit["id"]}, json=who
    )
    assert transcript.status_code == 200, transcript.text
    [page] = text_of(transcript.content)
    assert "11.75 / 20" in page
    assert "Assez bien" not in page
    # The regional exam is not published: no transcript yet.
    hidden = await client.post(
        f"{documents}/exam-transcript", params={"session_id": regional["id"]}, json=who
    )
    assert (hidden.status_code, hidden.json()["type"].rsplit("/", 1)[1]) == (409, "not-published")
    wrong = {"candidate_number": number, "birth_date": "2001-03-15"}
    unknown = await client.post(
        f"{documents}/exam-convocation", params={"session_id": national["id"]}, json=wrong
    )
    assert unknown.status_code == 404
    assert unknown.json()["type"].endswith("/candidate-not-recognised")
    revoked = await client.post(
        f"/api/v1/school/documents/{code}/revoke",
        json={"reason": "Émise par erreur"},
        headers=world.auth("school_staff"),
    )
    assert revoked.status_code == 200, revoked.text
    assert (await _ok(await client.get(f"/api/v1/public/documents/{code}")))["status"] == "revoked"
    reissued = await client.post(
        f"{documents}/exam-convocation", params={"session_id": national["id"]}, json=who
    )
    assert reissued.headers["etag"] != convocation.headers["etag"]


async def test_the_registration_is_the_academys_and_checked(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    year = await ensure_current_year(session)
    bac = Bac(client, session, world, year)
    national = await bac.create("central_staff", level_code="2BAC")
    stream = await _stream(session)
    url = f"{STEERING}/independent-candidates"
    body = _candidate(world, stream, national["id"])

    # Wrong roles: 403.
    for who in ("province_staff", "central_staff", "school_staff", "student"):
        answer = await client.post(url, json=body, headers=world.auth(who))
        assert answer.status_code == 403, who
    # Out of the academy: an exam centre of another academy, a session not of the bac.
    elsewhere = _candidate(world, stream, national["id"], centre_id=str(world.schools["c"].id))
    assert (
        await client.post(url, json=elsewhere, headers=world.auth("academy_staff"))
    ).status_code == 404
    provincial = await bac.create("province_staff", level_code="6AP")
    wrong_exam = _candidate(world, stream, provincial["id"])
    assert (
        await client.post(url, json=wrong_exam, headers=world.auth("academy_staff"))
    ).status_code == 404
    # Bad input: 422, nothing written.
    for faulty in (
        _candidate(world, stream, national["id"], national_id="123"),
        _candidate(world, await _stream(session, "1BAC"), national["id"]),
        _candidate(world, stream),
        # A 2BAC option the national session does not examine.
        _candidate(world, await _other_stream(session, stream), national["id"]),
    ):
        answer = await client.post(url, json=faulty, headers=world.auth("academy_staff"))
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
    assert await _ok(await client.get(url, headers=world.auth("academy_staff"))) == []

    registered = await _ok(
        await client.post(url, json=body, headers=world.auth("academy_staff")), 201
    )
    # The same identity card again this year, otherwise: a conflict.
    other = _candidate(world, stream, national["id"], first_name="Samira")
    assert (
        await client.post(url, json=other, headers=world.auth("academy_staff"))
    ).status_code == 409
    listed = await _ok(await client.get(url, headers=world.auth("academy_staff")))
    assert [c["id"] for c in listed] == [registered["id"]]
    one = await client.get(f"{url}/{registered['id']}", headers=world.auth("academy_staff"))
    assert one.json() == registered
    # Another academy sees none of it.
    stranger = await create_user(
        session, Role.ACADEMY_STAFF, academy_id=world.schools["c"].academy_id
    )
    headers = {"Authorization": f"Bearer {await access_token(session, stranger)}"}
    assert (await client.get(f"{url}/{registered['id']}", headers=headers)).status_code == 404
    assert await _ok(await client.get(url, headers=headers)) == []
    # Candidates close with the marking.
    await bac.post("central_staff", national["id"], "candidates")
    await bac.post("central_staff", national["id"], "marking")
    late = _candidate(world, stream, national["id"], national_id="CD654321")
    assert (
        await client.post(url, json=late, headers=world.auth("academy_staff"))
    ).status_code == 409


async def test_reading_with_a_number_is_throttled_and_reveals_nothing(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    registered = await registered_candidate(client, session, world)
    number = registered["candidate_number"]
    wrong_date = await client.post(
        f"{PUBLIC}/record", json={"candidate_number": number, "birth_date": "2001-03-15"}
    )
    unknown = await client.post(
        f"{PUBLIC}/record", json={"candidate_number": "0000000000", "birth_date": "2001-03-14"}
    )
    # The same answer whether the number exists or not.
    assert (wrong_date.status_code, wrong_date.json()["type"]) == (
        unknown.status_code,
        unknown.json()["type"],
    )
    assert wrong_date.status_code == 404
    assert wrong_date.json()["detail"] == unknown.json()["detail"]
    bad = await client.post(
        f"{PUBLIC}/record", json={"candidate_number": number, "birth_date": "x"}
    )
    assert bad.status_code == 422
    statuses = [
        (
            await client.post(
                f"{PUBLIC}/results", json={"candidate_number": number, "birth_date": "1999-01-01"}
            )
        ).status_code
        for _ in range(6)
    ]
    assert statuses[0] == 404
    assert statuses[-1] == 429
    # Locked: even the right birth date waits.
    right = await client.post(
        f"{PUBLIC}/record", json={"candidate_number": number, "birth_date": "2001-03-14"}
    )
    assert right.status_code == 429
    assert "Retry-After" in right.headers
