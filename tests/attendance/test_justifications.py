"""Absence justifications: a parent justifies a verified child's recent absences (a reason and
a document recognised by its content), the school decides, the parent is told, and the
absences view shows where each absence stands."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import Pupil
from app.attendance.models import (
    AttendanceMark,
    AttendanceSheet,
    AttendanceStatus,
    Justification,
    JustifiedAbsence,
)
from app.core.storage import LocalDirectoryStore, new_key
from app.messaging.models import Notification, NotificationCategory
from app.settings import get_settings
from tests.factories import FamilyWorld

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
PARENT_ROUTES = ("justifications", "justifications/{id}/document")


@pytest.fixture
def documents(app: FastAPI, tmp_path: Path) -> Path:
    """The app's document store, in a directory of this test's own."""
    root = tmp_path / "documents"
    app.state.document_store = LocalDirectoryStore(root)
    return root


def _stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def _roll_call(
    session: AsyncSession,
    family: FamilyWorld,
    statuses: Mapping[Pupil, AttendanceStatus],
    *,
    days_ago: int = 1,
    start: time = time(8, 30),
    class_name: str = "c1",
) -> dict[uuid.UUID, uuid.UUID]:
    """A maths lesson's marks written directly; the mark id of each pupil."""
    teaching = family.teaching
    school_class = teaching.classes[class_name]
    sheet = AttendanceSheet(
        school_id=school_class.school_id,
        school_year=teaching.year,
        class_id=school_class.id,
        subject_id=teaching.subjects["MATH"].id,
        teacher_id=teaching.world.users["teacher"].id,
        lesson_date=school_today() - timedelta(days=days_ago),
        starts_at=start,
    )
    session.add(sheet)
    await session.flush()
    marks = {
        pupil.id: AttendanceMark(
            school_id=school_class.school_id,
            school_year=teaching.year,
            sheet_id=sheet.id,
            pupil_id=pupil.id,
            status=status,
            minutes_late=10 if status is AttendanceStatus.LATE else None,
        )
        for pupil, status in statuses.items()
    }
    session.add_all(marks.values())
    await session.commit()
    return {pupil_id: mark.id for pupil_id, mark in marks.items()}


async def _absence(session: AsyncSession, family: FamilyWorld, **when: Any) -> uuid.UUID:
    """One absence of the family's child."""
    marks = await _roll_call(session, family, {family.child: AttendanceStatus.ABSENT}, **when)
    return marks[family.child.id]


def _url(pupil: Pupil, tail: str = "justifications") -> str:
    return f"/api/v1/parent/children/{pupil.id}/{tail}"


async def _submit(
    client: httpx.AsyncClient,
    family: FamilyWorld,
    absence_ids: list[uuid.UUID],
    *,
    document: tuple[str, bytes, str] | None = None,
    child: Pupil | None = None,
    who: str = "parent",
    reason: str = "Malade, chez le médecin.",
) -> httpx.Response:
    return await client.post(
        _url(child or family.child),
        data={"absence_ids": [str(a) for a in absence_ids], "reason": reason},
        files={"document": document} if document else None,
        headers=family.auth(who),
    )


async def _count(session: AsyncSession, model: type[Any]) -> int:
    return await session.scalar(select(func.count()).select_from(model)) or 0


async def _decide(
    client: httpx.AsyncClient,
    family: FamilyWorld,
    justification_id: str,
    body: dict[str, Any],
    who: str = "school_staff",
) -> httpx.Response:
    return await client.post(
        f"/api/v1/school/justifications/{justification_id}/decision",
        json=body,
        headers=family.auth(who),
    )


# ---- submitting -----------------------------------------------------------------------------


async def test_submit_and_list(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, documents: Path
) -> None:
    first = await _absence(session, family, days_ago=2)
    second = await _absence(session, family, days_ago=1)
    response = await _submit(client, family, [first, second])
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["status"] == "pending"
    assert created["document"] is None
    assert [a["id"] for a in created["absences"]] == [str(first), str(second)]
    assert created["absences"][0]["subject"]["code"] == "MATH"

    listed = await client.get(_url(family.child), headers=family.auth("parent"))
    assert listed.status_code == 200
    assert [j["id"] for j in listed.json()["items"]] == [created["id"]]
    assert listed.json()["items"][0]["absences"] == created["absences"]
    assert listed.json()["next_cursor"] is None
    assert _stored_files(documents) == []


