"""An API client checks a document's code (`documents.verify`): the public answer and the
pupil's Massar code, for documents of its unit only; the same revoked semantics as the public
verification; each check recorded against the client; unknown codes lock the client out."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.integrations.scopes import ApiScope
from app.official_documents.models import ClientDocumentCheck, IssuedDocument
from app.settings import get_settings
from tests.factories import FamilyWorld, Integrator, create_api_client
from tests.official_documents.test_revocation import PUBLIC, SCHOOL, _certificate

DOCUMENTS = "/api/v1/integrations/documents"
VERIFY = frozenset({ApiScope.DOCUMENTS_VERIFY})


async def _portal(
    session: AsyncSession, family: FamilyWorld, school: str, scopes: frozenset[ApiScope] = VERIFY
) -> Integrator:
    world = family.teaching.world
    portal = await create_api_client(
        session, world.users["central_staff"], scopes, academy_id=world.schools[school].academy_id
    )
    await session.commit()
    return portal


async def test_a_client_checks_a_document_of_its_unit(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    code = await _certificate(client, family)
    portal = await _portal(session, family, "a1")

    checked = await client.get(f"{DOCUMENTS}/{code.lower()}", headers=portal.headers)
    assert checked.status_code == 200, checked.text
    body = checked.json()
    public = (await client.get(f"{PUBLIC}/{code}")).json()
    assert body == {**public, "massar_code": family.child.massar_code}
    assert body["status"] == "genuine"
    # Nothing else of the pupil: no name, no birth date.
    assert set(body) - set(public) == {"massar_code"}

    document = await session.scalar(select(IssuedDocument).where(IssuedDocument.code == code))
    assert document is not None
    (record,) = await session.scalars(select(ClientDocumentCheck))
    assert (record.client_id, record.document_id, record.school_id, record.status) == (
        portal.client.id,
        document.id,
        document.school_id,
        "genuine",
    )


async def test_a_revoked_document_is_answered_revoked(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    code = await _certificate(client, family)
    portal = await _portal(session, family, "a1")
    revoked = await client.post(
        f"{SCHOOL}/documents/{code}/revoke",
        json={"reason": "Émis par erreur"},
        headers=family.auth("school_staff"),
    )
    assert revoked.status_code == 200, revoked.text
    answer = (await client.get(f"{DOCUMENTS}/{code}", headers=portal.headers)).json()
    assert answer["status"] == "revoked"
    assert answer["revoked_at"] == revoked.json()["revoked_at"]


async def test_the_data_changed_since_revokes_it_then_and_there(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    code = await _certificate(client, family)
    portal = await _portal(session, family, "a1")
    left = await client.post(
        f"{SCHOOL}/pupils/{family.child.id}/withdraw", headers=family.auth("school_staff")
    )
    assert left.status_code == 200, left.text
    answer = (await client.get(f"{DOCUMENTS}/{code}", headers=portal.headers)).json()
    assert answer["status"] == "revoked"
    assert (await client.get(f"{PUBLIC}/{code}")).json()["revoked_at"] == answer["revoked_at"]


async def test_outside_the_unit_or_unknown_is_404_and_without_the_scope_403(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    code = await _certificate(client, family)
    elsewhere = await _portal(session, family, "c")  # another academy
    outside = await client.get(f"{DOCUMENTS}/{code}", headers=elsewhere.headers)
    assert outside.status_code == 404
    unknown = await client.get(f"{DOCUMENTS}/AAAAAAAAAAAA", headers=elsewhere.headers)
    assert unknown.status_code == 404
    assert outside.json()["type"] == unknown.json()["type"]
    assert outside.json()["type"].endswith("unknown-document")

    roster_only = await _portal(session, family, "a1", frozenset({ApiScope.ROSTER_READ}))
    refused = await client.get(f"{DOCUMENTS}/{code}", headers=roster_only.headers)
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("insufficient-scope")
    assert 'scope="documents.verify"' in refused.headers["www-authenticate"]
    person = await client.get(f"{DOCUMENTS}/{code}", headers=family.auth("school_staff"))
    assert person.status_code == 403
    assert await session.scalar(select(func.count()).select_from(ClientDocumentCheck)) == 0


async def test_unknown_codes_lock_the_client_out(
    client: httpx.AsyncClient, session: AsyncSession, family: FamilyWorld
) -> None:
    code = await _certificate(client, family)
    guesser = await _portal(session, family, "a1")
    limit = get_settings().login_max_failures_per_ip
    guesses = [f"{'A' * 8}{n:04d}" for n in range(limit)]
    answers = [
        (await client.get(f"{DOCUMENTS}/{guess}", headers=guesser.headers)).status_code
        for guess in guesses
    ]
    assert set(answers) == {404}
    # Locked out: even a real code waits; another client is not.
    assert (await client.get(f"{DOCUMENTS}/{code}", headers=guesser.headers)).status_code == 429
    other = await _portal(session, family, "a1")
    assert (await client.get(f"{DOCUMENTS}/{code}", headers=other.headers)).status_code == 200
