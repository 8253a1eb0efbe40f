"""Diagnostic tests, each endpoint written once for the faces that serve it: directorates,
academies and the ministry (`/steering/diagnostics`: define tests and post-tests, follow
mastery over their part of the tree), the school's staff (`/school/diagnostics`: completion
of result entry per class, mastery), teachers (`/teacher/diagnostics`: result grids, class
summaries and progress, remedial groups, their sessions and attendance), and a pupil's record
(`/student/diagnostics`, `/parent/children/{child_id}/diagnostics`). The face's router guards
the role; the services apply each caller's scope.

(No `from __future__ import annotations`: the pupil's view is built with a dependency the face
passes, and FastAPI must resolve its annotations when the route is made.)
"""

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response, status

from app.accounts.guards import CurrentPrincipal
from app.core.caching import cached_read, conditional_json
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.routing import IdResolver, RouteGroup, face_routes
from app.core.schemas import Page
from app.modules.diagnostics import evaluation as diagnostics
from app.modules.diagnostics import remedial as diagnostics_remedial
from app.modules.diagnostics.models import DiagnosticKind, RemedialGroupStatus
from app.modules.diagnostics.schemas import (
    ClassCompletion,
    ClassProgress,
    ClassSummary,
    DiagnosticTestIn,
    DiagnosticTestOut,
    GridIn,
    GridOut,
    MasteryReport,
    Proposal,
    PupilDiagnostics,
    RemedialAttendanceIn,
    RemedialGroupIn,
    RemedialGroupOut,
    RemedialSessionIn,
    RemedialSessionOut,
    SessionAttendanceOut,
    TeacherTestOut,
)

DiagnosticFace = Literal["school", "steering", "teacher"]
TEST_CLASS = "/tests/{test_id}/classes/{class_id}"


def diagnostic_routes(face: DiagnosticFace) -> APIRouter:
    """The diagnostic endpoints of one staff face, with its operation ids."""
    return face_routes(face, _FACE_ROUTES[face], prefix="/diagnostics")


def diagnostics_view(operation_prefix: str, resolve_pupil: IdResolver) -> APIRouter:
    """`GET /diagnostics` for a face whose `resolve_pupil` picks the pupil (the pupil app:
    their own record; the parent app: a verified child). One service answers both."""
    router = APIRouter()
    PupilId = Annotated[uuid.UUID, Depends(resolve_pupil)]  # noqa: N806  (a type alias)

    @cached_read(router, "/diagnostics", f"{operation_prefix}-diagnostics", PupilDiagnostics)
    async def pupil_diagnostics(
        request: Request, pupil_id: PupilId, session: SessionDep
    ) -> Response:
        """Score and mastery per competency of each test, remedial groups, upcoming sessions."""
        outcome = await diagnostics_remedial.pupil_diagnostics(session, pupil_id)
        return conditional_json(request, outcome)

    return router


# ---- definitions and mastery: steering, the school ------------------------------------------


