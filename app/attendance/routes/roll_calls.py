"""Taking attendance in class (often offline, replayed later through /teacher/sync)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.accounts.guards import TeacherPrincipal
from app.attendance import roll_calls as attendance
from app.attendance.schemas import AttendanceOut, RollCallIn
from app.core.caching import cached_read, conditional_json
from app.core.db.session import SessionDep
from app.core.schemas import ClockTime

router = APIRouter()


@router.put("/classes/{class_id}/attendance", operation_id="teacher-record-attendance")
async def record_attendance(
    class_id: uuid.UUID, roll_call: RollCallIn, principal: TeacherPrincipal, session: SessionDep
) -> AttendanceOut:
    """Record a lesson's roll call, replacing any earlier one; all rows or none."""
    return await attendance.record_attendance(session, principal, class_id, roll_call)


@cached_read(router, "/classes/{class_id}/attendance", "teacher-read-attendance", AttendanceOut)
async def read_attendance(
    class_id: uuid.UUID,
    request: Request,
    principal: TeacherPrincipal,
    session: SessionDep,
    date: Annotated[date, Query()],
    start_time: Annotated[ClockTime, Query()],
    subject_id: Annotated[uuid.UUID, Query()],
) -> Response:
    """A lesson's roll call as recorded."""
    roll_call = await attendance.read_attendance(
        session, principal, class_id, subject_id, date, start_time
    )
    return conditional_json(request, roll_call)
