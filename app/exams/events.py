"""What integrators are told of exams: `exam_results.published`, when a session's results
become visible (`sessions.announce_published_exams`), one event per school with its
candidates' results. A result is `results.read` (the event's own scope); the pupil's Massar
code rides along only for a client that also holds `roster.read`, whose data it is. Names
never do: a scholarship portal keys on the Massar code or the candidate number."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil
from app.exams.models import ExamResult, ExamSession
from app.integrations.scopes import ApiScope
from app.organisation.models import School
from app.webhooks.events import Shown, emit_per_school, listened_to
from app.webhooks.models import EventType


async def exam_results_published(session: AsyncSession, exam: ExamSession) -> None:
    """Queue `exam_results.published` for the integrators that listen to each school of the
    session's candidates. A national session spans thousands of schools: when no endpoint
    listens to the event at all, one statement and nothing more; else one more finds the
    listeners of every school, and only their schools' results are read."""
    if not await listened_to(session, EventType.EXAM_RESULTS_PUBLISHED):
        return
    schools = select(ExamResult.school_id).where(ExamResult.session_id == exam.id)
    await emit_per_school(
        session, EventType.EXAM_RESULTS_PUBLISHED, schools, partial(_payload, session, exam)
    )


async def _payload(
    session: AsyncSession, exam: ExamSession, school_id: uuid.UUID
) -> dict[str, Any]:
    school_code = await session.scalar(select(School.code).where(School.id == school_id))
    results = await session.execute(
        select(ExamResult, Pupil.massar_code)
        .outerjoin(Pupil, Pupil.id == ExamResult.pupil_id)
        .where(ExamResult.session_id == exam.id, ExamResult.school_id == school_id)
        .order_by(ExamResult.candidate_number, ExamResult.id)
    )
    return {
        "session": {
            "id": str(exam.id),
            "kind": exam.kind.value,
            "level": exam.level_code,
            "school_year": exam.school_year,
            "name_fr": exam.name_fr,
        },
        "school": {"id": str(school_id), "code": school_code},
        "results": [
            {
                "candidate_number": result.candidate_number,
                "pupil_id": None if result.pupil_id is None else str(result.pupil_id),
                "massar_code": Shown(ApiScope.ROSTER_READ, massar_code),
                "exam_average": _mark(result.exam_average),
                "average": _mark(result.average),
                "decision": None if result.decision is None else result.decision.value,
                "mention_fr": result.mention_fr,
            }
            for result, massar_code in results.all()
        ],
    }


def _mark(value: Any) -> str | None:
    return None if value is None else str(value)
