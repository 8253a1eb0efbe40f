"""Diagnostic tests in the teacher app: the tests of my classes, the result grid, the class
summary and progress, remedial groups (proposed, confirmed, closed), sessions and attendance."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.accounts.guards import TeacherPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.modules.diagnostics import evaluation as diagnostics
from app.modules.diagnostics import remedial as diagnostics_remedial
from app.modules.diagnostics.models import DiagnosticKind, RemedialGroupStatus
from app.modules.diagnostics.schemas import (
    ClassProgress,
    ClassSummary,
    GridIn,
    GridOut,
    Proposal,
    RemedialAttendanceIn,
    RemedialGroupIn,
    RemedialGroupOut,
    RemedialSessionIn,
    RemedialSessionOut,
    SessionAttendanceOut,
    TeacherTestOut,
)

router = APIRouter(prefix="/diagnostics")

TEST_CLASS = "/tests/{test_id}/classes/{class_id}"


@router.get("/tests", operation_id="teacher-diagnostic-tests")
async def diagnostic_tests(
    principal: TeacherPrincipal,
    session: SessionDep,
    page: PageParams,
    kind: DiagnosticKind | None = None,
) -> Page[TeacherTestOut]:
    """This year's diagnostic tests and post-tests for the levels and subjects I teach."""
    return await diagnostics.teacher_tests(
        session, principal, kind=kind, limit=page.limit, after=page.position()
    )


@router.get(f"{TEST_CLASS}/grid", operation_id="teacher-diagnostic-grid")
async def grid(
    test_id: uuid.UUID, class_id: uuid.UUID, principal: TeacherPrincipal, session: SessionDep
) -> GridOut:
    """The class's pupils × the test's competencies, with the scores entered (out of 100)."""
    return await diagnostics.get_grid(session, principal, test_id, class_id)


@router.put(f"{TEST_CLASS}/grid", operation_id="teacher-save-diagnostic-grid")
async def save_grid(
    test_id: uuid.UUID,
    class_id: uuid.UUID,
    grid: GridIn,
    principal: TeacherPrincipal,
    session: SessionDep,
) -> GridOut:
    """Enter results in bulk: all rows or none (422 lists every faulty row); a row replaces
    that pupil's results, `absent` marks them absent; a replay changes nothing."""
    return await diagnostics.save_grid(session, principal, test_id, class_id, grid)


@router.get(f"{TEST_CLASS}/summary", operation_id="teacher-diagnostic-summary")
async def summary(
    test_id: uuid.UUID, class_id: uuid.UUID, principal: TeacherPrincipal, session: SessionDep
) -> ClassSummary:
    """Mastery rate per competency in the class."""
    return await diagnostics.class_summary(session, principal, test_id, class_id)


@router.get(f"{TEST_CLASS}/progress", operation_id="teacher-diagnostic-progress")
async def progress(
    test_id: uuid.UUID, class_id: uuid.UUID, principal: TeacherPrincipal, session: SessionDep
) -> ClassProgress:
    """Post-test minus diagnostic score, per pupil and competency (409 without a post-test)."""
    return await diagnostics.class_progress(session, principal, test_id, class_id)


@router.get(f"{TEST_CLASS}/proposal", operation_id="teacher-remedial-proposal")
async def proposal(
    test_id: uuid.UUID, class_id: uuid.UUID, principal: TeacherPrincipal, session: SessionDep
) -> Proposal:
    """Remedial groups proposed from a diagnostic test: pupils below the threshold, per
    competency. Nothing is saved until a group is confirmed."""
    return await diagnostics_remedial.propose(session, principal, test_id, class_id)


@router.post(
    "/groups", operation_id="teacher-confirm-remedial-group", status_code=status.HTTP_201_CREATED
)
async def confirm_group(
    new: RemedialGroupIn, principal: TeacherPrincipal, session: SessionDep
) -> RemedialGroupOut:
    """Confirm a remedial group (name, competency, pupils); pupils and parents are notified."""
    return await diagnostics_remedial.confirm_group(session, principal, new)


@router.get("/groups", operation_id="teacher-remedial-groups")
async def groups(
    principal: TeacherPrincipal,
    session: SessionDep,
    page: PageParams,
    class_id: uuid.UUID | None = None,
    status: RemedialGroupStatus | None = None,
) -> Page[RemedialGroupOut]:
    """The remedial groups of my classes, newest first."""
    return await diagnostics_remedial.list_groups(
        session,
        principal,
        class_id=class_id,
        status=status,
        limit=page.limit,
        after=page.position(),
    )


@router.get("/groups/{group_id}", operation_id="teacher-remedial-group")
async def group(
    group_id: uuid.UUID, principal: TeacherPrincipal, session: SessionDep
) -> RemedialGroupOut:
    """One remedial group with its pupils and sessions."""
    return await diagnostics_remedial.get_group(session, principal, group_id)


@router.post("/groups/{group_id}/close", operation_id="teacher-close-remedial-group")
async def close_group(
    group_id: uuid.UUID, principal: TeacherPrincipal, session: SessionDep
) -> RemedialGroupOut:
    """Close a group once its work is done (after the post-test); 409 if already closed."""
    return await diagnostics_remedial.move_group(session, principal, group_id, "close")


@router.post("/groups/{group_id}/reopen", operation_id="teacher-reopen-remedial-group")
async def reopen_group(
    group_id: uuid.UUID, principal: TeacherPrincipal, session: SessionDep
) -> RemedialGroupOut:
    """Reopen a closed group; 409 if it is open."""
    return await diagnostics_remedial.move_group(session, principal, group_id, "reopen")


@router.post(
    "/groups/{group_id}/sessions",
    operation_id="teacher-add-remedial-session",
    status_code=status.HTTP_201_CREATED,
)
async def add_session(
    group_id: uuid.UUID, new: RemedialSessionIn, principal: TeacherPrincipal, session: SessionDep
) -> RemedialSessionOut:
    """Schedule a remedial session: date, times and place."""
    return await diagnostics_remedial.add_session(session, principal, group_id, new)


@router.get("/sessions/{session_id}/attendance", operation_id="teacher-remedial-attendance")
async def attendance(
    session_id: uuid.UUID, principal: TeacherPrincipal, session: SessionDep
) -> SessionAttendanceOut:
    """Who attended a remedial session (null: not recorded)."""
    return await diagnostics_remedial.get_attendance(session, principal, session_id)


@router.put("/sessions/{session_id}/attendance", operation_id="teacher-save-remedial-attendance")
async def save_attendance(
    session_id: uuid.UUID,
    roll: RemedialAttendanceIn,
    principal: TeacherPrincipal,
    session: SessionDep,
) -> SessionAttendanceOut:
    """Record a session's attendance in bulk: all rows or none; a replay changes nothing."""
    return await diagnostics_remedial.save_attendance(session, principal, session_id, roll)
