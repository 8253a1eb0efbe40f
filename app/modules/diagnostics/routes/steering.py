"""Diagnostic tests for directorates, academies and the ministry: define tests (with their
competencies) and post-tests, and follow mastery over their part of the tree."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.accounts.guards import SteeringPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.modules.diagnostics import evaluation as diagnostics
from app.modules.diagnostics.models import DiagnosticKind
from app.modules.diagnostics.schemas import DiagnosticTestIn, DiagnosticTestOut, MasteryReport

router = APIRouter()


@router.post(
    "/diagnostics/tests",
    operation_id="steering-create-diagnostic-test",
    status_code=status.HTTP_201_CREATED,
)
async def create_test(
    new: DiagnosticTestIn, principal: SteeringPrincipal, session: SessionDep
) -> DiagnosticTestOut:
    """Define a diagnostic test for a level and subject (owned by my unit), or its post-test."""
    return await diagnostics.create_test(session, principal, new)


@router.get("/diagnostics/tests", operation_id="steering-diagnostic-tests")
async def diagnostic_tests(
    principal: SteeringPrincipal,
    session: SessionDep,
    page: PageParams,
    level_code: str | None = None,
    subject_id: uuid.UUID | None = None,
    kind: DiagnosticKind | None = None,
) -> Page[DiagnosticTestOut]:
    """Tests of my unit, of the units beneath it and of those above it, newest first."""
    return await diagnostics.list_tests(
        session,
        principal,
        level_code=level_code,
        subject_id=subject_id,
        kind=kind,
        limit=page.limit,
        after=page.position(),
    )


@router.get("/diagnostics/tests/{test_id}", operation_id="steering-diagnostic-test")
async def diagnostic_test(
    test_id: uuid.UUID, principal: SteeringPrincipal, session: SessionDep
) -> DiagnosticTestOut:
    """One test I can see."""
    return await diagnostics.get_test(session, principal, test_id)


@router.get("/diagnostics/mastery", operation_id="steering-diagnostic-mastery")
async def mastery(
    principal: SteeringPrincipal,
    session: SessionDep,
    level_code: str | None = None,
    subject_id: uuid.UUID | None = None,
    test_id: uuid.UUID | None = None,
) -> MasteryReport:
    """Mastery rate per test and competency over my part of the tree this year."""
    return await diagnostics.scoped_mastery(
        session, principal, level_code=level_code, subject_id=subject_id, test_id=test_id
    )
