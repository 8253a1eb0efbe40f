"""Pupils, as the school's staff handle them."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.accounts.guards import SchoolStaffPrincipal, duty
from app.core.db.session import SessionDep
from app.core.roles import Duty
from app.family import links as family
from app.family.schemas import LinkCodeOut

router = APIRouter()


@router.post(
    "/pupils/{pupil_id}/link-codes",
    operation_id="school-issue-link-code",
    **duty(Duty.ACCOUNTS),
    status_code=status.HTTP_201_CREATED,
)
async def issue_link_code(
    pupil_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> LinkCodeOut:
    """A one-time code for a parent to link this pupil in Massar Wali (shown once)."""
    return await family.issue_link_code(session, principal, pupil_id)
