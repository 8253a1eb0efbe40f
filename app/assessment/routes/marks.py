"""Tests and marks: schedule, enter, submit to the director, and look at the results."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.academics.routes.classes import Since, UpdatedSince
from app.accounts.guards import TeacherPrincipal
from app.assessment import marks as assessment
from app.assessment.schemas import (
    MarkIn,
    TestChanges,
    TestIn,
    TestMarks,
    TestOut,
    TestPatch,
    TestStatistics,
)
from app.core.caching import cached_read, conditional_json
from app.core.db.session import SessionDep
from app.sync.tombstones import WINDOW_PASSED

router = APIRouter()


@router.post(
    "/classes/{class_id}/tests",
    operation_id="teacher-create-test",
    status_code=status.HTTP_201_CREATED,
)
async def create_test(
    class_id: uuid.UUID, new: TestIn, principal: TeacherPrincipal, session: SessionDep
) -> TestOut:
    """Schedule test 1–4 or the integrated-activities mark of a class, subject and semester."""
    return await assessment.create_test(session, principal, class_id, new)


@cached_read(router, "/tests", "teacher-tests", list[TestOut])
async def list_tests(
    request: Request,
    principal: TeacherPrincipal,
    session: SessionDep,
    class_id: uuid.UUID | None = None,
    subject_id: uuid.UUID | None = None,
    semester: Annotated[int | None, Query(ge=1, le=2)] = None,
    updated_since: UpdatedSince = None,
) -> Response:
    """My tests this year, newest first."""
    tests = await assessment.list_tests(
        session,
        principal,
        class_id=class_id,
        subject_id=subject_id,
        semester=semester,
        updated_since=updated_since,
    )
    return conditional_json(request, tests)


@router.get("/tests/deleted", operation_id="teacher-deleted-tests", responses=WINDOW_PASSED)
async def deleted_tests(
    principal: TeacherPrincipal, session: SessionDep, since: Since
) -> list[uuid.UUID]:
    """Ids of my tests deleted since the last sync: what `updated_since` cannot show."""
    return await assessment.deleted_tests(session, principal, since)


@router.get("/tests/changes", operation_id="teacher-test-changes", responses=WINDOW_PASSED)
async def test_changes(
    principal: TeacherPrincipal, session: SessionDep, since: Since
) -> TestChanges:
    """My tests created or changed since the last sync, and the ids of those deleted."""
    return await assessment.test_changes(session, principal, since)


@cached_read(router, "/tests/{test_id}", "teacher-test", TestOut)
async def get_test(
    test_id: uuid.UUID, request: Request, principal: TeacherPrincipal, session: SessionDep
) -> Response:
    """One of my tests."""
    return conditional_json(request, await assessment.get_test(session, principal, test_id))


@router.patch("/tests/{test_id}", operation_id="teacher-update-test")
async def update_test(
    test_id: uuid.UUID, patch: TestPatch, principal: TeacherPrincipal, session: SessionDep
) -> TestOut:
    """Change the date or title of a test still in draft."""
    return await assessment.update_test(session, principal, test_id, patch)


@router.delete(
    "/tests/{test_id}", operation_id="teacher-delete-test", status_code=status.HTTP_204_NO_CONTENT
)
async def delete_test(test_id: uuid.UUID, principal: TeacherPrincipal, session: SessionDep) -> None:
    """Delete a test that has no mark yet."""
    await assessment.delete_test(session, principal, test_id)


@router.put("/tests/{test_id}/marks", operation_id="teacher-save-marks")
async def save_marks(
    test_id: uuid.UUID, rows: list[MarkIn], principal: TeacherPrincipal, session: SessionDep
) -> TestMarks:
    """Enter marks: every row valid or nothing written (422 lists each faulty row).

    Pupils not sent keep their mark; a row with no mark, no absence and no remark clears it.
    """
    return await assessment.save_marks(session, principal, test_id, rows)


@cached_read(router, "/tests/{test_id}/marks", "teacher-marks", TestMarks)
async def list_marks(
    test_id: uuid.UUID, request: Request, principal: TeacherPrincipal, session: SessionDep
) -> Response:
    """A test's marks."""
    return conditional_json(request, await assessment.list_marks(session, principal, test_id))


@router.post("/tests/{test_id}/submit", operation_id="teacher-submit-test")
async def submit_test(
    test_id: uuid.UUID, principal: TeacherPrincipal, session: SessionDep
) -> TestOut:
    """Hand the marks to the director; they are locked for me afterwards."""
    return await assessment.submit_test(session, principal, test_id)


@cached_read(router, "/tests/{test_id}/statistics", "teacher-test-statistics", TestStatistics)
async def statistics(
    test_id: uuid.UUID, request: Request, principal: TeacherPrincipal, session: SessionDep
) -> Response:
    """Mean, min, max, passes, a histogram on the level's scale (0–10 in primary, 0–20
    above), and how many marks are missing or absent."""
    return conditional_json(request, await assessment.test_statistics(session, principal, test_id))
