"""The school approves or revokes parents' links to its pupils."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.family.models import GuardianLink
from tests.factories import FamilyWorld


async def _link_id(session: AsyncSession, family: FamilyWorld, pupil_id: object) -> str:
    parent = family.teaching.world.users["parent"]
    link = await session.scalar(
        select(GuardianLink.id).where(
            GuardianLink.parent_id == parent.id, GuardianLink.pupil_id == pupil_id
        )
    )
    return str(link)


async def test_pending_links_come_first_and_can_be_approved(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    staff = family.auth("school_staff")
    links = (await client.get("/api/v1/school/guardian-links", headers=staff)).json()
    assert links[0]["pupil_id"] == str(family.unverified.id)
    assert links[0]["verified_at"] is None
    pending = (
        await client.get("/api/v1/school/guardian-links", params={"pending": True}, headers=staff)
    ).json()
    assert [link["pupil_id"] for link in pending] == [str(family.unverified.id)]

    child_url = f"/api/v1/parent/children/{family.unverified.id}/profile"
    assert (await client.get(child_url, headers=family.auth("parent"))).status_code == 404
    link_id = await _link_id(session, family, family.unverified.id)
    approved = await client.post(f"/api/v1/school/guardian-links/{link_id}/approve", headers=staff)
    assert approved.json()["verified_at"] is not None
    assert (await client.get(child_url, headers=family.auth("parent"))).status_code == 200


async def test_revoking_ends_the_parents_access(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    link_id = await _link_id(session, family, family.child.id)
    response = await client.delete(
        f"/api/v1/school/guardian-links/{link_id}", headers=family.auth("school_staff")
    )
    assert response.status_code == 204
    url = f"/api/v1/parent/children/{family.child.id}/marks"
    assert (await client.get(url, headers=family.auth("parent"))).status_code == 404


async def test_another_schools_staff_gets_404(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    other = family.auth("other_school_staff")
    link_id = await _link_id(session, family, family.unverified.id)
    assert (
        await client.post(f"/api/v1/school/guardian-links/{link_id}/approve", headers=other)
    ).status_code == 404
    assert (
        await client.delete(f"/api/v1/school/guardian-links/{link_id}", headers=other)
    ).status_code == 404
    assert (await client.get("/api/v1/school/guardian-links", headers=other)).json() == []


@pytest.mark.parametrize("who", ["teacher", "parent", "student", "academy_staff"])
async def test_other_roles_get_403(
    client: httpx.AsyncClient, family: FamilyWorld, who: str
) -> None:
    assert (
        await client.get("/api/v1/school/guardian-links", headers=family.auth(who))
    ).status_code == 403
