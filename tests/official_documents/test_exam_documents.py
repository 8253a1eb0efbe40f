"""Exam documents: the transcript of a published session and the convocation, as PDF read
back as text, a new version when a mark is corrected, verified on the public face."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil
from app.accounts.models import User
from app.core.roles import StaffTitle
from app.demo import world as demo
from app.exams.models import ExamResult, ExamRound, ExamSession, ExamSubjectResult
from tests.factories import FamilyWorld, access_token, create_marked_exam
from tests.official_documents.test_documents import _named_child, text_of, titled_staff

STUDENT = "/api/v1/student/documents"
PUBLIC = "/api/v1/public/documents"


async def _exam(session: AsyncSession, family: FamilyWorld, hours: int = -1) -> ExamResult:
    """The child's exam, published `hours` from now (in the past by default)."""
    await _named_child(session, family)
    result = await create_marked_exam(session, family, datetime.now(UTC) + timedelta(hours=hours))
    await session.commit()
    return result


async def _get(
    client: httpx.AsyncClient, family: FamilyWorld, what: str, result: ExamResult
) -> httpx.Response:
    return await client.get(
        f"{STUDENT}/{what}",
        params={"session_id": str(result.session_id)},
        headers=family.auth("student"),
    )


async def test_the_transcript_reads_in_both_languages_and_verifies(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    result = await _exam(session, family)
    response = await _get(client, family, "exam-transcript", result)
    assert response.status_code == 200, response.text
    [page] = text_of(response.content)
    assert "أمين الإدريسي" in page
    assert "EL IDRISSI Amine" in page
    assert "1AC-0001" in page
    for subject in ("Mathématiques", "الرياضيات", "Langue française", "اللغة الفرنسية"):
        assert subject in page
    assert "14.00" in page
    assert "Abs." in page.split("Langue française")[1].split("\n")[0]
    assert "Moyenne de l'examen : 9.33 / 20" in page
    assert "Moyenne générale" not in page  # a local exam awards no certificate
    assert "Non admis(e)" in page
    code = response.headers["etag"].strip('"')
    answer = (await client.get(f"{PUBLIC}/{code}")).json()
    assert (answer["status"], answer["kind"]) == ("genuine", "exam_transcript")
    again = await _get(client, family, "exam-transcript", result)
    assert again.content == response.content


async def test_a_corrected_mark_issues_a_new_transcript(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    result = await _exam(session, family)
    first = await _get(client, family, "exam-transcript", result)
    old_code = first.headers["etag"].strip('"')
    await session.execute(
        update(ExamSubjectResult)
        .where(ExamSubjectResult.result_id == result.id, ExamSubjectResult.mark.is_not(None))
        .values(mark=Decimal(16))
    )
    await session.commit()
    # The public face sees the change before anyone downloads again.
    assert (await client.get(f"{PUBLIC}/{old_code}")).json()["status"] == "revoked"
    second = await _get(client, family, "exam-transcript", result)
    assert "16.00" in text_of(second.content)[0]
    answer = (await client.get(f"{PUBLIC}/{second.headers['etag'].strip(chr(34))}")).json()
    assert (answer["status"], answer["version"]) == ("genuine", 2)


async def test_no_transcript_before_publication(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    result = await _exam(session, family, hours=2)
    response = await _get(client, family, "exam-transcript", result)
    assert response.status_code == 409
    assert response.json()["type"].endswith("not-published")
    # The convocation is there before the results.
    assert (await _get(client, family, "exam-convocation", result)).status_code == 200


async def test_the_convocation_names_the_centre_and_room(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    result = await _exam(session, family)
    response = await _get(client, family, "exam-convocation", result)
    assert response.status_code == 200, response.text
    [page] = text_of(response.content)
    school = family.teaching.world.schools["a1"]
    assert f"Centre d'examen : {school.name_fr} ({school.code})" in page
    # (the test school's Arabic name ends with a number, which a reader moves about)
    assert "مركز الامتحان: مدرسة اختبار" in page
    assert "القاعة" in page
    assert "Salle : S3" in page
    assert "Du 08/06/2026 au 09/06/2026" in page
    assert "2h00" in page
    assert "1h30" in page
    assert "أمين الإدريسي" in page
    answer = (await client.get(f"{PUBLIC}/{response.headers['etag'].strip(chr(34))}")).json()
    assert (answer["status"], answer["kind"]) == ("genuine", "exam_convocation")


async def test_no_convocation_without_a_room(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    result = await _exam(session, family)
    await session.execute(update(ExamResult).where(ExamResult.id == result.id).values(room=None))
    await session.commit()
    response = await _get(client, family, "exam-convocation", result)
    assert response.status_code == 409
    assert response.json()["type"].endswith("not-convoked")


async def test_a_parent_reads_their_childs_and_no_one_elses(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    result = await _exam(session, family)
    params = {"session_id": str(result.session_id)}

    async def as_parent(child_id: object, what: str) -> httpx.Response:
        return await client.get(
            f"/api/v1/parent/children/{child_id}/documents/{what}",
            params=params,
            headers=family.auth("parent"),
        )

    for what in ("exam-transcript", "exam-convocation"):
        own = await as_parent(family.child.id, what)
        assert own.status_code == 200, own.text
        assert "أمين الإدريسي" in text_of(own.content)[0]
        assert (await as_parent(family.unverified.id, what)).status_code == 404
        assert (await as_parent(family.stranger.id, what)).status_code == 404
    # A pupil who is no candidate of the session: not found either.
    sibling = await client.get(
        f"/api/v1/parent/children/{family.sibling.id}/documents/exam-transcript",
        params=params,
        headers=family.auth("parent"),
    )
    assert sibling.status_code == 404


async def _demo_pupil(session: AsyncSession) -> tuple[Pupil, dict[str, Any]]:
    user = await session.scalar(select(User).where(User.username == "j130000001@taalim.ma"))
    assert user is not None
    pupil = await session.scalar(select(Pupil).where(Pupil.user_id == user.id))
    assert pupil is not None
    return pupil, {"Authorization": f"Bearer {await access_token(session, user)}"}


async def test_the_demo_bac_pupil_downloads_the_resit_transcript(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await demo.seed_demo(session)
    pupil, headers = await _demo_pupil(session)
    resit = await session.scalar(
        select(ExamSession.id)
        .join(ExamResult, ExamResult.session_id == ExamSession.id)
        .where(ExamResult.pupil_id == pupil.id, ExamSession.round == ExamRound.RESIT)
    )
    await session.commit()
    response = await client.get(
        f"{STUDENT}/exam-transcript", params={"session_id": str(resit)}, headers=headers
    )
    assert response.status_code == 200, response.text
    [page] = text_of(response.content)
    assert f"{pupil.first_name_ar} {pupil.last_name_ar}" in page
    assert "Session de rattrapage" in page
    assert "Moyenne générale : 10.17 / 20" in page
    assert "Admis(e)" in page
    assert "Passable" in page


async def test_the_school_prints_its_candidates_documents(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    result = await _exam(session, family)
    url = f"/api/v1/school/pupils/{family.child.id}/documents"
    params = {"session_id": str(result.session_id)}
    staff = family.auth("school_staff")
    transcript = await client.get(f"{url}/exam-transcript", params=params, headers=staff)
    assert transcript.status_code == 200, transcript.text
    [page] = text_of(transcript.content)
    assert "أمين الإدريسي" in page
    assert "Moyenne de l'examen : 9.33 / 20" in page
    # The same document the family downloads.
    family_copy = await _get(client, family, "exam-transcript", result)
    assert family_copy.content == transcript.content
    convocation = await client.get(f"{url}/exam-convocation", params=params, headers=staff)
    assert convocation.status_code == 200, convocation.text
    assert "1AC-0001" in text_of(convocation.content)[0]

    secretary = await titled_staff(session, family, StaffTitle.SECRETARY)
    for what in ("exam-transcript", "exam-convocation"):
        wrong_title = await client.get(f"{url}/{what}", params=params, headers=secretary)
        assert wrong_title.status_code == 403
        parent = await client.get(f"{url}/{what}", params=params, headers=family.auth("parent"))
        assert parent.status_code == 403
        other = await client.get(
            f"{url}/{what}", params=params, headers=family.auth("other_school_staff")
        )
        assert other.status_code == 404
        stranger = await client.get(
            f"/api/v1/school/pupils/{family.stranger.id}/documents/{what}",
            params=params,
            headers=staff,
        )
        assert stranger.status_code == 404
        bad = await client.get(f"{url}/{what}", params={"session_id": "x"}, headers=staff)
        assert bad.status_code == 422


async def test_the_school_waits_for_publication_too(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    result = await _exam(session, family, hours=2)
    answer = await client.get(
        f"/api/v1/school/pupils/{family.child.id}/documents/exam-transcript",
        params={"session_id": str(result.session_id)},
        headers=family.auth("school_staff"),
    )
    assert answer.status_code == 409
    assert answer.json()["type"].endswith("not-published")


async def test_the_school_prints_a_class_candidates_in_one_file(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    result = await _exam(session, family)
    classes = family.teaching.classes
    params = {"session_id": str(result.session_id)}
    staff = family.auth("school_staff")
    for what in ("exam-transcripts", "exam-convocations"):
        url = f"/api/v1/school/classes/{classes['c1'].id}/documents/{what}"
        answer = await client.get(url, params=params, headers=staff)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-disposition"].startswith(
            f'attachment; filename="{what.removeprefix("exam-")}-{classes["c1"].name}-'
        )
        pages = text_of(answer.content)
        assert any("أمين الإدريسي" in page for page in pages)
        again = await client.get(
            url, params=params, headers=staff | {"If-None-Match": answer.headers["etag"]}
        )
        assert again.status_code == 304
        assert (
            await client.get(url, params=params, headers=family.auth("teacher"))
        ).status_code == 403
        other = await client.get(url, params=params, headers=family.auth("other_school_staff"))
        assert other.status_code == 404
    # The session through a class none of whose pupils sat it.
    elsewhere = await client.get(
        f"/api/v1/school/classes/{classes['c2'].id}/documents/exam-transcripts",
        params=params,
        headers=staff,
    )
    assert elsewhere.status_code == 404
