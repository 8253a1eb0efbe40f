"""What an independent candidate reads without an account: their record, their convocations
and their published results, each time with their candidate number and birth date.

Recognising a candidate is a login: every try is counted first, atomically, by the login
throttle (`LoginThrottle.begin`, under the number and the client's address), and a wrong
number and a wrong birth date get the same answer, so numbers cannot be probed."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Stream
from app.academics.schemas import StreamRef
from app.core.security.throttle import LoginThrottle
from app.errors import ProblemError
from app.exams.convocations import convocations as convocation_list
from app.exams.independent_schemas import (
    CandidateConvocationOut,
    CandidateCredentials,
    CandidateRecordOut,
    CandidateResultsOut,
    CentreRef,
)
from app.exams.models import (
    ExamResult,
    ExamSession,
    ExamState,
    ExamSubjectResult,
    IndependentCandidate,
)
from app.exams.schemas import ExamSubjectMarkOut
from app.organisation.models import School

# The throttle counts tries under this name, apart from the accounts' usernames.
_THROTTLE_NAME = "candidat-libre:{number}"


def not_recognised() -> ProblemError:
    return ProblemError(404, "exams.candidate_not_recognised", kind="candidate-not-recognised")


async def recognised(
    session: AsyncSession, throttle: LoginThrottle, client_ip: str, who: CandidateCredentials
) -> IndependentCandidate:
    """The candidate with this number and birth date; a try that fails stays counted."""
    attempt = await throttle.begin(_THROTTLE_NAME.format(number=who.candidate_number), client_ip)
    candidate = await session.scalar(
        select(IndependentCandidate).where(
            IndependentCandidate.candidate_number == who.candidate_number,
            IndependentCandidate.birth_date == who.birth_date,
        )
    )
    if candidate is None:
        await throttle.failed(attempt)
        raise not_recognised()
    await throttle.succeeded(attempt)
    return candidate


async def record(session: AsyncSession, candidate: IndependentCandidate) -> CandidateRecordOut:
    """The candidate's record: names, birth, stream and exam centre."""
    stream = await session.get_one(Stream, candidate.stream_id)
    centre = await session.get_one(School, candidate.school_id)
    return CandidateRecordOut.of(
        candidate,
        stream_code=stream.code,
        stream_fr=stream.name_fr,
        stream_ar=stream.name_ar,
        centre=CentreRef.model_validate(centre),
    )


async def convocations(
    session: AsyncSession, candidate: IndependentCandidate
) -> list[CandidateConvocationOut]:
    """Where and when the candidate sits each session whose candidates are listed."""
    return await convocation_list(
        session,
        (ExamResult.independent_candidate_id == candidate.id)
        & (ExamResult.school_id == candidate.school_id),
    )


async def results(
    session: AsyncSession, candidate: IndependentCandidate
) -> list[CandidateResultsOut]:
    """The candidate's published results, newest first: nothing before `publish_at`."""
    rows = (
        await session.execute(
            select(ExamSession, ExamResult, Stream)
            .join(ExamResult, ExamResult.session_id == ExamSession.id)
            .outerjoin(Stream, Stream.id == ExamResult.stream_id)
            .where(
                ExamResult.independent_candidate_id == candidate.id,
                ExamResult.school_id == candidate.school_id,
                ExamSession.state == ExamState.PUBLISHED,
                ExamSession.publish_at <= func.now(),
            )
            .order_by(ExamSession.publish_at.desc(), ExamSession.round.desc())  # a resit first
        )
    ).all()
    marks: dict[Any, list[ExamSubjectMarkOut]] = defaultdict(list)
    for line in await session.scalars(
        select(ExamSubjectResult).where(
            ExamSubjectResult.result_id.in_([result.id for _, result, _ in rows]),
            ExamSubjectResult.school_id == candidate.school_id,
        )
    ):
        marks[line.result_id].append(ExamSubjectMarkOut.model_validate(line))
    return [
        CandidateResultsOut.of(
            result,
            session_id=exam.id,
            name_fr=exam.name_fr,
            name_ar=exam.name_ar,
            round=exam.round,
            published_at=exam.publish_at,
            stream=StreamRef.model_validate(stream) if stream else None,
            subjects=marks[result.id],
        )
        for exam, result, stream in rows
    ]
