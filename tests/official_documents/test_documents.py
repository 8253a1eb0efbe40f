"""Official documents: the report card and the school certificate as PDF, read back as text,
issued once per data version, and verified on the public face."""

from __future__ import annotations

import hashlib
import io
import unicodedata
from decimal import Decimal as D  # noqa: N817

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.assessment.models import Mark, TestKind
from app.core.roles import Role, StaffTitle
from app.official_documents.models import IssuedDocument
from tests.factories import FamilyWorld, access_token, create_test_with_marks, create_user

STUDENT = "/api/v1/student/documents"
PUBLIC = "/api/v1/public/documents"


def text_of(pdf: bytes) -> list[str]:
    """Each page's text as a reader extracts it, without the invisible direction marks."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return [
        "".join(c for c in page.extract_text() if unicodedata.category(c) != "Cf") for page in pages
    ]


async def titled_staff(
    session: AsyncSession, family: FamilyWorld, title: StaffTitle
) -> dict[str, str]:
    """The headers of a new member of staff of the family's school, in that post."""
    school = family.teaching.world.schools["a1"]
    user = await create_user(session, Role.SCHOOL_STAFF, school=school, title=title)
    token = await access_token(session, user)
    await session.commit()
    return {"Authorization": f"Bearer {token}"}


async def _named_child(session: AsyncSession, family: FamilyWorld) -> None:
    child = family.child
    child.first_name, child.last_name = "Amine", "El Idrissi"
    child.first_name_ar, child.last_name_ar = "أمين", "الإدريسي"
    await session.flush()


async def _published(session: AsyncSession, family: FamilyWorld, *, french: bool = True) -> None:
    """Class c1's semester 1: two maths tests and (unless not `french`) one French test."""
    await _named_child(session, family)
    t = family.teaching
    c1, users = t.classes["c1"], t.world.users
    child, other = family.child, family.unverified
    math, fr = t.subjects["MATH"], t.subjects["FR"]
    await create_test_with_marks(session, c1, math, users["teacher"], {child: D(12), other: D(8)})
    await create_test_with_marks(
        session,
        c1,
        math,
        users["teacher"],
        {child: D("15.5"), other: "absent"},
        kind=TestKind.TEST_2,
    )
    if french:
        await create_test_with_marks(session, c1, fr, users["teacher_fr"], {child: D(13)})
    await session.commit()


async def _report_card(
    client: httpx.AsyncClient, family: FamilyWorld, **headers: str
) -> httpx.Response:
    return await client.get(
        f"{STUDENT}/report-card",
        params={"year": family.teaching.year, "semester": 1},
        headers=family.auth("student") | headers,
    )


