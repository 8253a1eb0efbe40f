"""A session's candidates: listed from the current enrolments of its level in the organiser's
unit (a resit's from those its normal session sent to it), numbered, seated in a centre; the
independent candidates the academies registered beside them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence as Rows
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Sequence, Uuid, exists, func, null, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Enrolment, Pupil, SchoolClass
from app.core.security.principal import Principal
from app.errors import InvalidInput, field_error
from app.exams.models import (
    CANDIDATE_NUMBERS,
    ExamDecision,
    ExamResult,
    ExamRound,
    ExamSession,
    ExamSessionStream,
    ExamState,
    IndependentCandidate,
)
from app.exams.organising import (
    candidates_unit,
    organised_session,
    readable_session,
    require_state,
)
from app.exams.schemas import ExamCandidateOut, ExamCentreIn
from app.organisation.models import School


def candidate_key(pupil_id: Any, independent_id: Any) -> ColumnElement[uuid.UUID]:
    """Who a result is of, a pupil or an independent candidate, as one value."""
    return func.coalesce(pupil_id, independent_id)


# (pupil, independent candidate, school, stream)
Eligible = Select[uuid.UUID | None, uuid.UUID | None, uuid.UUID, uuid.UUID | None]


def _in_session_streams(exam: ExamSession) -> ColumnElement[bool]:
    """A class of one of the session's streams, or any class when it names none."""
    streams = select(ExamSessionStream.stream_id).where(ExamSessionStream.session_id == exam.id)
    return ~exists(streams) | SchoolClass.stream_id.in_(streams)


def _eligible(exam: ExamSession) -> Eligible:
    """(pupil, independent candidate, school, stream) of those who sit the session: the
    level's enrolments in the session's streams, or for a resit those its normal session sent
    to it. Independent candidates join a normal session when the academy registers them."""
    if exam.round is ExamRound.RESIT:
        return select(
            ExamResult.pupil_id,
            ExamResult.independent_candidate_id,
            ExamResult.school_id,
            ExamResult.stream_id,
        ).where(
            ExamResult.session_id == exam.normal_session_id,
            ExamResult.decision == ExamDecision.RESIT,
        )
    enrolled = (
        select(
            Enrolment.pupil_id,
            null().cast(Uuid).label("independent_candidate_id"),
            Enrolment.school_id,
            SchoolClass.stream_id,
        )
        .join(SchoolClass, SchoolClass.id == Enrolment.class_id)
        .join(School, School.id == Enrolment.school_id)
        .where(
            Enrolment.school_year == exam.school_year,
            Enrolment.left_on.is_(None),
            SchoolClass.level_code == exam.level_code,
            _in_session_streams(exam),
            candidates_unit(exam),
        )
    )
    return cast(Eligible, enrolled)


async def generate_candidates(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID
) -> list[ExamCandidateOut]:
    """Add those who sit the session and are not candidates yet, numbered from the sequence
    (`models.CANDIDATE_NUMBERS`) and seated in their own school (an independent candidate
    keeps their number and centre); again later adds only the newcomers."""
    exam = await organised_session(session, principal, session_id, lock=True)
    require_state(exam, ExamState.DRAFT, ExamState.CANDIDATES)
    eligible = _eligible(exam).subquery()
    taken = select(candidate_key(ExamResult.pupil_id, ExamResult.independent_candidate_id)).where(
        ExamResult.session_id == exam.id
    )
    newcomers = (
        await session.execute(
            select(
                eligible.c.pupil_id,
                eligible.c.independent_candidate_id,
                eligible.c.school_id,
                IndependentCandidate.candidate_number,
                eligible.c.stream_id,
            )
            .outerjoin(Pupil, Pupil.id == eligible.c.pupil_id)
            .outerjoin(
                IndependentCandidate,
                IndependentCandidate.id == eligible.c.independent_candidate_id,
            )
            .join(School, School.id == eligible.c.school_id)
            .where(
                candidate_key(eligible.c.pupil_id, eligible.c.independent_candidate_id).not_in(
                    taken
                )
            )
            .order_by(School.code, Pupil.massar_code, IndependentCandidate.candidate_number)
        )
    ).all()
    unnumbered = sum(1 for row in newcomers if row.candidate_number is None)
    numbers = iter(await draw_numbers(session, CANDIDATE_NUMBERS, unnumbered))
    rows = [
        {
            "id": uuid.uuid4(),
            "school_id": school_id,
            "school_year": exam.school_year,
            "session_id": exam.id,
            "pupil_id": pupil_id,
            "independent_candidate_id": independent_id,
            "candidate_number": own_number or f"{exam.school_year % 100:02d}{next(numbers):07d}",
            "centre_id": school_id,
            "stream_id": stream_id,
        }
        for pupil_id, independent_id, school_id, own_number, stream_id in newcomers
    ]
    if rows:  # sent in batches of the driver's size, however many
        await session.execute(insert(ExamResult).on_conflict_do_nothing(), rows)
    exam.state = ExamState.CANDIDATES
    await session.flush()
    return await list_candidates(session, exam)


