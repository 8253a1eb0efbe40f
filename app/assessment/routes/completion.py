"""The school's grade-entry screen: completion per class, subject and semester."""

from __future__ import annotations

from fastapi import APIRouter

from app.accounts.guards import SchoolStaffPrincipal
from app.assessment import completion as grade_entry
from app.assessment.schemas import GradeEntryOut
from app.core.db.session import SessionDep

router = APIRouter()


@router.get("/grade-entry", operation_id="school-grade-entry")
async def school_grade_entry(principal: SchoolStaffPrincipal, session: SessionDep) -> GradeEntryOut:
    """Marks expected, entered, submitted and validated this year; which teachers are late."""
    return await grade_entry.school_grade_entry(session, principal)
