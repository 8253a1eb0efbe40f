"""How the school reaches a pupil's family, as the pupil app (Massar Moutamadris) shows and
changes it."""

from __future__ import annotations

from fastapi import APIRouter

from app.core.db.session import SessionDep
from app.family import pupil_records
from app.family.routes.pupil_views import OwnRecord
from app.family.schemas import Contact, ContactPatch

router = APIRouter()


@router.get("/contact", operation_id="student-contact")
async def contact(pupil_id: OwnRecord, session: SessionDep) -> Contact:
    """How the school reaches my family."""
    return await pupil_records.contact(session, pupil_id)


@router.patch("/contact", operation_id="student-update-contact")
async def update_contact(patch: ContactPatch, pupil_id: OwnRecord, session: SessionDep) -> Contact:
    """Change my family's phone, operator, whose phone it is, or the recovery email."""
    return await pupil_records.update_contact(session, pupil_id, patch)
