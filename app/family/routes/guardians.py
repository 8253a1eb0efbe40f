"""Guardian links to the school's pupils: approve or revoke."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.accounts.guards import SchoolStaffPrincipal, duty
from app.core.db.session import SessionDep
from app.core.roles import Duty
from app.family import guardians
from app.family.schemas import GuardianLinkOut

router = APIRouter()


@router.get("/guardian-links", operation_id="school-guardian-links")
async def list_links(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    pending: bool | None = None,
    pupil_id: uuid.UUID | None = None,
) -> list[GuardianLinkOut]:
    """Parents linked (or asking to be linked) to the school's pupils, pending first."""
    return await guardians.list_links(session, principal, pending=pending, pupil_id=pupil_id)


@router.post(
    "/guardian-links/{link_id}/approve",
    operation_id="school-approve-guardian-link",
    **duty(Duty.ACCOUNTS),
)
async def approve(
    link_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> GuardianLinkOut:
    """Approve a pending link."""
    return await guardians.approve_link(session, principal, link_id)


@router.delete(
    "/guardian-links/{link_id}",
    operation_id="school-revoke-guardian-link",
    **duty(Duty.ACCOUNTS),
    status_code=status.HTTP_204_NO_CONTENT,
)
async def revoke(link_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep) -> None:
    """Revoke a link: the parent loses access to the child at once."""
    await guardians.revoke_link(session, principal, link_id)
