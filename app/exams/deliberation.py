"""The deliberation: each candidate's exam average (the subject marks weighted by their
coefficients), the certificate's general average (the rules of `app.assessment.averages`),
the decision against the pass line and the session's resit threshold, and the mention from the
session's table. A resit keeps, per subject, the better mark of the two sessions.

All on the level's scale. Every candidate must have a mark or an absence in every subject, and
every component of their certificate, or nothing is written (422 with one entry a candidate).
The same data deliberated again gives the same answer."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.reference import ReferenceData, load_reference
from app.assessment import averages
from app.assessment.report_card import marks_report
from app.core.security.principal import Principal
from app.errors import InvalidInput, field_error
from app.exams.candidates import candidate_key
from app.exams.models import (
    ExamDecision,
    ExamKind,
    ExamResult,
    ExamRound,
    ExamSession,
    ExamSessionSubject,
    ExamState,
    ExamSubjectResult,
)
from app.exams.organising import Scale, organised_session, require_state, scale_of, session_out
from app.exams.schemas import ExamSessionOut

# The sessions that award a certificate, and so a decision and a mention; the others (the
# school's own exams, the 1BAC regional exam) give the exam average, a component of one.
CERTIFICATES = {
    (ExamKind.PROVINCIAL, "6AP"),
    (ExamKind.REGIONAL, "3AC"),
    (ExamKind.NATIONAL, "2BAC"),
}
# A mark the candidate did not sit: absent, it counts 0 in the exam average.
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Verdict:
    exam_average: Decimal | None
    continuous_average: Decimal | None
    average: Decimal | None
    decision: ExamDecision | None
    mention: dict[str, str] | None


async def deliberate(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID
) -> ExamSessionOut:
    """Deliberate the whole session (again, after a correction: same data, same answer)."""
    exam = await organised_session(session, principal, session_id, lock=True)
    require_state(exam, ExamState.MARKING, ExamState.DELIBERATED)
    await deliberate_candidates(session, exam)
    exam.state = ExamState.DELIBERATED
    await session.flush()
    return await session_out(session, exam)


async def deliberate_candidates(
    session: AsyncSession, exam: ExamSession, only: uuid.UUID | None = None
) -> None:
    """Compute and store the verdict of the session's candidates (or of the one result)."""
    scale = await scale_of(session, exam.level_code)
    lines = (
        await session.execute(
            select(
                ExamSessionSubject.stream_id,
                ExamSessionSubject.subject_id,
                ExamSessionSubject.coefficient,
            ).where(ExamSessionSubject.session_id == exam.id)
        )
    ).all()
    statement = select(ExamResult).where(ExamResult.session_id == exam.id)
    if only is not None:
        statement = statement.where(ExamResult.id == only)
    results = (await session.scalars(statement.order_by(ExamResult.candidate_number))).all()
    marks = await _marks(session, exam, [r.id for r in results])
    if exam.round is ExamRound.RESIT and exam.normal_session_id is not None:
        earlier = await _marks_by_candidate(session, exam.normal_session_id)
        marks = {
            r.id: better_of(marks.get(r.id, {}), earlier.get(_candidate(r), {})) for r in results
        }
    reference = await load_reference(session)
    verdicts: dict[uuid.UUID, Verdict] = {}
    errors: list[dict[str, Any]] = []
    for result in results:
        where = f"candidates.{result.candidate_number}"
        coefficients = stream_coefficients(lines, result.stream_id)
        mine = marks.get(result.id, {})
        missing = [str(s) for s in coefficients if s not in mine]
        if missing:
            errors.append(
                field_error(where, f"no mark in subjects {', '.join(missing)}", "missing_mark")
            )
            continue
        try:
            verdicts[result.id] = await _verdict(
                session, exam, scale, reference, result, mine, coefficients
            )
        except _MissingComponent as gap:
            errors.append(field_error(where, f"no {gap} for the certificate", "missing_component"))
    if errors:
        raise InvalidInput(errors)
    for result_id, verdict in verdicts.items():
        mention = verdict.mention or {}
        await session.execute(
            update(ExamResult)
            .where(ExamResult.id == result_id)
            .values(
                exam_average=verdict.exam_average,
                continuous_average=verdict.continuous_average,
                average=verdict.average,
                decision=verdict.decision,
                mention_fr=mention.get("fr"),
                mention_ar=mention.get("ar"),
            )
        )