@pytest.mark.parametrize(
    ("upload", "content_type"),
    [
        (("certificat.pdf", PDF, "application/pdf"), "application/pdf"),
        # The declared type and the name are the client's word; the bytes decide.
        (("photo.txt", JPEG, "text/plain"), "image/jpeg"),
        (("scan", PNG, "application/octet-stream"), "image/png"),
    ],
)
async def test_a_document_is_recognised_by_its_content(
    client: httpx.AsyncClient,
    family: FamilyWorld,
    session: AsyncSession,
    documents: Path,
    upload: tuple[str, bytes, str],
    content_type: str,
) -> None:
    response = await _submit(client, family, [await _absence(session, family)], document=upload)
    assert response.status_code == 201, response.text
    assert response.json()["document"] == {"content_type": content_type, "size": len(upload[1])}
    stored = _stored_files(documents)
    assert len(stored) == 1
    # The server names the file; nothing of the client's file name is kept.
    assert upload[0] not in str(stored[0])
    assert stored[0].read_bytes() == upload[1]

    justification_id = response.json()["id"]
    for url, who in (
        (_url(family.child, f"justifications/{justification_id}/document"), "parent"),
        (f"/api/v1/school/justifications/{justification_id}/document", "school_staff"),
    ):
        download = await client.get(url, headers=family.auth(who))
        assert download.status_code == 200, download.text
        assert download.content == upload[1]
        assert download.headers["content-type"] == content_type
        assert download.headers["x-content-type-options"] == "nosniff"
        assert "no-store" in download.headers["cache-control"]


async def test_a_text_file_named_pdf_is_refused(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, documents: Path
) -> None:
    text = ("certificat.pdf", b"I was ill, honestly.", "application/pdf")
    response = await _submit(client, family, [await _absence(session, family)], document=text)
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/unsupported-document")
    assert await _count(session, Justification) == 0
    assert _stored_files(documents) == []


@pytest.mark.parametrize(("extra", "status"), [(0, 201), (1, 413)])
async def test_the_document_size_limit(
    client: httpx.AsyncClient,
    family: FamilyWorld,
    session: AsyncSession,
    documents: Path,
    extra: int,
    status: int,
) -> None:
    limit = get_settings().justification_max_bytes
    assert limit == 5 * 1024 * 1024
    content = PDF + b"\0" * (limit + extra - len(PDF))
    upload = ("certificat.pdf", content, "application/pdf")
    response = await _submit(client, family, [await _absence(session, family)], document=upload)
    assert response.status_code == status, response.text[:300]
    if status == 413:
        assert response.headers["content-type"] == "application/problem+json"
        assert await _count(session, Justification) == 0
        assert _stored_files(documents) == []


async def test_a_failed_commit_leaves_no_document_behind(
    client: httpx.AsyncClient,
    family: FamilyWorld,
    session: AsyncSession,
    documents: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    absence = await _absence(session, family)

    async def failing_commit(self: AsyncSession) -> None:
        raise OperationalError("COMMIT", {}, Exception("the server went away"))

    monkeypatch.setattr(AsyncSession, "commit", failing_commit)
    upload = ("certificat.pdf", PDF, "application/pdf")
    response = await _submit(client, family, [absence], document=upload)
    monkeypatch.undo()
    assert response.status_code == 500
    assert _stored_files(documents) == []
    assert await _count(session, Justification) == 0


@pytest.mark.parametrize("fault", ["stranger", "present", "late", "unknown"])
async def test_an_id_that_is_not_an_absence_of_the_child_is_named(
    client: httpx.AsyncClient,
    family: FamilyWorld,
    session: AsyncSession,
    documents: Path,
    fault: str,
) -> None:
    marks = await _roll_call(
        session,
        family,
        {
            family.child: AttendanceStatus.ABSENT,
            family.stranger: AttendanceStatus.ABSENT,
            family.unverified: AttendanceStatus.ABSENT,
        },
    )
    other = await _roll_call(
        session,
        family,
        {family.child: AttendanceStatus.PRESENT if fault == "present" else AttendanceStatus.LATE},
        start=time(10, 30),
    )
    wrong = {
        "stranger": marks[family.stranger.id],
        "present": other[family.child.id],
        "late": other[family.child.id],
        "unknown": uuid.uuid4(),
    }[fault]
    response = await _submit(client, family, [marks[family.child.id], wrong])
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "body.absence_ids.1",
            "message": "not an absence of this child",
            "code": "not_an_absence",
        }
    ]
    assert family.stranger.massar_code not in response.text
    assert await _count(session, Justification) == 0


