"""Pre-registration for 1AP over HTTP: a parent signs up with a code sent through a gateway on
loopback, registers a child, the school decides, and the year's opening makes the child a
pupil with a Massar code and a verified guardian link."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.academics.models import Pupil
from app.core.roles import Role, StaffTitle
from app.core.security.throttle import build_login_throttle
from app.family.models import GuardianLink
from app.messaging.models import Notification, NotificationCategory, PushStatus, TextMessage
from app.messaging.texts import text_worker
from app.organisation.models import School
from app.preregistration import massar_codes
from app.settings import get_settings
from tests.factories import (
    World,
    access_token,
    create_class,
    create_pupil,
    create_school,
    create_user,
    ensure_current_year,
    open_next_year,
)
from tests.messaging.text_gateway import TextGateway, text_gateway

API = "/api/v1"
PUBLIC = f"{API}/public/preregistration"
SCHOOL = f"{API}/school/preregistrations"
PARENT = f"{API}/parent/preregistrations"
PHONE = "06 12 34 56 78"
PHONE_LOGIN = "+212612345678"
NEW_PASSWORD = "Wahda-2027-famille"
CODE = re.compile(r"\b[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}\b")
Sessions = async_sessionmaker[AsyncSession]


@dataclass
class Primary:
    school: School
    next_year: int
    headers: dict[str, dict[str, str]]


@pytest.fixture
async def primary(session: AsyncSession, world: World) -> Primary:
    """A primary school of Salé in the commune of Tabriquet, with its director, secretary and
    discipline office; the current school year exists, next year not yet."""
    year = await ensure_current_year(session)
    school = await create_school(
        session, province_code="RSK-SALE", cycles=["primary"], commune="Tabriquet"
    )
    headers = {}
    for title in (StaffTitle.DIRECTOR, StaffTitle.SECRETARY, StaffTitle.DISCIPLINE_OFFICE):
        staff = await create_user(session, Role.SCHOOL_STAFF, school=school, title=title)
        headers[title.value] = {"Authorization": f"Bearer {await access_token(session, staff)}"}
    await session.commit()
    return Primary(school, year + 1, headers)


@pytest.fixture
async def gateway() -> AsyncIterator[TextGateway]:
    with text_gateway() as running:
        yield running


async def deliver_texts(session_factory: Sessions, gateway: TextGateway) -> None:
    """One cycle of the text worker against the gateway on loopback."""
    settings = get_settings().model_copy(update={"text_gateway_url": gateway.url})
    async with text_worker(session_factory, settings) as worker:
        report = await worker.run_cycle()
    assert report.claimed == report.sent


async def open_registrations(client: httpx.AsyncClient, primary: Primary) -> None:
    answer = await client.put(
        f"{SCHOOL}/opening", json={"is_open": True}, headers=primary.headers["director"]
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"school_year": primary.next_year, "is_open": True}


async def signed_up_parent(
    client: httpx.AsyncClient, session_factory: Sessions, gateway: TextGateway
) -> dict[str, str]:
    """Sign up by phone, read the code off the gateway, verify, log in: the parent's headers."""
    answer = await client.post(
        f"{PUBLIC}/sign-up",
        json={"contact": PHONE, "cin": "ab123456", "first_name": "Amina", "last_name": "Idrissi"},
    )
    assert answer.status_code == 202, answer.text
    signup_id = answer.json()["signup_id"]
    assert answer.json()["channel"] == "sms"
    await deliver_texts(session_factory, gateway)
    [text] = gateway.to(PHONE_LOGIN)
    match = CODE.search(text)
    assert match, text
    wrong = await client.post(
        f"{PUBLIC}/verify",
        json={"signup_id": signup_id, "code": "2222-2222", "password": NEW_PASSWORD},
    )
    assert wrong.status_code == 401
    verified = await client.post(
        f"{PUBLIC}/verify",
        json={"signup_id": signup_id, "code": match.group(), "password": NEW_PASSWORD},
    )
    assert verified.status_code == 201, verified.text
    assert verified.json() == {"username": PHONE_LOGIN}
    login = await client.post(
        f"{API}/auth/token", json={"username": PHONE_LOGIN, "password": NEW_PASSWORD}
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def child(next_year: int, **overrides: Any) -> dict[str, Any]:
    return {
        "first_name": "Yasmine",
        "last_name": "Idrissi",
        "first_name_ar": "ياسمين",
        "last_name_ar": "الإدريسي",
        "birth_date": date(next_year - 6, 3, 14).isoformat(),
        "birth_place": "Salé",
        "gender": "F",
        **overrides,
    }


async def ask(
    client: httpx.AsyncClient, primary: Primary, parent: dict[str, str], **overrides: Any
) -> httpx.Response:
    """The parent asks for a place at the primary school for a child of the right age."""
    return await client.post(
        PARENT,
        json={
            "school_id": str(primary.school.id),
            "kinship": "mother",
            "child": child(primary.next_year, **overrides),
        },
        headers=parent,
    )


async def test_from_sign_up_to_pupil(
    client: httpx.AsyncClient,
    session: AsyncSession,
    session_factory: Sessions,
    primary: Primary,
    gateway: TextGateway,
) -> None:
    await open_registrations(client, primary)
    listed = await client.get(f"{PUBLIC}/schools", params={"commune": " TABRIQUET "})
    assert listed.status_code == 200, listed.text
    assert [s["id"] for s in listed.json()["items"]] == [str(primary.school.id)]
    # The code's text is erased once delivered: the outbox keeps no code.
    parent = await signed_up_parent(client, session_factory, gateway)
    sent = (await session.scalars(select(TextMessage))).all()
    assert [(m.status, m.body) for m in sent] == [(PushStatus.SENT, None)]

    too_young = await ask(client, primary, parent, birth_date=f"{primary.next_year - 5}-01-10")
    assert too_young.status_code == 422
    assert too_young.json()["errors"][0]["code"] == "wrong-age"
    asked = await ask(client, primary, parent)
    assert asked.status_code == 201, asked.text
    request_id = asked.json()["id"]
    assert asked.json()["status"] == "pending"

    page = await client.get(SCHOOL, headers=primary.headers["secretary"])
    assert page.status_code == 200, page.text
    [item] = page.json()["items"]
    assert (item["id"], item["parent_cin"], item["parent_contact"]) == (
        request_id,
        "AB123456",
        PHONE_LOGIN,
    )
    assert item["actions"] == ["accept", "waitlist", "refuse"]
    accepted = await client.post(
        f"{SCHOOL}/{request_id}/decision",
        json={"decision": "accept"},
        headers=primary.headers["secretary"],
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    inbox = await client.get(f"{API}/me/notifications", headers=parent)
    assert [n["category"] for n in inbox.json()["items"]] == ["preregistration"]

    # Until the ministry opens the year, nobody becomes a pupil.
    early = await client.post(f"{SCHOOL}/enrol", json={}, headers=primary.headers["director"])
    assert early.status_code == 409
    assert early.json()["type"].endswith("school-year-not-open")
    await open_next_year(session)
    first_year = await create_class(
        session, primary.school, level_code="1AP", name="1AP-1", school_year=primary.next_year
    )
    await session.commit()
    enrolled = await client.post(
        f"{SCHOOL}/enrol",
        json={"class_id": str(first_year.id)},
        headers=primary.headers["director"],
    )
    assert enrolled.status_code == 200, enrolled.text
    [row] = enrolled.json()["rows"]
    assert row["outcome"] == "enrolled"
    assert row["class_id"] == str(first_year.id)
    assert re.fullmatch(r"P[0-9]{9}", row["massar_code"])

    pupil = await session.get_one(Pupil, uuid.UUID(row["pupil_id"]))
    assert (pupil.massar_code, pupil.school_id, pupil.first_name) == (
        row["massar_code"],
        primary.school.id,
        "Yasmine",
    )
    link = await session.scalar(select(GuardianLink).where(GuardianLink.pupil_id == pupil.id))
    assert link is not None
    assert link.verified_at is not None
    children = await client.get(f"{API}/parent/children", headers=parent)
    assert [c["id"] for c in children.json()] == [str(pupil.id)]
    mine = await client.get(PARENT, headers=parent)
    assert [(r["status"], r["massar_code"]) for r in mine.json()] == [
        ("enrolled", row["massar_code"])
    ]

    # A replay changes nothing and reports the pupil made before.
    pupils = await session.scalar(select(func.count()).select_from(Pupil))
    again = await client.post(
        f"{SCHOOL}/enrol",
        json={"class_id": str(first_year.id)},
        headers=primary.headers["director"],
    )
    assert again.status_code == 200
    assert again.json()["rows"] == [row | {"outcome": "already"}]
    assert await session.scalar(select(func.count()).select_from(Pupil)) == pupils


async def test_a_code_has_five_tries_and_then_dies(
    app: FastAPI,
    client: httpx.AsyncClient,
    session_factory: Sessions,
    gateway: TextGateway,
    world: World,
) -> None:
    # A throttle loose enough not to step in first: the code's own count is under test.
    loose = get_settings().model_copy(update={"login_max_failures_per_account": 50})
    app.state.login_throttle = build_login_throttle(loose)
    answer = await client.post(
        f"{PUBLIC}/sign-up",
        json={"contact": "amina@example.ma", "cin": "K1234", "first_name": "A", "last_name": "B"},
    )
    assert answer.status_code == 202
    assert answer.json()["channel"] == "email"
    await deliver_texts(session_factory, gateway)
    code = CODE.search(gateway.to("amina@example.ma")[0])
    assert code
    body = {"signup_id": answer.json()["signup_id"], "password": NEW_PASSWORD}
    for _ in range(5):
        wrong = await client.post(f"{PUBLIC}/verify", json=body | {"code": "2222-2222"})
        assert wrong.status_code == 401
    late = await client.post(f"{PUBLIC}/verify", json=body | {"code": code.group()})
    assert late.status_code == 401


async def test_sign_ups_are_throttled_like_logins(client: httpx.AsyncClient, world: World) -> None:
    body = {"contact": PHONE, "cin": "AB123456", "first_name": "A", "last_name": "B"}
    answers = [(await client.post(f"{PUBLIC}/sign-up", json=body)).status_code for _ in range(6)]
    assert answers[:4] == [202] * 4
    assert answers[-1] == 429


async def test_an_existing_login_gets_no_code_and_the_same_answer(
    client: httpx.AsyncClient,
    session: AsyncSession,
    session_factory: Sessions,
    gateway: TextGateway,
) -> None:
    await create_user(session, Role.PARENT, username="known@example.ma")
    await session.commit()
    answer = await client.post(
        f"{PUBLIC}/sign-up",
        json={
            "contact": "Known@Example.ma",
            "cin": "BE654321",
            "first_name": "A",
            "last_name": "B",
        },
    )
    assert answer.status_code == 202
    await deliver_texts(session_factory, gateway)
    [text] = gateway.to("known@example.ma")
    assert CODE.search(text) is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("cin", "123456"), ("cin", "ABC12345"), ("contact", "0512345678"), ("contact", "x@y")],
)
async def test_bad_contacts_and_identity_cards_are_refused(
    client: httpx.AsyncClient, world: World, field: str, value: str
) -> None:
    body = {"contact": PHONE, "cin": "AB123456", "first_name": "A", "last_name": "B"}
    answer = await client.post(f"{PUBLIC}/sign-up", json=body | {field: value})
    assert answer.status_code == 422, answer.text


