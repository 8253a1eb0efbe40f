"""The year's last report card: once the director validates the class council, it carries the
annual average on the level's scale and the council's decision and remarks, as a new version
that revokes the one issued before."""

from __future__ import annotations

import uuid
from decimal import Decimal

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Stream
from tests.councils.conftest import API, YearEnd
from tests.factories import assign, create_class, create_pupil, create_test_with_marks, subject
from tests.official_documents.test_documents import text_of


async def _validate(
    client: httpx.AsyncClient, end: YearEnd, class_id: str, rows: list[dict[str, str]]
) -> None:
    url = f"{API}/school/councils/{class_id}"
    staff = end.auth("school_staff")
    recorded = await client.put(f"{url}/decisions", json={"decisions": rows}, headers=staff)
    assert recorded.status_code == 200, recorded.text
    validated = await client.post(f"{url}/validate", headers=staff)
    assert validated.status_code == 200, validated.text


async def _card(client: httpx.AsyncClient, end: YearEnd, semester: int) -> httpx.Response:
    return await client.get(
        f"{API}/student/documents/report-card",
        params={"year": end.year, "semester": semester},
        headers=end.auth("student"),
    )


async def test_the_last_report_card_carries_the_validated_council(
    client: httpx.AsyncClient, session: AsyncSession, year_end: YearEnd
) -> None:
    end = year_end
    before = await _card(client, end, 2)
    assert before.status_code == 200, before.text
    [page] = text_of(before.content)
    assert "Moyenne annuelle" not in page
    assert "المعدل السنوي" not in page

    rows = [
        {
            "pupil_id": str(end.pupils[0].id),
            "decision": "oriented",
            "stream_id": end.streams["TC-S"],
            "remarks": "Très bon travail",
        },
        {"pupil_id": str(end.pupils[1].id), "decision": "repeats"},
        {"pupil_id": str(end.pupils[2].id), "decision": "repeats"},
        {"pupil_id": str(end.pupils[3].id), "decision": "left"},
    ]
    # Decided but not validated: the card does not change.
    decided = await client.put(
        f"{API}/school/councils/{end.third.id}/decisions",
        json={"decisions": rows},
        headers=end.auth("school_staff"),
    )
    assert decided.status_code == 200, decided.text
    unchanged = await _card(client, end, 2)
    assert unchanged.headers["etag"] == before.headers["etag"]

    await _validate(client, end, str(end.third.id), rows)
    after = await _card(client, end, 2)
    assert after.status_code == 200, after.text
    assert after.headers["etag"] != before.headers["etag"]
    [page] = text_of(after.content)
    assert "Moyenne annuelle : 15.00 / 20" in page
    assert "المعدل السنوي" in page
    stream = await session.get_one(Stream, uuid.UUID(end.streams["TC-S"]))
    assert f"Admis(e), orienté(e) : {stream.name_fr}" in page
    assert f"ينتقل، موجه إلى: {stream.name_ar}" in page
    assert "Observations : Très bon travail" in page
    # The card issued before the council is revoked by the new version.
    old = await client.get(f"{API}/public/documents/{before.headers['etag'].strip(chr(34))}")
    assert old.status_code == 200, old.text
    assert old.json()["status"] == "revoked"
    # The first semester's card has no year's end.
    [first] = text_of((await _card(client, end, 1)).content)
    assert "Moyenne annuelle" not in first


async def test_a_primary_card_reads_the_annual_average_out_of_ten(
    client: httpx.AsyncClient, session: AsyncSession, year_end: YearEnd
) -> None:
    end = year_end
    sixth = await create_class(session, end.world.schools["a1"], level_code="6AP")
    pupils = [await create_pupil(session, sixth) for _ in range(2)]
    maths, teacher = await subject(session, "MATH"), end.world.users["teacher"]
    await assign(session, teacher, sixth, maths)
    for semester, marks in ((1, ("6", "4")), (2, ("7", "4"))):
        values = dict(zip(pupils, (Decimal(m) for m in marks), strict=True))
        await create_test_with_marks(session, sixth, maths, teacher, values, semester=semester)
    await session.commit()
    rows = [
        {"pupil_id": str(pupils[0].id), "decision": "promoted"},
        {"pupil_id": str(pupils[1].id), "decision": "repeats", "remarks": "يحتاج إلى دعم"},
    ]
    await _validate(client, end, str(sixth.id), rows)
    staff = end.auth("school_staff")
    answer = await client.get(
        f"{API}/school/pupils/{pupils[1].id}/documents/report-card",
        params={"year": end.year, "semester": 2},
        headers=staff,
    )
    assert answer.status_code == 200, answer.text
    [page] = text_of(answer.content)
    assert "Moyenne annuelle : 4.00 / 10" in page, page
    assert "Redouble" in page
    assert "يكرر" in page
    assert "ملاحظات: يحتاج إلى دعم" in page
