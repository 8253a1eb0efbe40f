"""A session's results as its organiser reads them."""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security.principal import Principal
from app.exams.models import ExamResult, ExamSubjectResult
from app.exams.organising import organised_session
from app.exams.schemas import CandidateResultOut, ExamSubjectMarkOut


async def session_results(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID
) -> list[CandidateResultOut]:
    """Every candidate of one of the caller's sessions, by number, with their marks."""
    exam = await organised_session(session, principal, session_id)
    results = (
        await session.scalars(
            select(ExamResult)
            # The session's year: one partition is read.
            .where(ExamResult.school_year == exam.school_year, ExamResult.session_id == exam.id)
            .order_by(ExamResult.candidate_number)
        )
    ).all()
    marks: dict[uuid.UUID, list[ExamSubjectMarkOut]] = defaultdict(list)
    for line in await session.scalars(
        select(ExamSubjectResult).where(
            ExamSubjectResult.school_year == exam.school_year,
            ExamSubjectResult.result_id.in_([r.id for r in results]),
        )
    ):
        marks[line.result_id].append(ExamSubjectMarkOut.model_validate(line))
    return [CandidateResultOut.of(r, subjects=marks[r.id]) for r in results]
