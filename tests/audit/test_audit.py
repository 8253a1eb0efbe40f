"""The audit log: every write recorded by the database with who, where and what changed;
append-only; read through each caller's scope."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, event, func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from app.academics.models import Pupil
from app.assessment.models import Mark
from app.audit.models import AuditEntry
from app.core.db.audit_context import Actor, act_as
from app.settings import get_settings
from tests.factories import PASSWORD, TeachingWorld, create_class

SCHOOL_AUDIT = "/api/v1/school/audit"
STEERING_AUDIT = "/api/v1/steering/audit"


async def _new_test(client: httpx.AsyncClient, teaching: TeachingWorld) -> str:
    response = await client.post(
        f"/api/v1/teacher/classes/{teaching.classes['c1'].id}/tests",
        json={
            "subject_id": str(teaching.subjects["MATH"].id),
            "semester": 1,
            "kind": "test_1",
            "date": "2026-11-20",
            "title": "Contrôle 1",
        },
        headers=teaching.auth("teacher"),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _put_marks(
    client: httpx.AsyncClient, teaching: TeachingWorld, test_id: str, *marks: float, **kw: Any
) -> httpx.Response:
    rows = [
        {"pupil_id": str(p.id), "mark": m}
        for p, m in zip(teaching.pupils["c1"], marks, strict=False)
    ]
    headers = {**teaching.auth("teacher"), **kw.get("headers", {})}
    response = await client.put(
        f"/api/v1/teacher/tests/{test_id}/marks", json=rows, headers=headers
    )
    assert response.status_code == 200, response.text
    return response


async def _entries(session: AsyncSession, *where: Any) -> list[AuditEntry]:
    query = select(AuditEntry).where(*where).order_by(AuditEntry.id)
    return list((await session.scalars(query)).all())


async def _count(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(AuditEntry)) or 0


async def test_a_bulk_upsert_of_marks_is_audited_row_by_row(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    test_id = await _new_test(client, teaching)
    await _put_marks(client, teaching, test_id, 10, 11)
    response = await _put_marks(
        client, teaching, test_id, 12, 11, headers={"X-Request-ID": "req-audit-0001"}
    )
    assert response.headers["X-Request-ID"] == "req-audit-0001"
    teacher = teaching.world.users["teacher"]

    [entry] = await _entries(session, AuditEntry.request_id == "req-audit-0001")
    assert entry.entity == "marks"
    assert entry.action == "update"
    assert (entry.actor_id, entry.actor_role) == (teacher.id, "teacher")
    assert entry.school_id == teaching.world.schools["a1"].id
    assert str(entry.client_ip) == "127.0.0.1"
    before, after = entry.changed["mark"]
    assert (Decimal(str(before)), Decimal(str(after))) == (Decimal(10), Decimal(12))
    # Only the fields that changed (updated_at is not a change of its own).
    assert set(entry.changed) == {"mark"}
    inserted = await _entries(session, AuditEntry.entity == "marks", AuditEntry.action == "insert")
    assert len(inserted) == 2
    assert {e.actor_id for e in inserted} == {teacher.id}


async def test_a_replayed_request_adds_no_audit_row(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    test_id = await _new_test(client, teaching)
    await _put_marks(client, teaching, test_id, 10, 11, 12)
    before = await _count(session)
    await _put_marks(client, teaching, test_id, 10, 11, 12)
    assert await _count(session) == before


async def test_a_school_correction_is_audited_with_before_and_after(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    test_id = await _new_test(client, teaching)
    await _put_marks(client, teaching, test_id, 10, 11, 12, 13, 14)
    headers = teaching.auth("teacher")
    submitted = await client.post(f"/api/v1/teacher/tests/{test_id}/submit", headers=headers)
    assert submitted.status_code == 200, submitted.text
    staff = teaching.auth("school_staff")
    await client.post(f"/api/v1/school/tests/{test_id}/validate", headers=staff)
    pupil_id = teaching.pupils["c1"][0].id
    mark_id = await session.scalar(
        select(Mark.id).where(Mark.test_id == test_id, Mark.pupil_id == pupil_id)
    )
    corrected = await client.post(
        f"/api/v1/school/marks/{mark_id}/correction",
        json={"mark": 15, "reason": "Erreur de saisie"},
        headers=staff,
    )
    assert corrected.status_code == 201, corrected.text

    listed = await client.get(
        SCHOOL_AUDIT, params={"entity": "marks", "entity_id": str(mark_id)}, headers=staff
    )
    assert listed.status_code == 200
    newest = listed.json()["items"][0]
    assert newest["action"] == "update"
    assert newest["actor_id"] == str(teaching.world.users["school_staff"].id)
    assert newest["actor_role"] == "school_staff"
    assert [Decimal(str(v)) for v in newest["changed"]["mark"]] == [Decimal(10), Decimal(15)]
    assert newest["request_id"] == corrected.headers["X-Request-ID"]
    [correction] = (
        await client.get(SCHOOL_AUDIT, params={"entity": "mark_corrections"}, headers=staff)
    ).json()["items"]
    assert correction["action"] == "insert"
    # A free-text reason is kept as its digest: proof of what was written, not the text.
    digest = hashlib.sha256(b"Erreur de saisie").hexdigest()
    assert correction["changed"]["reason"] == f"sha256:{digest}"


async def test_secrets_never_reach_the_audit(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    teacher = teaching.world.users["teacher"]
    changed = await client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "another-long-secret"},
        headers=teaching.auth("teacher"),
    )
    assert changed.status_code == 204, changed.text
    new_hash = await session.scalar(
        text("SELECT password_hash FROM users WHERE id = :id"), {"id": teacher.id}
    )
    entries = await _entries(session, AuditEntry.entity == "users")
    dumped = json.dumps([e.changed for e in entries])
    assert teacher.password_hash not in dumped
    assert new_hash not in dumped
    assert all("password_hash" not in e.changed for e in entries if e.action == "insert")
    # The change itself leaves a trace, without the hash.
    [trace] = [e for e in entries if e.action == "update" and e.actor_id == teacher.id]
    assert trace.changed["password_hash"] == ["[redacted]", "[redacted]"]


async def test_an_anonymous_request_does_not_inherit_the_previous_actor(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    test_id = await _new_test(client, teaching)
    await _put_marks(client, teaching, test_id, 10)
    teacher = teaching.world.users["teacher"]
    login = await client.post(
        "/api/v1/auth/token", json={"username": teacher.username, "password": PASSWORD}
    )
    assert login.status_code == 200
    [entry] = await _entries(
        session,
        AuditEntry.request_id == login.headers["X-Request-ID"],
        AuditEntry.entity == "users",
    )
    assert (entry.actor_id, entry.actor_role) == (None, "anonymous")
    assert "last_login_at" in entry.changed


async def test_writes_outside_a_request_are_the_system_s(
    teaching: TeachingWorld, session: AsyncSession
) -> None:
    entries = await _entries(session, AuditEntry.entity == "pupils")
    assert len(entries) == 10  # the factories' pupils
    assert {(e.actor_id, e.actor_role, e.request_id) for e in entries} == {(None, "system", None)}
    assert {e.school_id for e in entries} == {
        teaching.world.schools["a1"].id,
        teaching.world.schools["c"].id,
    }


@pytest.mark.parametrize(
    "statement",
    [
        update(AuditEntry).values(actor_role="nobody"),
        delete(AuditEntry),
        text("TRUNCATE audit_log"),
    ],
    ids=["update", "delete", "truncate"],
)
async def test_the_log_is_append_only(
    teaching: TeachingWorld, session: AsyncSession, statement: Any
) -> None:
    assert await _count(session) > 0
    with pytest.raises(DBAPIError, match="append-only"):
        async with session.begin_nested():
            await session.execute(statement)
    assert await _count(session) > 0


# ---- reading, through the scope -------------------------------------------------------------


async def _ids(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], **params: Any
) -> set[str]:
    """The school ids of every row the caller sees (all pages)."""
    seen: set[str] = set()
    cursor = None
    while True:
        query = {**params, "limit": 200, **({"cursor": cursor} if cursor else {})}
        response = await client.get(url, params=query, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        seen |= {str(item["school_id"]) for item in body["items"]}
        cursor = body["next_cursor"]
        if cursor is None:
            return seen


async def test_each_level_sees_its_part_of_the_tree(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    await create_class(session, teaching.world.schools["b"])
    await session.commit()
    schools = {name: str(s.id) for name, s in teaching.world.schools.items()}
    auth = teaching.auth
    assert await _ids(client, SCHOOL_AUDIT, auth("school_staff")) == {schools["a1"]}
    assert await _ids(client, SCHOOL_AUDIT, auth("other_school_staff")) == {schools["c"]}
    # Directorate RSK-RABAT holds a1 (a2 has no rows); its academy adds b (RSK-SALE); central
    # sees everything, rows of no school included (accounts of parents and steering staff).
    assert await _ids(client, STEERING_AUDIT, auth("province_staff")) == {schools["a1"]}
    assert await _ids(client, STEERING_AUDIT, auth("academy_staff")) == {
        schools["a1"],
        schools["b"],
    }
    assert await _ids(client, STEERING_AUDIT, auth("central_staff")) == {
        schools["a1"],
        schools["b"],
        schools["c"],
        "None",
    }


async def test_a_filter_on_an_object_outside_the_scope_is_empty(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    foreign = teaching.pupils["c3"][0]
    params = {"entity": "pupils", "entity_id": str(foreign.id)}
    mine = await client.get(SCHOOL_AUDIT, params=params, headers=teaching.auth("school_staff"))
    assert mine.json() == {"items": [], "next_cursor": None}
    province = await client.get(
        STEERING_AUDIT, params=params, headers=teaching.auth("province_staff")
    )
    assert province.json()["items"] == []
    theirs = await client.get(
        SCHOOL_AUDIT, params=params, headers=teaching.auth("other_school_staff")
    )
    [entry] = theirs.json()["items"]
    assert entry["entity_id"] == str(foreign.id)
    assert await session.get(Pupil, foreign.id) is not None


async def test_filters_and_cursor(client: httpx.AsyncClient, teaching: TeachingWorld) -> None:
    test_id = await _new_test(client, teaching)
    await _put_marks(client, teaching, test_id, 10, 11, 12)
    await _put_marks(client, teaching, test_id, 13, 14, 15)
    staff = teaching.auth("school_staff")
    teacher_id = str(teaching.world.users["teacher"].id)
    params = {"entity": "marks", "actor_id": teacher_id, "limit": 2}
    first = (await client.get(SCHOOL_AUDIT, params=params, headers=staff)).json()
    assert [i["action"] for i in first["items"]] == ["update", "update"]
    ids = [i["id"] for i in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = (
            await client.get(SCHOOL_AUDIT, params={**params, "cursor": cursor}, headers=staff)
        ).json()
        ids += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
    assert len(ids) == 6
    assert ids == sorted(ids, reverse=True)  # newest first
    inserts = await client.get(
        SCHOOL_AUDIT, params={"entity": "marks", "action": "insert"}, headers=staff
    )
    assert len(inserts.json()["items"]) == 3
    later = await client.get(SCHOOL_AUDIT, params={"from": "2999-01-01T00:00:00Z"}, headers=staff)
    assert later.json()["items"] == []
    earlier = await client.get(SCHOOL_AUDIT, params={"to": "2000-01-01T00:00:00Z"}, headers=staff)
    assert earlier.json()["items"] == []
    bad = await client.get(SCHOOL_AUDIT, params={"cursor": "bm9wZQ"}, headers=staff)
    assert bad.status_code == 400


@pytest.mark.parametrize("who", ["teacher", "student", "parent", "province_staff"])
async def test_the_school_audit_is_for_school_staff(
    client: httpx.AsyncClient, teaching: TeachingWorld, who: str
) -> None:
    assert (await client.get(SCHOOL_AUDIT, headers=teaching.auth(who))).status_code == 403


@pytest.mark.parametrize("who", ["teacher", "student", "parent", "school_staff"])
async def test_the_steering_audit_is_for_steering_staff(
    client: httpx.AsyncClient, teaching: TeachingWorld, who: str
) -> None:
    assert (await client.get(STEERING_AUDIT, headers=teaching.auth(who))).status_code == 403


async def test_the_audit_needs_a_token(client: httpx.AsyncClient) -> None:
    assert (await client.get(STEERING_AUDIT)).status_code == 401


async def test_a_login_with_a_stray_bearer_header_is_the_anonymous_caller_s(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    teacher = teaching.world.users["teacher"]
    login = await client.post(
        "/api/v1/auth/token",
        json={"username": teacher.username, "password": PASSWORD},
        headers=teaching.auth("school_staff"),  # a token the login does not read
    )
    assert login.status_code == 200
    [entry] = await _entries(
        session,
        AuditEntry.request_id == login.headers["X-Request-ID"],
        AuditEntry.entity == "users",
    )
    assert (entry.actor_id, entry.actor_role) == (None, "anonymous")


async def test_the_audit_names_the_client_behind_a_trusted_proxy(
    client: httpx.AsyncClient,
    teaching: TeachingWorld,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = get_settings().model_copy(update={"trusted_proxies": ["127.0.0.0/8"]})
    monkeypatch.setattr("app.core.db.audit_context.get_settings", lambda: settings)
    test_id = await _new_test(client, teaching)
    answer = await _put_marks(
        client, teaching, test_id, 12, headers={"X-Forwarded-For": "41.248.10.7"}
    )
    [entry, *_] = await _entries(session, AuditEntry.request_id == answer.headers["X-Request-ID"])
    assert str(entry.client_ip) == "41.248.10.7"


async def test_the_actor_is_sent_once_a_transaction_and_again_after_a_savepoint_rolls_back(
    teaching: TeachingWorld, session: AsyncSession
) -> None:
    sent: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "massar.actor_id" in statement:
            sent.append(statement)

    engine = session.bind.sync_engine  # type: ignore[union-attr]
    event.listen(engine, "before_cursor_execute", count)
    teacher = teaching.world.users["teacher"]
    request = Request({"type": "http", "headers": [], "client": ("10.0.0.7", 5000)})
    act_as(session.sync_session, Actor(request, str(teacher.id), "teacher"))
    pupil = await session.get_one(Pupil, teaching.pupils["c1"][0].id)
    try:
        for name in ("Amina", "Aminata"):  # two flushes, one transaction
            pupil.birth_place = name
            await session.flush()
        assert len(sent) == 1
        savepoint = await session.begin_nested()
        pupil.birth_place = "Rabat"
        await session.flush()
        await savepoint.rollback()  # takes the settings back with it
        pupil.birth_place = "Salé"
        await session.flush()
        assert len(sent) == 2
        entries = await _entries(
            session, AuditEntry.entity == "pupils", AuditEntry.entity_id == pupil.id
        )
        assert [e.actor_id for e in entries if e.action == "update"] == [teacher.id] * 3
    finally:
        event.remove(engine, "before_cursor_execute", count)
        await session.rollback()
