"""Messages: a parent writes about a verified child to the child's school staff or to a
teacher of the child's class; both sides reply, are notified, and see only their threads."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.core.roles import Role
from app.family.models import GuardianLink, Kinship
from app.messaging.models import Message, MessageThread, Notification, NotificationCategory
from tests.factories import FamilyWorld, access_token, create_user

PARENT = "/api/v1/parent/messages"


def _user(family: FamilyWorld, who: str) -> User:
    return family.teaching.world.users[who]


async def _start(
    client: httpx.AsyncClient,
    family: FamilyWorld,
    recipient: str = "teacher",
    *,
    child: Any = None,
    who: str = "parent",
    subject: str = "Devoirs",
    body: str = "Bonjour, quels exercices pour lundi ?",
) -> httpx.Response:
    return await client.post(
        PARENT,
        json={
            "child_id": str((child or family.child).id),
            "recipient_id": str(_user(family, recipient).id),
            "subject": subject,
            "body": body,
        },
        headers=family.auth(who),
    )


def _staff_url(face: str, thread_id: str = "") -> str:
    return f"/api/v1/{face}/messages" + (f"/{thread_id}" if thread_id else "")


async def _inbox(session: AsyncSession, user: User) -> list[Notification]:
    return list(
        await session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at)
        )
    )


async def _other_parent(session: AsyncSession, family: FamilyWorld) -> dict[str, str]:
    """A second parent, verified parent of the stranger pupil (same class as the child)."""
    parent = await create_user(session, Role.PARENT)
    session.add(
        GuardianLink(
            parent_id=parent.id,
            pupil_id=family.stranger.id,
            kinship=Kinship.FATHER,
            verified_at=datetime.now(UTC),
        )
    )
    token = await access_token(session, parent)
    await session.commit()
    return {"Authorization": f"Bearer {token}"}


# ---- recipients -----------------------------------------------------------------------------


async def test_recipients_are_the_schools_staff_and_the_classs_teachers(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    response = await client.get(
        f"/api/v1/parent/children/{family.child.id}/recipients", headers=family.auth("parent")
    )
    assert response.status_code == 200, response.text
    found = {r["id"]: r for r in response.json()}
    assert set(found) == {
        str(_user(family, who).id) for who in ("school_staff", "teacher", "teacher_fr")
    }
    staff = found[str(_user(family, "school_staff").id)]
    assert (staff["role"], staff["title"], staff["subjects"]) == ("school_staff", "director", [])
    maths = found[str(_user(family, "teacher").id)]
    assert maths["role"] == "teacher"
    assert [s["code"] for s in maths["subjects"]] == ["MATH"]

    # The sibling is in c2, which teacher_fr does not teach.
    sibling = await client.get(
        f"/api/v1/parent/children/{family.sibling.id}/recipients", headers=family.auth("parent")
    )
    assert {r["id"] for r in sibling.json()} == {
        str(_user(family, who).id) for who in ("school_staff", "teacher")
    }


@pytest.mark.parametrize("whose", ["unverified", "stranger"])
async def test_recipients_of_another_familys_child_is_404(
    client: httpx.AsyncClient, family: FamilyWorld, whose: str
) -> None:
    pupil = getattr(family, whose)
    response = await client.get(
        f"/api/v1/parent/children/{pupil.id}/recipients", headers=family.auth("parent")
    )
    assert response.status_code == 404
    assert pupil.massar_code not in response.text


# ---- a conversation -------------------------------------------------------------------------


async def test_a_conversation_with_a_teacher(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    started = await _start(client, family)
    assert started.status_code == 201, started.text
    thread = started.json()
    assert thread["subject"] == "Devoirs"
    assert thread["pupil"]["id"] == str(family.child.id)
    assert thread["staff"]["id"] == str(_user(family, "teacher").id)
    assert [m["body"] for m in thread["messages"]] == ["Bonjour, quels exercices pour lundi ?"]
    assert (thread["unread"], thread["unread_count"]) == (False, 0)

    # The teacher is told, and sees the thread unread.
    told = await _inbox(session, _user(family, "teacher"))
    assert [n.category for n in told] == [NotificationCategory.MESSAGES]
    assert told[0].data["thread_id"] == thread["id"]
    listed = await client.get(_staff_url("teacher"), headers=family.auth("teacher"))
    assert listed.status_code == 200
    assert listed.json()["unread_threads"] == 1
    assert [(t["id"], t["unread"], t["unread_count"]) for t in listed.json()["items"]] == [
        (thread["id"], True, 1)
    ]

    opened = await client.get(_staff_url("teacher", thread["id"]), headers=family.auth("teacher"))
    assert opened.status_code == 200
    assert opened.json()["unread_count"] == 0
    answer = await client.post(
        _staff_url("teacher", thread["id"]),
        json={"body": "Les exercices 3 à 7 page 24."},
        headers=family.auth("teacher"),
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["author"]["id"] == str(_user(family, "teacher").id)
    listed = await client.get(_staff_url("teacher"), headers=family.auth("teacher"))
    assert listed.json()["unread_threads"] == 0

    # Now the parent is told and has one unread message.
    told = await _inbox(session, _user(family, "parent"))
    assert [n.category for n in told] == [NotificationCategory.MESSAGES]
    mine = await client.get(PARENT, headers=family.auth("parent"))
    assert mine.json()["unread_threads"] == 1
    assert mine.json()["items"][0]["unread_count"] == 1
    read = await client.get(f"{PARENT}/{thread['id']}", headers=family.auth("parent"))
    assert [m["body"] for m in read.json()["messages"]] == [
        "Bonjour, quels exercices pour lundi ?",
        "Les exercices 3 à 7 page 24.",
    ]
    assert [m["author"]["role"] for m in read.json()["messages"]] == ["parent", "teacher"]
    mine = await client.get(PARENT, headers=family.auth("parent"))
    assert mine.json()["unread_threads"] == 0

    reply = await client.post(
        f"{PARENT}/{thread['id']}", json={"body": "Merci !"}, headers=family.auth("parent")
    )
    assert reply.status_code == 201
    assert len(await _inbox(session, _user(family, "teacher"))) == 2


async def test_a_conversation_with_the_school_staff(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    thread = (await _start(client, family, "school_staff", subject="Rendez-vous")).json()
    listed = await client.get(_staff_url("school"), headers=family.auth("school_staff"))
    assert [t["id"] for t in listed.json()["items"]] == [thread["id"]]
    answer = await client.post(
        _staff_url("school", thread["id"]),
        json={"body": "Mardi à 10 h."},
        headers=family.auth("school_staff"),
    )
    assert answer.status_code == 201
    assert len(await _inbox(session, _user(family, "parent"))) == 1
    other = await client.get(_staff_url("school"), headers=family.auth("other_school_staff"))
    assert other.json()["items"] == []


async def test_threads_come_newest_activity_first_by_page(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    ids = [(await _start(client, family, subject=f"Sujet {n}")).json()["id"] for n in range(3)]
    # A reply to the oldest brings it to the top.
    await client.post(
        _staff_url("teacher", ids[0]), json={"body": "Oui."}, headers=family.auth("teacher")
    )
    first = await client.get(PARENT, params={"limit": 2}, headers=family.auth("parent"))
    assert [t["id"] for t in first.json()["items"]] == [ids[0], ids[2]]
    second = await client.get(
        PARENT,
        params={"limit": 2, "cursor": first.json()["next_cursor"]},
        headers=family.auth("parent"),
    )
    assert [t["id"] for t in second.json()["items"]] == [ids[1]]
    assert second.json()["next_cursor"] is None


# ---- who may write to whom ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recipient", "child"),
    [
        ("teacher_fr", "sibling"),  # teaches the child's school, not the sibling's class
        ("teacher_other", "child"),  # another school
        ("other_school_staff", "child"),
        ("student", "child"),
        ("central_staff", "child"),
    ],
)
async def test_the_parent_writes_only_to_the_childs_school_and_teachers(
    client: httpx.AsyncClient,
    family: FamilyWorld,
    session: AsyncSession,
    recipient: str,
    child: str,
) -> None:
    response = await _start(client, family, recipient, child=getattr(family, child))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.recipient_id"
    assert await session.scalar(select(func.count()).select_from(MessageThread)) == 0
    assert await session.scalar(select(func.count()).select_from(Notification)) == 0


@pytest.mark.parametrize("whose", ["unverified", "stranger"])
async def test_writing_about_another_familys_child_is_404(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, whose: str
) -> None:
    pupil = getattr(family, whose)
    response = await _start(client, family, child=pupil)
    assert response.status_code == 404
    assert pupil.massar_code not in response.text
    assert await session.scalar(select(func.count()).select_from(MessageThread)) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("subject", ""), ("subject", "x" * 201), ("body", " "), ("body", "x" * 5001)],
)
async def test_the_message_is_validated(
    client: httpx.AsyncClient, family: FamilyWorld, field: str, value: str
) -> None:
    response = await _start(client, family, **{field: value})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == f"body.{field}"


# ---- isolation ------------------------------------------------------------------------------


async def test_another_parents_thread_is_404(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    thread = (await _start(client, family)).json()
    other = await _other_parent(session, family)
    assert (await client.get(f"{PARENT}/{thread['id']}", headers=other)).status_code == 404
    reply = await client.post(f"{PARENT}/{thread['id']}", json={"body": "Hé"}, headers=other)
    assert reply.status_code == 404
    assert family.child.massar_code not in reply.text
    assert (await client.get(PARENT, headers=other)).json()["items"] == []
    assert await session.scalar(select(func.count()).select_from(Message)) == 1


@pytest.mark.parametrize(
    ("face", "who"),
    [
        ("teacher", "teacher_fr"),  # teaches the child, but is not this thread's recipient
        ("teacher", "teacher_other"),
        ("school", "school_staff"),  # same school, but the thread is the teacher's
        ("school", "other_school_staff"),
    ],
)
async def test_another_staff_members_thread_is_404(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, face: str, who: str
) -> None:
    thread = (await _start(client, family)).json()
    headers = family.auth(who)
    assert (await client.get(_staff_url(face, thread["id"]), headers=headers)).status_code == 404
    reply = await client.post(_staff_url(face, thread["id"]), json={"body": "Hé"}, headers=headers)
    assert reply.status_code == 404
    assert (await client.get(_staff_url(face), headers=headers)).json()["items"] == []
    assert await session.scalar(select(func.count()).select_from(Message)) == 1


async def test_an_unlinked_parent_loses_the_thread(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    thread = (await _start(client, family)).json()
    await session.execute(
        delete(GuardianLink).where(
            GuardianLink.parent_id == _user(family, "parent").id,
            GuardianLink.pupil_id == family.child.id,
        )
    )
    await session.commit()
    headers = family.auth("parent")
    assert (await client.get(f"{PARENT}/{thread['id']}", headers=headers)).status_code == 404
    assert (await client.get(PARENT, headers=headers)).json()["items"] == []


async def test_an_unknown_thread_is_404(client: httpx.AsyncClient, family: FamilyWorld) -> None:
    missing = str(uuid.uuid4())
    assert (
        await client.get(f"{PARENT}/{missing}", headers=family.auth("parent"))
    ).status_code == 404
    assert (
        await client.get(_staff_url("teacher", missing), headers=family.auth("teacher"))
    ).status_code == 404


# ---- roles ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["student", "teacher", "school_staff", "central_staff"])
async def test_other_roles_get_403_on_the_parents_routes(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, who: str
) -> None:
    headers = family.auth(who)
    thread = (await _start(client, family)).json()
    assert (await client.get(PARENT, headers=headers)).status_code == 403
    assert (await _start(client, family, who=who)).status_code == 403
    assert (await client.get(f"{PARENT}/{thread['id']}", headers=headers)).status_code == 403
    reply = await client.post(f"{PARENT}/{thread['id']}", json={"body": "x"}, headers=headers)
    assert reply.status_code == 403
    recipients = f"/api/v1/parent/children/{family.child.id}/recipients"
    assert (await client.get(recipients, headers=headers)).status_code == 403


@pytest.mark.parametrize(
    ("face", "who"),
    [
        ("teacher", "parent"),
        ("teacher", "student"),
        ("teacher", "school_staff"),
        ("school", "parent"),
        ("school", "teacher"),
        ("school", "province_staff"),
    ],
)
async def test_other_roles_get_403_on_the_staff_routes(
    client: httpx.AsyncClient, family: FamilyWorld, face: str, who: str
) -> None:
    thread = (
        await _start(client, family, "teacher" if face == "teacher" else "school_staff")
    ).json()
    headers = family.auth(who)
    assert (await client.get(_staff_url(face), headers=headers)).status_code == 403
    assert (await client.get(_staff_url(face, thread["id"]), headers=headers)).status_code == 403
    reply = await client.post(_staff_url(face, thread["id"]), json={"body": "x"}, headers=headers)
    assert reply.status_code == 403
