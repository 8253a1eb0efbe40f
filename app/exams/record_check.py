"""Tadkik: before the exams each candidate checks their record (names in Arabic and French,
birth date and place, stream) and may ask for a correction; the organiser settles it: the
pupil's school for its pupils (the exams duty), the academy for the independent candidates
it registered. An accepted correction changes the record itself (the pupil's, or the
independent candidate's); the requests and the records are in the audit trail."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Enrolment, Pupil, SchoolClass, Stream
from app.core.listing import found
from app.core.roles import Role
from app.core.security.principal import Principal
from app.errors import ProblemError
from app.exams.independent_schemas import (
    CorrectionDecisionIn,
    PupilCandidateRecordOut,
    RecordCorrectionIn,
    RecordCorrectionOut,
)
from app.exams.models import CandidateRecordCorrection, CorrectionStatus, IndependentCandidate

__all__ = ["CorrectionStatus", "ask", "pupil_asks", "pupil_record", "settle", "to_settle"]

FIELDS = tuple(RecordCorrectionIn.model_fields)


def _out(correction: CandidateRecordCorrection) -> RecordCorrectionOut:
    return RecordCorrectionOut.of(correction, filed_at=correction.created_at)


def _values(record: Pupil | IndependentCandidate) -> dict[str, str]:
    return {name: str(getattr(record, name) or "") for name in FIELDS}


async def ask(
    session: AsyncSession, record: Pupil | IndependentCandidate, wanted: RecordCorrectionIn
) -> RecordCorrectionOut:
    """File a correction of the record; one waits at a time (409 while one does)."""
    is_pupil = isinstance(record, Pupil)
    owner = (
        CandidateRecordCorrection.pupil_id
        if is_pupil
        else CandidateRecordCorrection.independent_candidate_id
    )
    waiting = await session.scalar(
        select(CandidateRecordCorrection.id)
        .where(owner == record.id, CandidateRecordCorrection.status == CorrectionStatus.FILED)
        .with_for_update()
    )
    if waiting is not None:
        raise ProblemError(409, "exams.correction_waiting", kind="record-correction-waiting")
    correction = CandidateRecordCorrection(
        school_id=record.school_id,
        pupil_id=record.id if is_pupil else None,
        independent_candidate_id=None if is_pupil else record.id,
        changes={k: str(v) for k, v in wanted.model_dump(exclude_none=True).items()},
        current=_values(record),
        status=CorrectionStatus.FILED,
    )
    session.add(correction)
    await session.flush()
    await session.refresh(correction, ["created_at"])
    return _out(correction)


async def pupil_record(session: AsyncSession, pupil_id: uuid.UUID) -> PupilCandidateRecordOut:
    """The pupil's candidate record: their civil record, the stream of their current class,
    and their correction requests."""
    pupil = await session.get_one(Pupil, pupil_id)
    stream = await session.scalar(
        select(Stream.code)
        .join(SchoolClass, SchoolClass.stream_id == Stream.id)
        .join(Enrolment, Enrolment.class_id == SchoolClass.id)
        .where(Enrolment.pupil_id == pupil_id, Enrolment.left_on.is_(None))
        .order_by(Enrolment.school_year.desc())
        .limit(1)
    )
    corrections = await session.scalars(
        select(CandidateRecordCorrection)
        .where(CandidateRecordCorrection.pupil_id == pupil_id)
        .order_by(CandidateRecordCorrection.created_at.desc())
    )
    return PupilCandidateRecordOut.of(
        pupil, stream_code=stream, corrections=[_out(c) for c in corrections.all()]
    )


async def pupil_asks(
    session: AsyncSession, pupil_id: uuid.UUID, wanted: RecordCorrectionIn
) -> RecordCorrectionOut:
    pupil = await session.get_one(Pupil, pupil_id, with_for_update=True)
    return await ask(session, pupil, wanted)


def settled_by(principal: Principal) -> ColumnElement[bool]:
    """The requests the caller settles: their school's pupils', or their academy's
    independent candidates'."""
    if principal.role is Role.SCHOOL_STAFF:
        return (CandidateRecordCorrection.school_id == principal.school_id) & (
            CandidateRecordCorrection.pupil_id.is_not(None)
        )
    return CandidateRecordCorrection.independent_candidate_id.in_(
        select(IndependentCandidate.id).where(
            IndependentCandidate.academy_id == principal.academy_id
        )
    )


async def to_settle(
    session: AsyncSession, principal: Principal, status: CorrectionStatus | None
) -> list[RecordCorrectionOut]:
    """The caller's requests, oldest first (those of one status if given)."""
    statement = select(CandidateRecordCorrection).where(settled_by(principal))
    if status is not None:
        statement = statement.where(CandidateRecordCorrection.status == status)
    rows = await session.scalars(statement.order_by(CandidateRecordCorrection.created_at))
    return [_out(c) for c in rows.all()]


async def settle(
    session: AsyncSession,
    principal: Principal,
    correction_id: uuid.UUID,
    decision: CorrectionDecisionIn,
) -> RecordCorrectionOut:
    """Accept (the record takes the asked values) or refuse with a reason; once."""
    correction = found(
        await session.scalar(
            select(CandidateRecordCorrection)
            .where(CandidateRecordCorrection.id == correction_id, settled_by(principal))
            .with_for_update()
        )
    )
    if correction.status is not CorrectionStatus.FILED:
        raise ProblemError(409, "exams.correction_settled", kind="record-correction-settled")
    if decision.decision == "accept":
        record = await _record_of(session, correction)
        applied = RecordCorrectionIn.model_validate(correction.changes)
        for name, value in applied.model_dump(exclude_none=True).items():
            setattr(record, name, value)
        correction.status = CorrectionStatus.ACCEPTED
    else:
        correction.status, correction.reason = CorrectionStatus.REFUSED, decision.reason
    correction.decided_by, correction.decided_at = principal.user_id, datetime.now(UTC)
    await session.flush()
    return _out(correction)


async def _record_of(
    session: AsyncSession, correction: CandidateRecordCorrection
) -> Pupil | IndependentCandidate:
    if correction.pupil_id is not None:
        return await session.get_one(Pupil, correction.pupil_id, with_for_update=True)
    assert correction.independent_candidate_id is not None  # one of the two, by its check
    return await session.get_one(
        IndependentCandidate, correction.independent_candidate_id, with_for_update=True
    )