def _definitions(router: APIRouter, face: str) -> None:
    @router.post(
        "/tests",
        operation_id=f"{face}-create-diagnostic-test",
        status_code=status.HTTP_201_CREATED,
    )
    async def create_test(
        new: DiagnosticTestIn, principal: CurrentPrincipal, session: SessionDep
    ) -> DiagnosticTestOut:
        """Define a diagnostic test for a level and subject (owned by my unit), or its
        post-test."""
        return await diagnostics.create_test(session, principal, new)

    @router.get("/tests", operation_id=f"{face}-diagnostic-tests")
    async def diagnostic_tests(
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        level_code: str | None = None,
        subject_id: uuid.UUID | None = None,
        kind: DiagnosticKind | None = None,
    ) -> Page[DiagnosticTestOut]:
        """Tests of my unit, of the units beneath it and of those above it, newest first."""
        return await diagnostics.list_tests(
            session, principal, page, level_code=level_code, subject_id=subject_id, kind=kind
        )

    @router.get("/tests/{test_id}", operation_id=f"{face}-diagnostic-test")
    async def diagnostic_test(
        test_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> DiagnosticTestOut:
        """One test I can see."""
        return await diagnostics.get_test(session, principal, test_id)


def _completion(router: APIRouter, face: str) -> None:
    @router.get("/completion", operation_id=f"{face}-diagnostic-completion")
    async def completion(
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        test_id: uuid.UUID | None = None,
        class_id: uuid.UUID | None = None,
    ) -> Page[ClassCompletion]:
        """Each class × each test of its level: pupils, pupils with results, mastery rate."""
        return await diagnostics.school_completion(
            session, principal, page, test_id=test_id, class_id=class_id
        )


def _mastery(router: APIRouter, face: str) -> None:
    @router.get("/mastery", operation_id=f"{face}-diagnostic-mastery")
    async def mastery(
        principal: CurrentPrincipal,
        session: SessionDep,
        level_code: str | None = None,
        subject_id: uuid.UUID | None = None,
        test_id: uuid.UUID | None = None,
    ) -> MasteryReport:
        """Mastery rate per test and competency over the pupils of my school, or of my part
        of the tree, this year."""
        return await diagnostics.scoped_mastery(
            session, principal, level_code=level_code, subject_id=subject_id, test_id=test_id
        )


# ---- the teacher: tests of my classes, results, remedial groups ------------------------------


def _results(router: APIRouter, face: str) -> None:
    @router.get("/tests", operation_id=f"{face}-diagnostic-tests")
    async def diagnostic_tests(
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        kind: DiagnosticKind | None = None,
    ) -> Page[TeacherTestOut]:
        """This year's diagnostic tests and post-tests for the levels and subjects I teach."""
        return await diagnostics.teacher_tests(session, principal, page, kind=kind)

    @router.get(f"{TEST_CLASS}/grid", operation_id=f"{face}-diagnostic-grid")
    async def grid(
        test_id: uuid.UUID, class_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> GridOut:
        """The class's pupils × the test's competencies, with the scores entered (out of 100)."""
        return await diagnostics.get_grid(session, principal, test_id, class_id)

    @router.put(f"{TEST_CLASS}/grid", operation_id=f"{face}-save-diagnostic-grid")
    async def save_grid(
        test_id: uuid.UUID,
        class_id: uuid.UUID,
        grid: GridIn,
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> GridOut:
        """Enter results in bulk: all rows or none (422 lists every faulty row); a row replaces
        that pupil's results, `absent` marks them absent; a replay changes nothing."""
        return await diagnostics.save_grid(session, principal, test_id, class_id, grid)

    @router.get(f"{TEST_CLASS}/summary", operation_id=f"{face}-diagnostic-summary")
    async def summary(
        test_id: uuid.UUID, class_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> ClassSummary:
        """Mastery rate per competency in the class."""
        return await diagnostics.class_summary(session, principal, test_id, class_id)

    @router.get(f"{TEST_CLASS}/progress", operation_id=f"{face}-diagnostic-progress")
    async def progress(
        test_id: uuid.UUID, class_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> ClassProgress:
        """Post-test minus diagnostic score, per pupil and competency (409 without a
        post-test)."""
        return await diagnostics.class_progress(session, principal, test_id, class_id)


def _remedial_groups(router: APIRouter, face: str) -> None:
    @router.get(f"{TEST_CLASS}/proposal", operation_id=f"{face}-remedial-proposal")
    async def proposal(
        test_id: uuid.UUID, class_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> Proposal:
        """Remedial groups proposed from a diagnostic test: pupils below the threshold, per
        competency. Nothing is saved until a group is confirmed."""
        return await diagnostics_remedial.propose(session, principal, test_id, class_id)

    @router.post(
        "/groups",
        operation_id=f"{face}-confirm-remedial-group",
        status_code=status.HTTP_201_CREATED,
    )
    async def confirm_group(
        new: RemedialGroupIn, principal: CurrentPrincipal, session: SessionDep
    ) -> RemedialGroupOut:
        """Confirm a remedial group (name, competency, pupils); pupils and parents are
        notified."""
        return await diagnostics_remedial.confirm_group(session, principal, new)

    @router.get("/groups", operation_id=f"{face}-remedial-groups")
    async def groups(
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        class_id: uuid.UUID | None = None,
        status: RemedialGroupStatus | None = None,
    ) -> Page[RemedialGroupOut]:
        """The remedial groups of my classes, newest first."""
        return await diagnostics_remedial.list_groups(
            session, principal, page, class_id=class_id, status=status
        )

    @router.get("/groups/{group_id}", operation_id=f"{face}-remedial-group")
    async def group(
        group_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> RemedialGroupOut:
        """One remedial group with its pupils and sessions."""
        return await diagnostics_remedial.get_group(session, principal, group_id)

    @router.post("/groups/{group_id}/close", operation_id=f"{face}-close-remedial-group")
    async def close_group(
        group_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> RemedialGroupOut:
        """Close a group once its work is done (after the post-test); 409 if already closed."""
        return await diagnostics_remedial.move_group(session, principal, group_id, "close")

    @router.post("/groups/{group_id}/reopen", operation_id=f"{face}-reopen-remedial-group")
    async def reopen_group(
        group_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> RemedialGroupOut:
        """Reopen a closed group; 409 if it is open."""
        return await diagnostics_remedial.move_group(session, principal, group_id, "reopen")


def _remedial_sessions(router: APIRouter, face: str) -> None:
    @router.post(
        "/groups/{group_id}/sessions",
        operation_id=f"{face}-add-remedial-session",
        status_code=status.HTTP_201_CREATED,
    )
    async def add_session(
        group_id: uuid.UUID,
        new: RemedialSessionIn,
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> RemedialSessionOut:
        """Schedule a remedial session: date, times and place."""
        return await diagnostics_remedial.add_session(session, principal, group_id, new)

    @router.get("/sessions/{session_id}/attendance", operation_id=f"{face}-remedial-attendance")
    async def attendance(
        session_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> SessionAttendanceOut:
        """Who attended a remedial session (null: not recorded)."""
        return await diagnostics_remedial.get_attendance(session, principal, session_id)

    @router.put(
        "/sessions/{session_id}/attendance", operation_id=f"{face}-save-remedial-attendance"
    )
    async def save_attendance(
        session_id: uuid.UUID,
        roll: RemedialAttendanceIn,
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> SessionAttendanceOut:
        """Record a session's attendance in bulk: all rows or none; a replay changes nothing."""
        return await diagnostics_remedial.save_attendance(session, principal, session_id, roll)


_FACE_ROUTES: dict[DiagnosticFace, tuple[RouteGroup, ...]] = {
    "steering": (_definitions, _mastery),
    "school": (_completion, _mastery),
    "teacher": (_results, _remedial_groups, _remedial_sessions),
}
