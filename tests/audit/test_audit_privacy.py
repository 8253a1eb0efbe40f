"""What the audit keeps of minors' and families' data: ids, states and dates as they are;
free texts (messages, reasons) as a digest; phone numbers, names and login times not at all.
Nothing private can be read back through the audit endpoints."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.roles import Role, StaffTitle
from tests.factories import FamilyWorld, access_token, create_user

SCHOOL_AUDIT = "/api/v1/school/audit"
STEERING_AUDIT = "/api/v1/steering/audit"
BODY = "Mon fils est malade, il ne viendra pas demain. Appelez-moi au 0612345678."
PHONE = "0661234567"


async def _everything_the_audit_shows(client: httpx.AsyncClient, family: FamilyWorld) -> str:
    shown = []
    for path, who in ((SCHOOL_AUDIT, "school_staff"), (STEERING_AUDIT, "central_staff")):
        for entity in ("messages", "message_threads", "pupil_contacts", "users", "justifications"):
            answer = await client.get(path, params={"entity": entity}, headers=family.auth(who))
            assert answer.status_code == 200, answer.text
            shown.append(answer.text)
    return "\n".join(shown)


async def _send_message(client: httpx.AsyncClient, family: FamilyWorld) -> None:
    recipients = await client.get(
        f"/api/v1/parent/children/{family.child.id}/recipients", headers=family.auth("parent")
    )
    assert recipients.status_code == 200, recipients.text
    staff = recipients.json()[0]["id"]
    sent = await client.post(
        "/api/v1/parent/messages",
        json={
            "child_id": str(family.child.id),
            "recipient_id": staff,
            "subject": "Absence de demain",
            "body": BODY,
        },
        headers=family.auth("parent"),
    )
    assert sent.status_code == 201, sent.text


async def test_no_message_body_or_phone_number_can_be_read_through_the_audit(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    await _send_message(client, family)
    changed = await client.patch(
        "/api/v1/student/contact", json={"phone": PHONE}, headers=family.auth("student")
    )
    assert changed.status_code == 200, changed.text

    shown = await _everything_the_audit_shows(client, family)
    assert BODY not in shown
    assert "Absence de demain" not in shown
    assert PHONE not in shown
    # The writes are still recorded: who, when, on what.
    assert '"entity":"messages"' in shown.replace(" ", "")
    assert '"entity":"pupil_contacts"' in shown.replace(" ", "")


async def test_the_stored_rows_hold_no_private_text(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    await _send_message(client, family)
    await client.patch(
        "/api/v1/student/contact", json={"phone": PHONE}, headers=family.auth("student")
    )
    rows = (await session.scalars(select(AuditEntry.changed))).all()
    stored = json.dumps(rows, ensure_ascii=False)
    assert BODY not in stored
    assert PHONE not in stored
    assert family.child.first_name not in stored


@pytest.mark.parametrize(
    ("title", "entity", "shown"),
    [
        (StaffTitle.SECRETARY, "messages", False),
        (StaffTitle.SECRETARY, "pupils", True),
        (StaffTitle.DISCIPLINE_OFFICE, "messages", False),
        (StaffTitle.DISCIPLINE_OFFICE, "users", False),
        (StaffTitle.DISCIPLINE_OFFICE, "pupils", True),
        (StaffTitle.DEPUTY, "messages", True),
    ],
)
async def test_each_post_reads_the_audit_of_its_own_work(
    client: httpx.AsyncClient,
    family: FamilyWorld,
    session: AsyncSession,
    title: StaffTitle,
    entity: str,
    shown: bool,
) -> None:
    await _send_message(client, family)
    school = family.teaching.world.schools["a1"]
    reader = await create_user(session, Role.SCHOOL_STAFF, school=school, title=title)
    token = await access_token(session, reader)
    await session.commit()
    answer = await client.get(
        SCHOOL_AUDIT, params={"entity": entity}, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200, answer.text
    director = await client.get(
        SCHOOL_AUDIT, params={"entity": entity}, headers=family.auth("school_staff")
    )
    assert director.json()["items"], f"the test needs {entity} rows in the audit"
    assert bool(answer.json()["items"]) is shown


async def test_steering_does_not_read_the_families_correspondence(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    await _send_message(client, family)
    for entity in ("messages", "message_threads", "pupil_contacts"):
        answer = await client.get(
            STEERING_AUDIT, params={"entity": entity}, headers=family.auth("central_staff")
        )
        assert answer.json()["items"] == []
