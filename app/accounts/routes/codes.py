"""Accounts of the school's pupils and parents: first-login and reset codes, parent accounts."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.accounts import codes as account_codes
from app.accounts.guards import SchoolStaffPrincipal, duty
from app.accounts.schemas import AccountCodeOut, ParentAccountIn
from app.core.db.session import SessionDep
from app.core.roles import Duty
from app.core.security.passwords import HASHING_BUSY_RESPONSE

router = APIRouter()
CREATED = status.HTTP_201_CREATED


@router.post(
    "/pupils/{pupil_id}/account-code",
    operation_id="school-pupil-account-code",
    **duty(Duty.ACCOUNTS, HASHING_BUSY_RESPONSE),
    status_code=CREATED,
)
async def pupil_code(
    pupil_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> AccountCodeOut:
    """A one-time code for the pupil's first login (their account opens) or a password reset."""
    return await account_codes.issue_for_pupil(session, principal, pupil_id)


@router.post(
    "/pupils/{pupil_id}/parents",
    operation_id="school-open-parent-account",
    **duty(Duty.ACCOUNTS, HASHING_BUSY_RESPONSE),
    status_code=CREATED,
)
async def open_parent_account(
    pupil_id: uuid.UUID, new: ParentAccountIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> AccountCodeOut:
    """Open a parent's account linked to this pupil, with its first-login code."""
    return await account_codes.open_parent_account(session, principal, pupil_id, new)


@router.post(
    "/guardian-links/{link_id}/account-code",
    operation_id="school-parent-account-code",
    **duty(Duty.ACCOUNTS),
    status_code=CREATED,
)
async def parent_code(
    link_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> AccountCodeOut:
    """A one-time code for a linked parent's first login or password reset."""
    return await account_codes.issue_for_parent(session, principal, link_id)
