"""Diagnostic tests at the school: completion of result entry per class and mastery rates."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from app.accounts.guards import SchoolStaffPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.modules.diagnostics import evaluation as diagnostics
from app.modules.diagnostics.schemas import ClassCompletion, MasteryReport

router = APIRouter(prefix="/diagnostics")


@router.get("/completion", operation_id="school-diagnostic-completion")
async def completion(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    test_id: uuid.UUID | None = None,
    class_id: uuid.UUID | None = None,
) -> Page[ClassCompletion]:
    """Each class × each test of its level: pupils, pupils with results, mastery rate."""
    return await diagnostics.school_completion(
        session,
        principal,
        test_id=test_id,
        class_id=class_id,
        limit=page.limit,
        after=page.position(),
    )


@router.get("/mastery", operation_id="school-diagnostic-mastery")
async def mastery(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    level_code: str | None = None,
    subject_id: uuid.UUID | None = None,
    test_id: uuid.UUID | None = None,
) -> MasteryReport:
    """Mastery rate per test and competency over the school's pupils this year."""
    return await diagnostics.scoped_mastery(
        session, principal, level_code=level_code, subject_id=subject_id, test_id=test_id
    )