async def test_the_report_card_reads_in_both_languages(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    await _published(session, family)
    response = await _report_card(client, family)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    year = family.teaching.year
    assert response.headers["content-disposition"] == (
        f'attachment; filename="bulletin-{family.child.massar_code}-{year}-{year + 1}-S1.pdf"'
    )
    marks = (
        await client.get(
            "/api/v1/student/marks",
            params={"year": year, "semester": 1},
            headers=family.auth("student"),
        )
    ).json()
    [page] = text_of(response.content)
    # The shaped Arabic comes out as text, in logical order.
    assert "أمين الإدريسي" in page
    assert "EL IDRISSI Amine" in page
    assert "المملكة المغربية" in page
    assert "ROYAUME DU MAROC" in page
    for subject in ("Mathématiques", "الرياضيات", "Langue française", "اللغة الفرنسية"):
        assert subject in page
    assert "13.75" in page  # maths: (12 + 15.5) / 2
    assert "13.00" in page  # French
    assert f"{D(marks['semester_average']):.2f} / 20" in page
    assert "Abs." not in page.split("Mathématiques")[1].split("\n")[0]


async def test_the_same_data_gives_the_same_document(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    await _published(session, family)
    first = await _report_card(client, family)
    again = await _report_card(client, family)
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    unchanged = await _report_card(client, family, **{"If-None-Match": first.headers["etag"]})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    rows = (await session.scalars(select(IssuedDocument))).all()
    assert len(rows) == 1
    assert rows[0].pdf_sha256 == hashlib.sha256(first.content).hexdigest()
    assert rows[0].issued_by == family.teaching.world.users["student"].id


async def test_no_report_card_before_every_subject_is_published(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    await _published(session, family, french=False)
    response = await _report_card(client, family)
    assert response.status_code == 409
    assert response.json()["type"].endswith("not-published")


async def test_a_correction_issues_a_new_version_and_revokes_the_old(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    await _published(session, family)
    first = await _report_card(client, family)
    old_code = first.headers["etag"].strip('"')
    mark_id = await session.scalar(
        select(Mark.id).where(Mark.pupil_id == family.child.id, Mark.mark == D(12))
    )
    corrected = await client.post(
        f"/api/v1/school/marks/{mark_id}/correction",
        json={"mark": 14, "reason": "Erreur de saisie"},
        headers=family.auth("school_staff"),
    )
    assert corrected.status_code == 201, corrected.text
    # Before anyone downloads again, the public face already sees the data changed.
    assert (await client.get(f"{PUBLIC}/{old_code}")).json()["status"] == "revoked"
    second = await _report_card(client, family)
    assert second.headers["etag"] != first.headers["etag"]
    assert "14.75" in text_of(second.content)[0]  # maths: (14 + 15.5) / 2
    new_code = second.headers["etag"].strip('"')
    answer = (await client.get(f"{PUBLIC}/{new_code}")).json()
    assert (answer["status"], answer["version"]) == ("genuine", 2)
    old = (await client.get(f"{PUBLIC}/{old_code}")).json()
    assert old["status"] == "revoked"
    assert old["revoked_at"] is not None


async def test_a_parent_reads_their_childs_and_no_one_elses(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    await _published(session, family)
    params = {"year": family.teaching.year, "semester": 1}

    async def as_parent(child_id: object) -> httpx.Response:
        return await client.get(
            f"/api/v1/parent/children/{child_id}/documents/report-card",
            params=params,
            headers=family.auth("parent"),
        )

    own = await as_parent(family.child.id)
    assert own.status_code == 200
    assert "أمين الإدريسي" in text_of(own.content)[0]
    # A link not verified, a pupil of the same class who is not theirs: not found.
    assert (await as_parent(family.unverified.id)).status_code == 404
    assert (await as_parent(family.stranger.id)).status_code == 404


async def test_the_school_prints_a_pupil_and_a_whole_class(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    await _published(session, family)
    t = family.teaching
    params = {"year": t.year, "semester": 1}
    url = f"/api/v1/school/pupils/{family.child.id}/documents/report-card"
    one = await client.get(url, params=params, headers=family.auth("school_staff"))
    assert one.status_code == 200
    # The family's download is the same document.
    assert (await _report_card(client, family)).content == one.content
    elsewhere = await client.get(url, params=params, headers=family.auth("other_school_staff"))
    assert elsewhere.status_code == 404

    whole = await client.get(
        f"/api/v1/school/classes/{t.classes['c1'].id}/documents/report-cards",
        params={"semester": 1},
        headers=family.auth("school_staff"),
    )
    assert whole.status_code == 200, whole.text
    pages = text_of(whole.content)
    assert len(pages) == len(t.pupils["c1"])
    codes = (await session.scalars(select(IssuedDocument.code))).all()
    assert len(codes) == len(pages)
    assert all(any(code in page for page in pages) for code in codes)
    cached = await client.get(
        f"/api/v1/school/classes/{t.classes['c1'].id}/documents/report-cards",
        params={"semester": 1},
        headers=family.auth("school_staff") | {"If-None-Match": whole.headers["etag"]},
    )
    assert cached.status_code == 304
    other_class = await client.get(
        f"/api/v1/school/classes/{t.classes['c3'].id}/documents/report-cards",
        params={"semester": 1},
        headers=family.auth("school_staff"),
    )
    assert other_class.status_code == 404


async def test_a_school_certificate_is_issued_and_verified(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    await _named_child(session, family)
    await session.commit()
    issued = await client.post(f"{STUDENT}/school-certificate", headers=family.auth("student"))
    assert issued.status_code == 201, issued.text
    [page] = text_of(issued.content)
    assert "CERTIFICAT DE SCOLARITÉ" in page
    assert "شهادة مدرسية" in page
    assert "أمين الإدريسي" in page
    assert "EL IDRISSI Amine" in page
    again = await client.post(f"{STUDENT}/school-certificate", headers=family.auth("student"))
    assert (again.status_code, again.content) == (200, issued.content)

    code = issued.headers["etag"].strip('"')
    assert code in page
    answer = (await client.get(f"{PUBLIC}/{code.lower()}")).json()
    school = family.teaching.world.schools["a1"]
    assert answer == {
        "code": code,
        "status": "genuine",
        "kind": "school_certificate",
        "school_year": family.teaching.year,
        "semester": None,
        "version": 1,
        "issued_at": answer["issued_at"],
        "revoked_at": None,
        "school": {"code": school.code, "name_fr": school.name_fr, "name_ar": school.name_ar},
        "pupil_initials": "A. E.",
        "pdf_sha256": hashlib.sha256(issued.content).hexdigest(),
    }
    html = await client.get(f"{PUBLIC}/{code}", headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html")
    assert "Document authentique" in html.text
    assert "وثيقة صحيحة" in html.text
    assert "Amine" not in html.text

    def check(pdf: bytes) -> httpx.Response:
        return client.post(  # type: ignore[return-value]
            f"{PUBLIC}/{code}/check", content=pdf, headers={"Content-Type": "application/pdf"}
        )

    assert (await check(issued.content)).json()["matches"] is True
    middle = len(issued.content) // 2
    altered = (
        issued.content[:middle] + bytes([issued.content[middle] ^ 1]) + issued.content[middle + 1 :]
    )
    assert (await check(altered)).json()["matches"] is False


async def test_the_parent_and_the_school_issue_certificates_of_their_own_pupils(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    parent = await client.post(
        f"/api/v1/parent/children/{family.sibling.id}/documents/school-certificate",
        headers=family.auth("parent"),
    )
    assert parent.status_code == 201
    stranger = await client.post(
        f"/api/v1/parent/children/{family.stranger.id}/documents/school-certificate",
        headers=family.auth("parent"),
    )
    assert stranger.status_code == 404
    url = f"/api/v1/school/pupils/{family.sibling.id}/documents/school-certificate"
    assert (await client.post(url, headers=family.auth("school_staff"))).status_code == 200
    assert (await client.post(url, headers=family.auth("other_school_staff"))).status_code == 404


@pytest.mark.parametrize("code", ["AAAAAAAAAAAA", "not-a-code", "A" * 200])
async def test_a_forged_code_is_unknown(client: httpx.AsyncClient, code: str) -> None:
    answer = await client.get(f"{PUBLIC}/{code}")
    assert answer.status_code == 404
    assert answer.json()["type"].endswith("unknown-document")
    page = await client.get(f"{PUBLIC}/{code}", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert "Code inconnu" in page.text


async def test_guessing_codes_is_throttled(client: httpx.AsyncClient) -> None:
    statuses = [(await client.get(f"{PUBLIC}/BBBBBBBBBBBB")).status_code for _ in range(8)]
    assert statuses[0] == 404
    assert statuses[-1] == 429