def stream_coefficients(
    lines: Sequence[Row[uuid.UUID | None, uuid.UUID, Decimal]],
    stream_id: uuid.UUID | None,
) -> dict[uuid.UUID, Decimal]:
    """The subjects a candidate of this stream sits, with their coefficients: those of every
    stream and their stream's own (`(stream, subject, coefficient)` lines)."""
    return {
        subject_id: coefficient
        for line_stream, subject_id, coefficient in lines
        if line_stream is None or line_stream == stream_id
    }


# A subject's mark, or None for an absence.
Marks = dict[uuid.UUID, Decimal | None]


async def _marks(
    session: AsyncSession, exam: ExamSession, result_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Marks]:
    rows = await session.execute(
        select(
            ExamSubjectResult.result_id, ExamSubjectResult.subject_id, ExamSubjectResult.mark
        ).where(ExamSubjectResult.result_id.in_(result_ids))
    )
    by_result: dict[uuid.UUID, Marks] = defaultdict(dict)
    for result_id, subject_id, mark in rows:
        by_result[result_id][subject_id] = mark
    return by_result


def _candidate(result: ExamResult) -> uuid.UUID:
    """Who the result is of: the pupil, or the independent candidate."""
    return result.pupil_id or result.independent_candidate_id  # type: ignore[return-value]


async def _marks_by_candidate(
    session: AsyncSession, session_id: uuid.UUID
) -> dict[uuid.UUID, Marks]:
    rows = await session.execute(
        select(
            candidate_key(ExamResult.pupil_id, ExamResult.independent_candidate_id),
            ExamSubjectResult.subject_id,
            ExamSubjectResult.mark,
        )
        .join(ExamSubjectResult, ExamSubjectResult.result_id == ExamResult.id)
        .where(ExamResult.session_id == session_id)
    )
    by_candidate: dict[uuid.UUID, Marks] = defaultdict(dict)
    for candidate_id, subject_id, mark in rows:
        by_candidate[candidate_id][subject_id] = mark
    return by_candidate


def better_of(resit: Marks, normal: Marks) -> Marks:
    """Per subject the better of the two sessions' marks (since 2012, DOMAIN.md); a subject
    marked in neither stays missing."""
    better: Marks = {}
    for subject_id in resit.keys() | normal.keys():
        marks = [m for m in (resit.get(subject_id), normal.get(subject_id)) if m is not None]
        if subject_id in resit or marks:
            better[subject_id] = max(marks) if marks else None
    return better


def exam_average(marks: Marks, coefficients: dict[uuid.UUID, Decimal]) -> Decimal | None:
    """The subject marks weighted by their coefficients (an absence counts 0); None when the
    candidate was absent from every subject."""
    if all(marks.get(s) is None for s in coefficients):
        return None
    weighted = [
        averages.WeightedSubject(str(s), marks.get(s) or ZERO, c) for s, c in coefficients.items()
    ]
    return averages.semester_average(weighted).value


def decision_of(average: Decimal | None, scale: Scale, exam: ExamSession) -> ExamDecision:
    """Admitted from the pass line; below it, the resit from the session's threshold (a normal
    session that has one); refused otherwise, and when absent."""
    if average is not None and average >= scale.pass_mark:
        return ExamDecision.ADMITTED
    threshold = exam.resit_threshold
    resit_open = exam.round is ExamRound.NORMAL and threshold is not None
    if average is not None and resit_open and average >= threshold:  # type: ignore[operator]
        return ExamDecision.RESIT
    return ExamDecision.NOT_ADMITTED


def mention_of(average: Decimal, mentions: list[dict[str, str]]) -> dict[str, str] | None:
    """The highest mention whose threshold the average reaches."""
    reached = [m for m in mentions if average >= Decimal(m["threshold"])]
    return max(reached, key=lambda m: Decimal(m["threshold"])) if reached else None