async def test_the_school_decides_within_its_duty_and_its_walls(
    client: httpx.AsyncClient, session: AsyncSession, world: World, primary: Primary
) -> None:
    await open_registrations(client, primary)
    parent = world.auth("parent")
    asked = await ask(client, primary, parent)
    assert asked.status_code == 201, asked.text
    again = await ask(client, primary, parent)
    assert again.status_code == 409
    decision = f"{SCHOOL}/{asked.json()['id']}/decision"
    # The discipline office keeps no records; another school does not see the request; a
    # teacher and a parent are not the school's administration.
    title = await client.post(
        decision, json={"decision": "accept"}, headers=primary.headers["discipline_office"]
    )
    assert title.status_code == 403
    assert title.json()["type"].endswith("title-not-allowed")
    other = await client.post(
        decision, json={"decision": "accept"}, headers=world.auth("school_staff")
    )
    assert other.status_code == 404
    for role in ("teacher", "parent"):
        refused = await client.post(decision, json={"decision": "accept"}, headers=world.auth(role))
        assert refused.status_code == 403
    assert (await client.get(PARENT, headers=world.auth("school_staff"))).status_code == 403

    no_reason = await client.post(
        decision, json={"decision": "refuse"}, headers=primary.headers["director"]
    )
    assert no_reason.status_code == 422
    waitlisted = await client.post(
        decision,
        json={"decision": "waitlist", "reason": "Classes pleines pour le moment"},
        headers=primary.headers["director"],
    )
    assert waitlisted.json()["status"] == "waitlisted"
    refused = await client.post(
        decision,
        json={"decision": "refuse", "reason": "Hors secteur scolaire"},
        headers=primary.headers["director"],
    )
    assert refused.status_code == 200
    assert refused.json()["reason"] == "Hors secteur scolaire"
    replay = await client.post(
        decision, json={"decision": "refuse", "reason": "x"}, headers=primary.headers["director"]
    )
    assert replay.status_code == 409
    told = await session.scalars(
        select(Notification.body_fr).where(
            Notification.user_id == world.users["parent"].id,
            Notification.category == NotificationCategory.PREREGISTRATION,
        )
    )
    assert any("Hors secteur scolaire" in body for body in told)


