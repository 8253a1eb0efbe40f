"""Each deliberated session's figures per school, gender and stream (`ExamSchoolSummary`),
rewritten from the results in the transaction that changes them: the deliberation and an
accepted appeal (publishing changes no result). `app.exams.figures` sums them over a unit."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import ARRAY, Integer, and_, any_, cast, delete, func, insert, literal, select
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Enrolment, Pupil, SchoolClass, Stream
from app.core.db.arrays import uuid_array
from app.exams.models import (
    EXAM_HISTOGRAM_BINS,
    ExamDecision,
    ExamResult,
    ExamSchoolSummary,
    ExamSession,
    IndependentCandidate,
)
from app.exams.scale import scale_of


async def refresh_summaries(
    session: AsyncSession, exam: ExamSession, school_ids: Collection[uuid.UUID] | None = None
) -> None:
    """Rewrite the session's rows (of these schools only, if given) from its results."""
    summary = ExamSchoolSummary
    stale = delete(summary).where(summary.session_id == exam.id)
    results = and_(ExamResult.session_id == exam.id, ExamResult.school_year == exam.school_year)
    if school_ids is not None:
        stale = stale.where(summary.school_id == any_(uuid_array("schools", school_ids)))
        results = and_(results, ExamResult.school_id == any_(uuid_array("schools", school_ids)))
    await session.execute(stale)
    columns, rows = await _summary_rows(session, exam)
    await session.execute(insert(summary).from_select(columns, rows.where(results)))


async def _summary_rows(session: AsyncSession, exam: ExamSession) -> tuple[list[str], Any]:
    """The statement that sums the session's results by school, gender and stream."""
    scale = await scale_of(session, exam.level_code)
    gender = func.coalesce(Pupil.gender, IndependentCandidate.gender)
    stream = func.coalesce(Stream.code, "")
    average = ExamResult.average
    bin_of = func.least(
        func.floor(average * EXAM_HISTOGRAM_BINS / scale.max_mark), EXAM_HISTOGRAM_BINS - 1
    )

    def count(*where: Any) -> Any:
        return func.count().filter(*where)

    def decided(decision: ExamDecision) -> Any:
        return count(ExamResult.decision == decision)

    mentions = [count(ExamResult.mention_fr == m["fr"]) for m in exam.mentions]
    selected = {
        "school_id": ExamResult.school_id,
        "session_id": literal(exam.id),
        "gender": gender,
        "stream_code": stream,
        "candidates": func.count(),
        "present": count(ExamResult.exam_average.is_not(None)),
        "admitted": decided(ExamDecision.ADMITTED),
        "resit": decided(ExamDecision.RESIT),
        "refused": decided(ExamDecision.NOT_ADMITTED),
        "averaged": func.count(average),
        "total": func.coalesce(func.sum(average), 0),
        # LEAST passes over a NULL: the candidates without an average are kept out first.
        "histogram": array(
            [count(average.is_not(None), bin_of == b) for b in range(EXAM_HISTOGRAM_BINS)]
        ),
        "mentions": array(mentions) if mentions else cast(literal("{}"), ARRAY(Integer)),
    }
    statement = (
        select(*(column.label(name) for name, column in selected.items()))
        .select_from(ExamResult)
        .outerjoin(Pupil, Pupil.id == ExamResult.pupil_id)
        .outerjoin(
            IndependentCandidate, IndependentCandidate.id == ExamResult.independent_candidate_id
        )
        # The pupil's class of the session's year, for its stream.
        .outerjoin(
            Enrolment,
            (Enrolment.pupil_id == ExamResult.pupil_id)
            & (Enrolment.school_year == exam.school_year)
            & Enrolment.left_on.is_(None),
        )
        .outerjoin(SchoolClass, SchoolClass.id == Enrolment.class_id)
        .outerjoin(
            Stream,
            Stream.id == func.coalesce(SchoolClass.stream_id, IndependentCandidate.stream_id),
        )
        .group_by(ExamResult.school_id, gender, stream)
    )
    return list(selected), statement
