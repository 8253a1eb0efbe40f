"""Independent candidates (candidats libres), as the academy registers them: a record of their
own (no school, no continuous assessment, no pupil account), numbered in a series of their
own, seated in an exam centre of the academy, and a candidate of each bac session they sit.
Only the academy that registered a candidate sees them (404 for any other)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Stream
from app.core.listing import found
from app.core.security.principal import Principal
from app.errors import ProblemError, invalid
from app.exams.candidates import draw_numbers
from app.exams.independent_schemas import IndependentCandidateIn, IndependentCandidateOut
from app.exams.models import (
    INDEPENDENT_NUMBERS,
    ExamKind,
    ExamResult,
    ExamRound,
    ExamSession,
    ExamState,
    IndependentCandidate,
)
from app.exams.organising import require_state, session_streams
from app.organisation.models import School

# The bac's sessions an academy registers independent candidates on: the ministry's national
# 2BAC exam and its own regional 1BAC exam (they sit both, DOMAIN.md, "Exams").
BAC_LEVEL = "2BAC"
# Ten digits: the year, a 9, then the candidate's rank; the schools' candidates have nine.
NUMBER_SERIES = 9


def registered_by(principal: Principal) -> ColumnElement[bool]:
    """The independent candidates the caller's academy registered."""
    return IndependentCandidate.academy_id == principal.academy_id


def bac_sessions_of(principal: Principal) -> ColumnElement[bool]:
    """The normal bac sessions the caller's academy may register candidates on."""
    return and_(
        ExamSession.round == ExamRound.NORMAL,
        or_(
            and_(ExamSession.kind == ExamKind.NATIONAL, ExamSession.level_code == BAC_LEVEL),
            and_(
                ExamSession.kind == ExamKind.REGIONAL,
                ExamSession.level_code == "1BAC",
                ExamSession.academy_id == principal.academy_id,
            ),
        ),
    )


@dataclass(frozen=True, slots=True)
class Registration:
    candidate: IndependentCandidateOut
    new: bool


async def register(
    session: AsyncSession, principal: Principal, new: IndependentCandidateIn
) -> Registration:
    """Register a candidat libre on the bac sessions they sit; the same registration sent
    again answers the candidate already registered and changes nothing."""
    centre = found(
        await session.scalar(
            select(School).where(
                School.id == new.centre_id, School.academy_id == principal.academy_id
            )
        )
    )
    exams = await _sessions(session, principal, new.session_ids)
    year = exams[0].school_year
    # One registration a year per identity card: the academies' concurrent registrations
    # meet on this lock (the number itself comes from a sequence).
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext('candidats_libres'), :y)"), {"y": year}
    )
    existing = await session.scalar(
        select(IndependentCandidate).where(
            IndependentCandidate.school_year == year,
            IndependentCandidate.national_id == new.national_id,
        )
    )
    if existing is not None:
        return await _replayed(session, principal, existing, new)
    stream = await session.scalar(
        select(Stream.id).where(Stream.id == new.stream_id, Stream.level_code == BAC_LEVEL)
    )
    if stream is None:
        raise invalid("body.stream_id", "not a 2BAC stream")
    candidate = IndependentCandidate(
        school_id=centre.id,
        academy_id=principal.academy_id,
        school_year=year,
        candidate_number=await _next_number(session, year),
        **new.model_dump(exclude={"centre_id", "session_ids"}),
    )
    streams = [await _stream_in(session, exam, new.stream_id) for exam in exams]
    session.add(candidate)
    await session.flush()
    session.add_all(
        ExamResult(
            school_id=centre.id,
            school_year=exam.school_year,
            session_id=exam.id,
            independent_candidate_id=candidate.id,
            candidate_number=candidate.candidate_number,
            centre_id=centre.id,
            stream_id=stream_id,
        )
        for exam, stream_id in zip(exams, streams, strict=True)
    )
    for exam in exams:
        # The session has candidates now: its marking can open.
        exam.state = ExamState.CANDIDATES
    await session.flush()
    return Registration(await candidate_out(session, candidate), new=True)