async def test_the_same_absence_twice_in_one_request(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, documents: Path
) -> None:
    absence = await _absence(session, family)
    response = await _submit(client, family, [absence, absence])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.absence_ids.1"
    assert response.json()["errors"][0]["code"] == "duplicate"


async def test_the_window_counts_school_days_back_from_today(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, documents: Path
) -> None:
    window = get_settings().justification_window_days
    too_old = await _absence(session, family, days_ago=window + 1)
    last_day = await _absence(session, family, days_ago=window)
    refused = await _submit(client, family, [last_day, too_old])
    assert refused.status_code == 422
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [
        ("body.absence_ids.1", "too_old")
    ]
    assert (await _submit(client, family, [last_day])).status_code == 201


async def test_an_absence_in_a_pending_justification_cannot_be_justified_again(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, documents: Path
) -> None:
    absence = await _absence(session, family)
    assert (await _submit(client, family, [absence])).status_code == 201
    again = await _submit(client, family, [absence])
    assert again.status_code == 422
    assert again.json()["errors"][0]["code"] == "already_justified"
    assert await _count(session, Justification) == 1


async def test_the_database_also_refuses_a_second_open_justification(
    family: FamilyWorld, session: AsyncSession
) -> None:
    """The partial unique index holds even if two requests race past the service's check."""
    absence = await _absence(session, family)
    first, second = (
        Justification(
            school_id=family.child.school_id,
            pupil_id=family.child.id,
            submitted_by=family.teaching.world.users["parent"].id,
            reason="race",
        )
        for _ in range(2)
    )
    session.add_all([first, second])
    await session.flush()
    covered = [
        JustifiedAbsence(
            justification_id=j.id,
            attendance_mark_id=absence,
            school_id=j.school_id,
            school_year=family.teaching.year,
        )
        for j in (first, second)
    ]
    session.add(covered[0])
    await session.flush()
    session.add(covered[1])
    with pytest.raises(IntegrityError, match="uq_justified_absences_open"):
        await session.flush()
    await session.rollback()


async def test_after_a_rejection_the_absence_can_be_justified_again(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, documents: Path
) -> None:
    absence = await _absence(session, family)
    first = (await _submit(client, family, [absence])).json()
    rejected = await _decide(client, family, first["id"], {"accepted": False, "reason": "Flou"})
    assert rejected.status_code == 200, rejected.text
    # The absences view shows the rejection until a new justification is sent.
    view = await client.get(_url(family.child, "absences"), headers=family.auth("parent"))
    assert view.json()["items"][0]["justification"] == "rejected"
    assert view.json()["unjustified"] == 1

    second = await _submit(client, family, [absence], reason="Certificat joint cette fois.")
    assert second.status_code == 201, second.text
    view = await client.get(_url(family.child, "absences"), headers=family.auth("parent"))
    assert view.json()["items"][0]["justification"] == "pending"
    listed = await client.get(_url(family.child), headers=family.auth("parent"))
    assert {j["status"] for j in listed.json()["items"]} == {"rejected", "pending"}


async def test_the_absences_view_shows_each_absences_status(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, documents: Path
) -> None:
    justified = await _absence(session, family, days_ago=1)
    other = await _absence(session, family, days_ago=2)
    created = (await _submit(client, family, [justified])).json()
    await _decide(client, family, created["id"], {"accepted": True})
    for url, who in (
        (_url(family.child, "absences"), "parent"),
        ("/api/v1/student/absences", "student"),
    ):
        view = (await client.get(url, headers=family.auth(who))).json()
        statuses = {i["id"]: i["justification"] for i in view["items"]}
        assert statuses == {str(justified): "accepted", str(other): "none"}
        assert view["unjustified"] == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reason": "x"}, "body.absence_ids"),
        ({"absence_ids": ["not-a-uuid"], "reason": "x"}, "body.absence_ids.0"),
        ({"absence_ids": [str(uuid.uuid4())]}, "body.reason"),
        ({"absence_ids": [str(uuid.uuid4())], "reason": "x" * 1001}, "body.reason"),
    ],
)
async def test_the_form_is_validated(
    client: httpx.AsyncClient,
    family: FamilyWorld,
    documents: Path,
    data: dict[str, Any],
    field: str,
) -> None:
    response = await client.post(_url(family.child), data=data, headers=family.auth("parent"))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in {e["field"] for e in response.json()["errors"]}