async def test_a_closed_or_foreign_school_takes_no_request(
    client: httpx.AsyncClient, world: World, primary: Primary
) -> None:
    body = {"kinship": "father", "child": child(primary.next_year)}
    closed = await client.post(
        PARENT, json=body | {"school_id": str(primary.school.id)}, headers=world.auth("parent")
    )
    assert closed.status_code == 409
    college = await client.post(
        PARENT,
        json=body | {"school_id": str(world.schools["a1"].id)},
        headers=world.auth("parent"),
    )
    assert college.status_code == 404
    listed = await client.get(f"{PUBLIC}/schools", params={"commune": "Tabriquet"})
    assert listed.json()["items"] == []
    not_primary = await client.put(
        f"{SCHOOL}/opening", json={"is_open": True}, headers=world.auth("school_staff")
    )
    assert not_primary.status_code == 409


async def test_allocated_codes_skip_the_ones_taken(session: AsyncSession, world: World) -> None:
    """The sequence never hands out a code twice, and a code taken by an import is skipped."""
    school_class = await create_class(session, world.schools["a1"])
    drawn = await massar_codes.next_code(session)
    number = int(drawn[1:])
    taken = [f"P{number + 1:09d}", f"P{number + 2:09d}"]
    for code in taken:
        await create_pupil(session, school_class, massar_code=code)
    fields = {
        "school_id": world.schools["a1"].id,
        "first_name": "A",
        "last_name": "B",
        "first_name_ar": "أ",
        "last_name_ar": "ب",
        "birth_date": date(2020, 1, 1),
        "gender": "M",
    }
    codes = [(await massar_codes.new_pupil(session, **fields))[1] for _ in range(20)]
    assert codes[0] == f"P{number + 3:09d}"
    assert len(set(codes)) == 20
    assert not set(codes) & {drawn, *taken}
