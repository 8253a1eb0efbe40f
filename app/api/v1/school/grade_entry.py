"""The school's grade-entry screen: completion per class, subject and semester."""

from __future__ import annotations

from fastapi import APIRouter

from app.db.session import SessionDep
from app.schemas.steering import GradeEntryOut
from app.security.deps import SchoolStaffPrincipal
from app.services import grade_entry

router = APIRouter()


@router.get("/grade-entry", operation_id="school-grade-entry")
async def school_grade_entry(principal: SchoolStaffPrincipal, session: SessionDep) -> GradeEntryOut:
    """Marks expected, entered, submitted and validated this year; which teachers are late."""
    return await grade_entry.school_grade_entry(session, principal)