async def test_a_blank_reason_is_refused(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, documents: Path
) -> None:
    response = await _submit(client, family, [await _absence(session, family)], reason="   ")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.reason"


# ---- scope and roles on the parent's side ----------------------------------------------------


@pytest.mark.parametrize("whose", ["unverified", "stranger"])
async def test_another_familys_or_an_unverified_child_is_404(
    client: httpx.AsyncClient,
    family: FamilyWorld,
    session: AsyncSession,
    documents: Path,
    whose: str,
) -> None:
    pupil: Pupil = getattr(family, whose)
    marks = await _roll_call(session, family, {pupil: AttendanceStatus.ABSENT})
    submitted = await _submit(client, family, [marks[pupil.id]], child=pupil)
    assert submitted.status_code == 404
    listed = await client.get(_url(pupil), headers=family.auth("parent"))
    assert listed.status_code == 404
    for response in (submitted, listed):
        assert pupil.massar_code not in response.text
        assert pupil.last_name not in response.text
    assert await _count(session, Justification) == 0


async def test_a_document_of_another_child_or_none_is_404(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, documents: Path
) -> None:
    with_document = await _submit(
        client,
        family,
        [await _absence(session, family)],
        document=("c.pdf", PDF, "application/pdf"),
    )
    without = await _submit(client, family, [await _absence(session, family, days_ago=2)])
    headers = family.auth("parent")
    # The sibling is also mine, but the justification is not theirs.
    url = _url(family.sibling, f"justifications/{with_document.json()['id']}/document")
    assert (await client.get(url, headers=headers)).status_code == 404
    url = _url(family.child, f"justifications/{without.json()['id']}/document")
    assert (await client.get(url, headers=headers)).status_code == 404
    url = _url(family.child, f"justifications/{uuid.uuid4()}/document")
    assert (await client.get(url, headers=headers)).status_code == 404


@pytest.mark.parametrize("who", ["student", "teacher", "school_staff", "central_staff"])
async def test_other_roles_get_403_on_the_parents_routes(
    client: httpx.AsyncClient,
    family: FamilyWorld,
    session: AsyncSession,
    documents: Path,
    who: str,
) -> None:
    absence = await _absence(session, family)
    assert (await _submit(client, family, [absence], who=who)).status_code == 403
    for tail in PARENT_ROUTES:
        url = _url(family.child, tail.format(id=uuid.uuid4()))
        assert (await client.get(url, headers=family.auth(who))).status_code == 403
    assert await _count(session, Justification) == 0


# ---- the school's side ----------------------------------------------------------------------


async def test_the_school_lists_its_justifications_by_page_and_status(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, documents: Path
) -> None:
    ids = []
    for days_ago in (1, 2, 3):
        response = await _submit(
            client, family, [await _absence(session, family, days_ago=days_ago)]
        )
        ids.append(response.json()["id"])
    # Created in one test transaction they share a timestamp: spread them out.
    for hours, justification_id in enumerate(ids):
        await session.execute(
            update(Justification)
            .where(Justification.id == uuid.UUID(justification_id))
            .values(created_at=func.now() + timedelta(hours=hours))
        )
    await session.commit()
    await _decide(client, family, ids[0], {"accepted": True})

    headers = family.auth("school_staff")
    url = "/api/v1/school/justifications"
    first = await client.get(url, params={"status": "pending", "limit": 1}, headers=headers)
    assert first.status_code == 200, first.text
    item = first.json()["items"][0]
    assert item["id"] == ids[2]
    assert item["pupil"]["massar_code"] == family.child.massar_code
    assert item["school_class"]["id"] == str(family.teaching.classes["c1"].id)
    assert item["submitted_by"]["id"] == str(family.teaching.world.users["parent"].id)
    cursor = first.json()["next_cursor"]
    assert cursor
    second = await client.get(
        url, params={"status": "pending", "limit": 1, "cursor": cursor}, headers=headers
    )
    assert [i["id"] for i in second.json()["items"]] == [ids[1]]
    assert second.json()["next_cursor"] is None
    everything = await client.get(url, headers=headers)
    assert [i["id"] for i in everything.json()["items"]] == ids[::-1]
    bad = await client.get(url, params={"cursor": "nonsense"}, headers=headers)
    assert bad.status_code == 400


