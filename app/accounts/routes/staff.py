"""The school's teachers."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.accounts import staff
from app.accounts.guards import SchoolStaffPrincipal, duty
from app.accounts.schemas import NewTeacherOut, SchoolTeacherOut, TeacherIn, TeacherPatch
from app.core.db.session import SessionDep
from app.core.roles import Duty
from app.core.security.passwords import HASHING_BUSY_RESPONSE

router = APIRouter()


@router.get("/teachers", operation_id="school-teachers")
async def list_teachers(
    principal: SchoolStaffPrincipal, session: SessionDep
) -> list[SchoolTeacherOut]:
    """The school's teachers with their staff file."""
    return await staff.list_teachers(session, principal)


@router.post(
    "/teachers",
    operation_id="school-open-teacher",
    **duty(Duty.ACCOUNTS, HASHING_BUSY_RESPONSE),
    status_code=status.HTTP_201_CREATED,
)
async def open_teacher(
    new: TeacherIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> NewTeacherOut:
    """Open a teacher's account; the answer carries their first-login code (shown once)."""
    return await staff.open_teacher(session, principal, new)


@router.patch("/teachers/{teacher_id}", operation_id="school-update-teacher", **duty(Duty.ACCOUNTS))
async def update_teacher(
    teacher_id: uuid.UUID, patch: TeacherPatch, principal: SchoolStaffPrincipal, session: SessionDep
) -> SchoolTeacherOut:
    """Correct a teacher's file, or deactivate the account (every login ends at once)."""
    return await staff.update_teacher(session, principal, teacher_id, patch)