async def _stream_in(
    session: AsyncSession, exam: ExamSession, stream_id: uuid.UUID
) -> uuid.UUID | None:
    """The candidate's stream in a session: their 2BAC stream, which the national session must
    examine. The 1BAC regional session's streams are the 1BAC filières, which a candidate's
    2BAC option does not name: there they sit the subjects common to every stream."""
    if exam.level_code != BAC_LEVEL:
        return None
    streams = await session_streams(session, exam.id)
    if streams and stream_id not in streams:
        raise invalid("body.stream_id", f"not a stream of the session {exam.id}")
    return stream_id


async def _sessions(
    session: AsyncSession, principal: Principal, ids: Sequence[uuid.UUID]
) -> list[ExamSession]:
    """The named bac sessions, open to candidates and of one year (404 for any other)."""
    if len(set(ids)) != len(ids):
        raise invalid("body.session_ids", "a session appears twice")
    exams = (
        await session.scalars(
            select(ExamSession)
            .where(ExamSession.id.in_(ids), bac_sessions_of(principal))
            .with_for_update()
        )
    ).all()
    if len(exams) != len(ids):
        raise ProblemError(404, "error.not_found", kind="not-found")
    if len({exam.school_year for exam in exams}) > 1:
        raise invalid("body.session_ids", "sessions of different school years")
    if len({exam.kind for exam in exams}) != len(exams):
        raise invalid("body.session_ids", "two sessions of the same exam")
    for exam in exams:
        require_state(exam, ExamState.DRAFT, ExamState.CANDIDATES)
    return list(exams)


async def _next_number(session: AsyncSession, year: int) -> str:
    (rank,) = await draw_numbers(session, INDEPENDENT_NUMBERS, 1)
    return f"{year % 100:02d}{NUMBER_SERIES}{rank:07d}"


async def _replayed(
    session: AsyncSession,
    principal: Principal,
    existing: IndependentCandidate,
    new: IndependentCandidateIn,
) -> Registration:
    """The registration sent again: the same answer; anything else under this identity card
    this year is a conflict."""
    out = await candidate_out(session, existing)
    same = (
        existing.academy_id == principal.academy_id
        and out.model_dump(include=set(IndependentCandidateIn.model_fields) - {"session_ids"})
        == new.model_dump(exclude={"session_ids"})
        and set(out.session_ids) == set(new.session_ids)
    )
    if not same:
        raise ProblemError(409, "exams.candidate_registered", kind="exam-candidate-registered")
    return Registration(out, new=False)


def _with_sessions() -> Select[IndependentCandidate, list[uuid.UUID]]:
    """Candidates with the sessions they sit, in one statement."""
    sessions = func.array_remove(func.array_agg(ExamResult.session_id), None)
    return (
        select(IndependentCandidate, sessions)
        .outerjoin(ExamResult, ExamResult.independent_candidate_id == IndependentCandidate.id)
        .group_by(IndependentCandidate.id)
    )


def _out(candidate: IndependentCandidate, sessions: list[uuid.UUID]) -> IndependentCandidateOut:
    return IndependentCandidateOut.of(
        candidate, centre_id=candidate.school_id, session_ids=sorted(sessions)
    )


async def candidate_out(
    session: AsyncSession, candidate: IndependentCandidate
) -> IndependentCandidateOut:
    row = (
        await session.execute(_with_sessions().where(IndependentCandidate.id == candidate.id))
    ).one()
    return _out(row[0], row[1])


async def registered_candidates(
    session: AsyncSession, principal: Principal, school_year: int | None
) -> list[IndependentCandidateOut]:
    """The academy's independent candidates, by number."""
    statement = _with_sessions().where(registered_by(principal))
    if school_year is not None:
        statement = statement.where(IndependentCandidate.school_year == school_year)
    rows = await session.execute(statement.order_by(IndependentCandidate.candidate_number))
    return [_out(row[0], row[1]) for row in rows]


async def registered_candidate(
    session: AsyncSession, principal: Principal, candidate_id: uuid.UUID
) -> IndependentCandidateOut:
    """One of the academy's independent candidates (404 for another academy's)."""
    row = (
        await session.execute(
            _with_sessions().where(
                IndependentCandidate.id == candidate_id, registered_by(principal)
            )
        )
    ).one_or_none()
    candidate, sessions = found(row)
    return _out(candidate, sessions)
