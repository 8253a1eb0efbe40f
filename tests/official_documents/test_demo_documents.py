"""The demo pupil downloads the first semester's report card and a school certificate, and the
certificate's code verifies on the public face."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil
from app.accounts.models import User
from app.demo import world as demo
from tests.factories import access_token
from tests.official_documents.test_documents import text_of


async def test_the_demo_pupil_gets_their_documents(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await demo.seed_demo(session)
    user = await session.scalar(select(User).where(User.username == "d130000001@taalim.ma"))
    assert user is not None
    pupil = await session.scalar(select(Pupil).where(Pupil.user_id == user.id))
    assert pupil is not None
    headers = {"Authorization": f"Bearer {await access_token(session, user)}"}
    await session.commit()

    card = await client.get(
        "/api/v1/student/documents/report-card", params={"semester": 1}, headers=headers
    )
    assert card.status_code == 200, card.text
    [page] = text_of(card.content)
    assert f"{pupil.first_name_ar} {pupil.last_name_ar}" in page
    assert f"{pupil.last_name.upper()} {pupil.first_name}" in page
    assert "Mathématiques" in page

    certificate = await client.post("/api/v1/student/documents/school-certificate", headers=headers)
    assert certificate.status_code == 201, certificate.text
    code = certificate.headers["etag"].strip('"')
    answer = (await client.get(f"/api/v1/public/documents/{code}")).json()
    assert answer["status"] == "genuine"
    assert answer["kind"] == "school_certificate"
