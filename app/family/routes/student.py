"""The pupil app's face (Massar Moutamadris): pupils only, their own record only."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends

from app.accounts.guards import StudentPrincipal, student_only
from app.core.db.session import SessionDep
from app.family import links as family
from app.family import pupil_records
from app.family.routes.pupil_views import pupil_views
from app.family.schemas import Contact, ContactPatch
from app.modules.diagnostics.routes import diagnostics_view
from app.modules.sports.routes import sports_view

router = APIRouter(prefix="/student", tags=["student"], dependencies=[Depends(student_only)])


async def my_record(principal: StudentPrincipal, session: SessionDep) -> uuid.UUID:
    """The caller's own pupil record."""
    return await family.own_pupil(session, principal)


router.include_router(pupil_views("student", my_record, as_parent=False))
router.include_router(diagnostics_view("student", my_record))
router.include_router(sports_view("student", my_record))


@router.get("/contact", operation_id="student-contact")
async def contact(principal: StudentPrincipal, session: SessionDep) -> Contact:
    """How the school reaches my family."""
    return await pupil_records.contact(session, await family.own_pupil(session, principal))


@router.patch("/contact", operation_id="student-update-contact")
async def update_contact(
    patch: ContactPatch, principal: StudentPrincipal, session: SessionDep
) -> Contact:
    """Change my family's phone, operator, whose phone it is, or the recovery email."""
    pupil_id = await family.own_pupil(session, principal)
    return await pupil_records.update_contact(session, pupil_id, patch)