async def draw_numbers(session: AsyncSession, sequence: Sequence, count: int) -> list[int]:
    """`count` ranks from the sequence, in order: never drawn by another transaction, even one
    running at the same time (a rank is not given back by a rollback)."""
    if count == 0:
        return []
    drawn = await session.scalars(
        select(sequence.next_value()).select_from(func.generate_series(1, count))
    )
    return sorted(drawn.all())


async def list_candidates(
    session: AsyncSession, exam: ExamSession, centre_id: uuid.UUID | None = None
) -> list[ExamCandidateOut]:
    """The session's candidates by number (those of one centre if given): pupils and
    independent candidates."""
    statement = (
        select(ExamResult, Pupil, IndependentCandidate)
        .outerjoin(Pupil, Pupil.id == ExamResult.pupil_id)
        .outerjoin(
            IndependentCandidate, IndependentCandidate.id == ExamResult.independent_candidate_id
        )
        .where(ExamResult.session_id == exam.id)
        .order_by(ExamResult.candidate_number)
    )
    if centre_id is not None:
        statement = statement.where(ExamResult.centre_id == centre_id)
    return [
        ExamCandidateOut.of(
            pupil or independent,
            candidate_number=result.candidate_number,
            pupil_id=result.pupil_id,
            independent_candidate_id=result.independent_candidate_id,
            massar_code=pupil.massar_code if pupil else None,
            school_id=result.school_id,
            centre_id=result.centre_id,
            room=result.room,
            stream_id=result.stream_id,
        )
        for result, pupil, independent in await session.execute(statement)
    ]


async def candidates_of(
    session: AsyncSession,
    principal: Principal,
    session_id: uuid.UUID,
    centre_id: uuid.UUID | None,
) -> list[ExamCandidateOut]:
    exam = await readable_session(session, principal, session_id)
    return await list_candidates(session, exam, centre_id)


async def seat_candidates(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID, rows: Rows[ExamCentreIn]
) -> list[ExamCandidateOut]:
    """Assign centres and rooms: every row valid (a candidate of the session, a centre in the
    session's unit) or nothing written."""
    exam = await organised_session(session, principal, session_id, lock=True)
    require_state(exam, ExamState.CANDIDATES, ExamState.MARKING)
    numbers = dict(
        (
            await session.execute(
                select(ExamResult.candidate_number, ExamResult.id).where(
                    ExamResult.session_id == exam.id
                )
            )
        ).all()
    )
    centres = set(
        (
            await session.scalars(
                select(School.id).where(
                    School.id.in_([r.centre_id for r in rows]), candidates_unit(exam)
                )
            )
        ).all()
    )
    errors = []
    for index, row in enumerate(rows):
        if row.candidate_number not in numbers:
            errors.append(field_error(f"body.{index}.candidate_number", "not a candidate"))
        if row.centre_id not in centres:
            errors.append(field_error(f"body.{index}.centre_id", "not a school of the session"))
    if errors:
        raise InvalidInput(errors)
    for row in rows:
        await session.execute(
            update(ExamResult)
            .where(ExamResult.id == numbers[row.candidate_number])
            .values(centre_id=row.centre_id, room=row.room)
        )
    return await list_candidates(session, exam)
