"""Revocation: a certificate whose pupil left the school, and a document the school revokes
because it issued it by mistake (with a reason, in the audit trail). Public verification then
answers revoked, with the date."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditAction, AuditEntry
from app.core.roles import StaffTitle
from app.official_documents.models import IssuedDocument
from tests.factories import FamilyWorld
from tests.official_documents.test_documents import titled_staff

STUDENT = "/api/v1/student/documents"
PUBLIC = "/api/v1/public/documents"
SCHOOL = "/api/v1/school"


async def _certificate(client: httpx.AsyncClient, family: FamilyWorld) -> str:
    issued = await client.post(f"{STUDENT}/school-certificate", headers=family.auth("student"))
    assert issued.status_code == 201, issued.text
    return issued.headers["etag"].strip('"')


async def test_a_pupil_who_leaves_has_their_certificate_revoked(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    code = await _certificate(client, family)
    assert (await client.get(f"{PUBLIC}/{code}")).json()["status"] == "genuine"
    left = await client.post(
        f"{SCHOOL}/pupils/{family.child.id}/withdraw", headers=family.auth("school_staff")
    )
    assert left.status_code == 200, left.text
    answer = (await client.get(f"{PUBLIC}/{code}")).json()
    assert answer["status"] == "revoked"
    assert answer["revoked_at"] is not None
    page = await client.get(f"{PUBLIC}/{code}", headers={"Accept": "text/html"})
    revoked_on = datetime.fromisoformat(answer["revoked_at"]).strftime("%d/%m/%Y")
    assert f"Document révoqué le {revoked_on}" in page.text
    assert f"وثيقة ملغاة بتاريخ {revoked_on}" in page.text
    # No certificate for a pupil who is no longer enrolled.
    again = await client.post(f"{STUDENT}/school-certificate", headers=family.auth("student"))
    assert again.status_code == 409
    assert again.json()["type"].endswith("not-enrolled")


async def test_the_school_revokes_a_document_issued_by_mistake(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    code = await _certificate(client, family)
    url = f"{SCHOOL}/documents/{code.lower()}/revoke"
    staff = family.auth("school_staff")
    revoked = await client.post(url, json={"reason": "Émis par erreur"}, headers=staff)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["status"] == "revoked"
    public = (await client.get(f"{PUBLIC}/{code}")).json()
    assert public["status"] == "revoked"
    assert public["revoked_at"] == revoked.json()["revoked_at"]
    assert "reason" not in public  # the school's reason is not the public's
    # A replay changes nothing.
    replay = await client.post(url, json={"reason": "Émis par erreur"}, headers=staff)
    assert replay.status_code == 409
    assert replay.json()["type"].endswith("already-revoked")
    row = await session.scalar(select(IssuedDocument).where(IssuedDocument.code == code))
    assert row is not None
    assert row.revoked_by == family.teaching.world.users["school_staff"].id
    assert row.revocation_reason == "Émis par erreur"
    audit = await session.scalar(
        select(AuditEntry).where(
            AuditEntry.entity == "issued_documents",
            AuditEntry.entity_id == row.id,
            AuditEntry.action == AuditAction.UPDATE,
        )
    )
    assert audit is not None
    assert audit.actor_id == row.revoked_by
    assert "revocation_reason" in audit.changed
    assert "Émis par erreur" not in str(audit.changed)  # a digest, not the words
    # The pupil's next request issues a new version, with a new code.
    fresh = await _certificate(client, family)
    assert fresh != code
    assert (await client.get(f"{PUBLIC}/{fresh}")).json()["status"] == "genuine"


async def test_revoking_is_the_records_office_and_the_issuing_schools(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    code = await _certificate(client, family)
    url = f"{SCHOOL}/documents/{code}/revoke"
    body = {"reason": "Émis par erreur"}
    office = await titled_staff(session, family, StaffTitle.DISCIPLINE_OFFICE)
    wrong_title = await client.post(url, json=body, headers=office)
    assert wrong_title.status_code == 403
    for who in ("student", "parent", "teacher"):
        assert (await client.post(url, json=body, headers=family.auth(who))).status_code == 403
    other = await client.post(url, json=body, headers=family.auth("other_school_staff"))
    assert other.status_code == 404
    unknown = await client.post(
        f"{SCHOOL}/documents/AAAAAAAAAAAA/revoke", json=body, headers=family.auth("school_staff")
    )
    assert unknown.status_code == 404
    # Nothing of that was a revocation.
    assert (await client.get(f"{PUBLIC}/{code}")).json()["status"] == "genuine"


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "x" * 501}, {"why": "erreur"}])
async def test_a_revocation_needs_a_reason(
    client: httpx.AsyncClient, family: FamilyWorld, body: dict[str, str]
) -> None:
    code = await _certificate(client, family)
    answer = await client.post(
        f"{SCHOOL}/documents/{code}/revoke", json=body, headers=family.auth("school_staff")
    )
    assert answer.status_code == 422
    assert (await client.get(f"{PUBLIC}/{code}")).json()["status"] == "genuine"
