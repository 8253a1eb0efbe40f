"""The lesson log (cahier de textes) and syllabus progress."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status

from app.academics import lessons
from app.academics.routes.classes import Since, UpdatedSince
from app.academics.schemas import LessonChanges, LessonIn, LessonOut, Progress
from app.accounts.guards import TeacherPrincipal
from app.core.caching import cached_read, conditional_json
from app.core.db.session import SessionDep
from app.sync.tombstones import WINDOW_PASSED

router = APIRouter()


@router.post(
    "/classes/{class_id}/lessons",
    operation_id="teacher-log-lesson",
    status_code=status.HTTP_201_CREATED,
)
async def log_lesson(
    class_id: uuid.UUID, entry: LessonIn, principal: TeacherPrincipal, session: SessionDep
) -> LessonOut:
    """Write what was taught, and the homework set, in the class's lesson log."""
    return await lessons.log_lesson(session, principal, class_id, entry)


@cached_read(router, "/classes/{class_id}/lessons", "teacher-lessons", list[LessonOut])
async def list_lessons(
    class_id: uuid.UUID,
    request: Request,
    principal: TeacherPrincipal,
    session: SessionDep,
    subject_id: uuid.UUID | None = None,
    updated_since: UpdatedSince = None,
) -> Response:
    """The class's lesson log for my subjects, newest first."""
    entries = await lessons.list_lessons(
        session, principal, class_id, subject_id=subject_id, updated_since=updated_since
    )
    return conditional_json(request, entries)


@router.get(
    "/classes/{class_id}/lessons/changes",
    operation_id="teacher-lesson-changes",
    responses=WINDOW_PASSED,
)
async def lesson_changes(
    class_id: uuid.UUID,
    principal: TeacherPrincipal,
    session: SessionDep,
    since: Since,
    subject_id: uuid.UUID | None = None,
) -> LessonChanges:
    """The class's lesson log entries for my subjects written or changed since the last sync,
    and the ids of those deleted."""
    return await lessons.lesson_changes(session, principal, class_id, since, subject_id)


@cached_read(router, "/classes/{class_id}/progress", "teacher-progress", Progress)
async def progress(
    class_id: uuid.UUID,
    subject_id: uuid.UUID,
    request: Request,
    principal: TeacherPrincipal,
    session: SessionDep,
) -> Response:
    """Lessons logged against the units planned for the class's level and subject."""
    report = await lessons.syllabus_progress(session, principal, class_id, subject_id)
    return conditional_json(request, report)
