"""Convocations: where and when a candidate sits each session whose candidates are listed,
the subjects of their stream in the order they are sat. The same for a pupil (their app's
exam view) and for an independent candidate (read with their number and birth date)."""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Stream, Subject
from app.academics.schemas import StreamRef, SubjectRef
from app.exams.independent_schemas import CandidateConvocationOut, CentreRef, ConvocationSubject
from app.exams.models import ExamResult, ExamSession, ExamSessionSubject, ExamState
from app.exams.organising import sitting_order
from app.organisation.models import School

# (session, stream or None: every stream) -> the subjects sat
_Sittings = dict[tuple[uuid.UUID, uuid.UUID | None], list[ConvocationSubject]]


async def convocations(
    session: AsyncSession, whose: ColumnElement[bool]
) -> list[CandidateConvocationOut]:
    """The convocations of the candidate whose results `whose` selects, by session dates."""
    rows = (
        await session.execute(
            select(ExamSession, ExamResult, School, Stream)
            .join(ExamResult, ExamResult.session_id == ExamSession.id)
            .join(School, School.id == ExamResult.centre_id)
            .outerjoin(Stream, Stream.id == ExamResult.stream_id)
            .where(whose, ExamSession.state != ExamState.DRAFT)
            .order_by(ExamSession.starts_on.nulls_last(), ExamSession.created_at)
        )
    ).all()
    sittings = await _sittings(session, [exam.id for exam, *_ in rows])
    return [
        CandidateConvocationOut.of(
            exam,
            session_id=exam.id,
            candidate_number=result.candidate_number,
            centre=CentreRef.model_validate(centre),
            room=result.room,
            stream=StreamRef.model_validate(stream) if stream else None,
            subjects=subjects_sat(sittings, exam.id, result.stream_id),
        )
        for exam, result, centre, stream in rows
    ]


def subjects_sat(
    sittings: _Sittings, session_id: uuid.UUID, stream_id: uuid.UUID | None
) -> list[ConvocationSubject]:
    """A stream's subjects in a session: everyone's and its own, by sitting."""
    own = sittings.get((session_id, stream_id), []) if stream_id is not None else []
    lines = sittings.get((session_id, None), []) + own
    return sorted(
        lines,
        key=lambda s: (
            s.sits_on is None,
            s.sits_on,
            s.starts_at is None,
            s.starts_at,
            s.subject.code,
        ),
    )


async def _sittings(session: AsyncSession, session_ids: list[uuid.UUID]) -> _Sittings:
    lines: _Sittings = defaultdict(list)
    rows = await session.execute(
        select(ExamSessionSubject, Subject)
        .join(Subject, Subject.id == ExamSessionSubject.subject_id)
        .where(ExamSessionSubject.session_id.in_(session_ids))
        .order_by(*sitting_order())
    )
    for line, subject in rows:
        lines[(line.session_id, line.stream_id)].append(
            ConvocationSubject.of(line, subject=SubjectRef.model_validate(subject))
        )
    return lines