class _MissingComponent(Exception):
    pass


async def _verdict(
    session: AsyncSession,
    exam: ExamSession,
    scale: Scale,
    reference: ReferenceData,
    result: ExamResult,
    marks: Marks,
    coefficients: dict[uuid.UUID, Decimal],
) -> Verdict:
    own = exam_average(marks, coefficients)
    if (exam.kind, exam.level_code) not in CERTIFICATES:
        return Verdict(own, None, own, None, None)
    if own is None:  # absent from every subject
        return Verdict(None, None, None, ExamDecision.NOT_ADMITTED, None)
    continuous: Decimal | None = None
    if result.pupil_id is None:
        general = await _independent_average(session, exam, result, own)
    else:
        continuous = await continuous_average(session, reference, result.pupil_id, exam.school_year)
        if continuous is None:
            raise _MissingComponent("continuous-assessment average")
        general = await _general_average(session, exam, result, own, continuous)
    decision = decision_of(general, scale, exam)
    mention = mention_of(general, exam.mentions) if decision is ExamDecision.ADMITTED else None
    return Verdict(own, continuous, general, decision, mention)


async def _independent_average(
    session: AsyncSession, exam: ExamSession, result: ExamResult, own: Decimal
) -> Decimal:
    """An independent candidate's bac: no continuous assessment, so only the exams, weighed
    by the ministry's rule for candidats libres (`averages.independent_baccalaureate`). They
    sit the regional exam the same year as the national one, or kept it from an earlier try."""
    years = (exam.school_year, exam.school_year - 1)
    regional = await _component(session, result, ExamKind.REGIONAL, "1BAC", years)
    return averages.independent_baccalaureate(regional, own)


async def _general_average(
    session: AsyncSession,
    exam: ExamSession,
    result: ExamResult,
    own: Decimal,
    continuous: Decimal,
) -> Decimal:
    if exam.kind is ExamKind.NATIONAL:
        regional = await _component(
            session, result, ExamKind.REGIONAL, "1BAC", (exam.school_year - 1,)
        )
        return averages.baccalaureate(continuous, regional, own)
    local = await _component(session, result, ExamKind.LOCAL, exam.level_code, (exam.school_year,))
    if exam.kind is ExamKind.PROVINCIAL:
        return averages.primary_certificate(continuous, local, own)
    return averages.college_certificate(own, local, continuous)


async def continuous_average(
    session: AsyncSession, reference: ReferenceData, pupil_id: uuid.UUID, year: int
) -> Decimal | None:
    """The year's continuous assessment: the published semester averages, by the averages
    service the report card uses."""
    first = (await marks_report(session, pupil_id, year, 1, reference)).semester_average
    second = (await marks_report(session, pupil_id, year, 2, reference)).semester_average
    return averages.annual_average(first, second)


async def _component(
    session: AsyncSession,
    result: ExamResult,
    kind: ExamKind,
    level_code: str,
    years: tuple[int, ...],
) -> Decimal:
    """The candidate's exam average in an earlier deliberated session of the certificate (the
    latest of these years)."""
    whose = (
        ExamResult.pupil_id == result.pupil_id
        if result.pupil_id is not None
        else ExamResult.independent_candidate_id == result.independent_candidate_id
    )
    value = await session.scalar(
        select(func.coalesce(ExamResult.exam_average, ExamResult.average))
        .join(ExamSession, ExamSession.id == ExamResult.session_id)
        .where(
            whose,
            ExamSession.kind == kind,
            ExamSession.level_code == level_code,
            ExamSession.school_year.in_(years),
            ExamSession.round == ExamRound.NORMAL,
            ExamSession.state.in_([ExamState.DELIBERATED, ExamState.PUBLISHED]),
        )
        .order_by(ExamSession.school_year.desc(), ExamSession.created_at.desc())
        .limit(1)
    )
    if value is None:
        raise _MissingComponent(f"{kind.value} exam of {level_code} in {max(years)}")
    return value