async def test_another_schools_staff_see_nothing_and_decide_nothing(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, documents: Path
) -> None:
    created = await _submit(
        client,
        family,
        [await _absence(session, family)],
        document=("c.pdf", PDF, "application/pdf"),
    )
    justification_id = created.json()["id"]
    headers = family.auth("other_school_staff")
    listed = await client.get("/api/v1/school/justifications", headers=headers)
    assert listed.json()["items"] == []
    decided = await _decide(
        client, family, justification_id, {"accepted": True}, "other_school_staff"
    )
    assert decided.status_code == 404
    assert family.child.massar_code not in decided.text
    document = await client.get(
        f"/api/v1/school/justifications/{justification_id}/document", headers=headers
    )
    assert document.status_code == 404
    status = await session.scalar(select(Justification.status))
    assert status == "pending"


async def test_a_decision_notifies_the_parent(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, documents: Path
) -> None:
    created = (await _submit(client, family, [await _absence(session, family)])).json()
    response = await _decide(
        client, family, created["id"], {"accepted": False, "reason": "Pas de certificat."}
    )
    assert response.status_code == 200, response.text
    decided = response.json()
    assert decided["status"] == "rejected"
    assert decided["decision_reason"] == "Pas de certificat."
    assert decided["decided_at"] is not None
    inbox = (
        await session.execute(
            select(Notification).where(
                Notification.user_id == family.teaching.world.users["parent"].id
            )
        )
    ).scalar_one()
    assert inbox.category == NotificationCategory.ABSENCES
    assert inbox.data["justification_id"] == created["id"]
    assert inbox.data["status"] == "rejected"
    assert "Pas de certificat." in inbox.body_fr
    assert family.child.first_name_ar in inbox.body_ar
    # The covered absences follow the status (the partial unique index reads it).
    statuses = await session.scalars(select(JustifiedAbsence.status))
    assert set(statuses) == {"rejected"}


async def test_rejecting_needs_a_reason_and_a_decision_is_final(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, documents: Path
) -> None:
    created = (await _submit(client, family, [await _absence(session, family)])).json()
    no_reason = await _decide(client, family, created["id"], {"accepted": False})
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "body.reason"
    accepted = await _decide(client, family, created["id"], {"accepted": True})
    assert accepted.status_code == 200
    again = await _decide(client, family, created["id"], {"accepted": False, "reason": "Non"})
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    missing = await _decide(client, family, str(uuid.uuid4()), {"accepted": True})
    assert missing.status_code == 404
    notified = await session.scalar(select(func.count()).select_from(Notification))
    assert notified == 1


@pytest.mark.parametrize("who", ["parent", "teacher", "student", "province_staff"])
async def test_other_roles_get_403_on_the_schools_routes(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, documents: Path, who: str
) -> None:
    created = (await _submit(client, family, [await _absence(session, family)])).json()
    headers = family.auth(who)
    base = "/api/v1/school/justifications"
    assert (await client.get(base, headers=headers)).status_code == 403
    assert (
        await client.get(f"{base}/{created['id']}/document", headers=headers)
    ).status_code == 403
    assert (
        await _decide(client, family, created["id"], {"accepted": True}, who)
    ).status_code == 403


# ---- the document store ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["../outside", "/etc/passwd", "justifications/../../x", "a/.hidden", "A/B", ""]
)
async def test_a_key_cannot_leave_the_stores_root(tmp_path: Path, key: str) -> None:
    store = LocalDirectoryStore(tmp_path / "root")
    with pytest.raises(ValueError, match="not a document key"):
        await store.put(key, b"x", "text/plain")


async def test_the_store_round_trip(tmp_path: Path) -> None:
    store = LocalDirectoryStore(tmp_path)
    key = new_key("justifications")
    assert key.startswith("justifications/")
    await store.put(key, PDF, "application/pdf")
    assert await store.get(key) == PDF
    await store.delete(key)
    await store.delete(key)  # already gone: not an error
    with pytest.raises(LookupError):
        await store.get(key)
    with pytest.raises(ValueError, match="prefix"):
        new_key("../x")
