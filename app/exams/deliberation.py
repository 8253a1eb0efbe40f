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
from typing import Any, cast

from sqlalchemy import ColumnElement, Row, Table, any_, bindparam, func, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from app.academics.reference import ReferenceData, load_reference
from app.assessment import averages
from app.assessment.continuous import year_averages
from app.core.db.arrays import uuid_array
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
from app.exams.organising import organised_session, require_state, session_out
from app.exams.scale import Scale, scale_of
from app.exams.schemas import ExamSessionOut
from app.exams.summaries import refresh_summaries

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
    await refresh_summaries(session, exam)
    return await session_out(session, exam)


# Candidates deliberated together: their marks, continuous assessment and earlier exams read
# in a few statements a batch, in memory a batch at a time however big the session.
BATCH = 2_000


@dataclass(frozen=True, slots=True)
class _Candidate:
    result_id: uuid.UUID
    number: str
    pupil_id: uuid.UUID | None
    independent_id: uuid.UUID | None
    stream_id: uuid.UUID | None

    @property
    def key(self) -> uuid.UUID:
        """Who the result is of: the pupil, or the independent candidate."""
        return self.pupil_id or self.independent_id  # type: ignore[return-value]


async def deliberate_candidates(
    session: AsyncSession, exam: ExamSession, only: uuid.UUID | None = None
) -> None:
    """Compute and store the verdict of the session's candidates (or of the one result):
    every candidate's verdict or none (422 with one entry a faulty candidate)."""
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
    reference = await load_reference(session)
    errors: list[dict[str, Any]] = []
    after = None
    while batch := await _candidates(session, exam, only, after):
        after = batch[-1]
        verdicts = await _batch_verdicts(session, exam, scale, reference, lines, batch)
        errors += [v for v in verdicts.values() if isinstance(v, dict)]
        if not errors:  # once one is faulty nothing is written: no need to write more
            await _store(session, exam, verdicts)
    if errors:
        raise InvalidInput(errors)


async def _candidates(
    session: AsyncSession, exam: ExamSession, only: uuid.UUID | None, after: _Candidate | None
) -> list[_Candidate]:
    """The next batch of the session's candidates, by number, after the last one read."""
    number = func.coalesce(ExamResult.candidate_number, "")
    statement = select(
        ExamResult.id,
        number,
        ExamResult.pupil_id,
        ExamResult.independent_candidate_id,
        ExamResult.stream_id,
    ).where(ExamResult.session_id == exam.id, ExamResult.school_year == exam.school_year)
    if after is not None:
        statement = statement.where(tuple_(number, ExamResult.id) > (after.number, after.result_id))
    if only is not None:
        statement = statement.where(ExamResult.id == only)
    rows = await session.execute(statement.order_by(number, ExamResult.id).limit(BATCH))
    return [_Candidate(*row) for row in rows.all()]


async def _batch_verdicts(
    session: AsyncSession,
    exam: ExamSession,
    scale: Scale,
    reference: ReferenceData,
    lines: Sequence[Row[uuid.UUID | None, uuid.UUID, Decimal]],
    batch: list[_Candidate],
) -> dict[uuid.UUID, Verdict | dict[str, Any]]:
    """Each candidate's verdict, or the error that keeps them from one."""
    marks = await _marks(session, exam, [c.result_id for c in batch])
    if exam.round is ExamRound.RESIT and exam.normal_session_id is not None:
        earlier = await _marks_by_candidate(session, exam.normal_session_id, batch)
        marks = {
            c.result_id: better_of(marks.get(c.result_id, {}), earlier.get(c.key, {}))
            for c in batch
        }
    parts = await _certificate_parts(session, exam, reference, batch)
    verdicts: dict[uuid.UUID, Verdict | dict[str, Any]] = {}
    for candidate in batch:
        where = f"candidates.{candidate.number}"
        coefficients = stream_coefficients(lines, candidate.stream_id)
        mine = marks.get(candidate.result_id, {})
        missing = [str(s) for s in coefficients if s not in mine]
        if missing:
            verdicts[candidate.result_id] = field_error(
                where, f"no mark in subjects {', '.join(missing)}", "missing_mark"
            )
            continue
        verdict: Verdict | dict[str, Any]
        try:
            verdict = _verdict(exam, scale, parts, candidate, mine, coefficients)
        except _MissingComponent as gap:
            verdict = field_error(where, f"no {gap} for the certificate", "missing_component")
        verdicts[candidate.result_id] = verdict
    return verdicts


_STORED = ("exam_average", "continuous_average", "average", "decision", "mention_fr", "mention_ar")


async def _store(
    session: AsyncSession, exam: ExamSession, verdicts: dict[uuid.UUID, Verdict | dict[str, Any]]
) -> None:
    """Write a batch's verdicts: one statement, executed for each row."""
    results = cast(Table, ExamResult.__table__)
    rows = [
        {
            "result_id": result_id,
            "exam_average": v.exam_average,
            "continuous_average": v.continuous_average,
            "average": v.average,
            "decision": v.decision,
            "mention_fr": (v.mention or {}).get("fr"),
            "mention_ar": (v.mention or {}).get("ar"),
        }
        for result_id, v in verdicts.items()
        if isinstance(v, Verdict)
    ]
    if rows:
        await session.execute(
            update(results)
            .where(
                results.c.id == bindparam("result_id"),
                results.c.school_year == exam.school_year,
            )
            .values({c: bindparam(c) for c in _STORED}),
            rows,
        )
    # The results this session holds as objects show the new verdicts.
    for row in rows:
        held = session.identity_map.get(identity_key(ExamResult, row["result_id"]))
        for column in _STORED if held is not None else ():
            set_committed_value(held, column, row[column])


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
        ).where(
            ExamSubjectResult.result_id == any_(uuid_array("results", result_ids)),
            ExamSubjectResult.school_year == exam.school_year,
        )
    )
    by_result: dict[uuid.UUID, Marks] = defaultdict(dict)
    for result_id, subject_id, mark in rows:
        by_result[result_id][subject_id] = mark
    return by_result


def _whose(batch: list[_Candidate]) -> ColumnElement[bool]:
    """The results of the batch's candidates, in any session."""
    return or_(
        ExamResult.pupil_id
        == any_(uuid_array("pupils", [c.pupil_id for c in batch if c.pupil_id])),
        ExamResult.independent_candidate_id
        == any_(uuid_array("independents", [c.independent_id for c in batch if c.independent_id])),
    )


async def _marks_by_candidate(
    session: AsyncSession, session_id: uuid.UUID, batch: list[_Candidate]
) -> dict[uuid.UUID, Marks]:
    rows = await session.execute(
        select(
            candidate_key(ExamResult.pupil_id, ExamResult.independent_candidate_id),
            ExamSubjectResult.subject_id,
            ExamSubjectResult.mark,
        )
        .join(
            ExamSubjectResult,
            (ExamSubjectResult.result_id == ExamResult.id)
            & (ExamSubjectResult.school_year == ExamResult.school_year),
        )
        .where(ExamResult.session_id == session_id, _whose(batch))
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


@dataclass(frozen=True, slots=True)
class _Parts:
    """What a batch's certificate needs besides the session's own marks: each pupil's
    continuous assessment and each candidate's exam average in the earlier session it counts."""

    continuous: dict[uuid.UUID, Decimal | None]
    earlier: dict[uuid.UUID, Decimal]


def _verdict(
    exam: ExamSession,
    scale: Scale,
    parts: _Parts,
    candidate: _Candidate,
    marks: Marks,
    coefficients: dict[uuid.UUID, Decimal],
) -> Verdict:
    own = exam_average(marks, coefficients)
    if (exam.kind, exam.level_code) not in CERTIFICATES:
        return Verdict(own, None, own, None, None)
    if own is None:  # absent from every subject
        return Verdict(None, None, None, ExamDecision.NOT_ADMITTED, None)
    earlier = parts.earlier.get(candidate.key)
    if earlier is None:
        raise _MissingComponent(_component_name(exam, candidate))
    continuous: Decimal | None = None
    if candidate.pupil_id is None:
        # Candidats libres: no continuous assessment, only the exams, weighed by the ministry's
        # rule for them (`averages.independent_baccalaureate`).
        general = averages.independent_baccalaureate(earlier, own)
    else:
        continuous = parts.continuous.get(candidate.pupil_id)
        if continuous is None:
            raise _MissingComponent("continuous-assessment average")
        general = _general_average(exam, own, earlier, continuous)
    decision = decision_of(general, scale, exam)
    mention = mention_of(general, exam.mentions) if decision is ExamDecision.ADMITTED else None
    return Verdict(own, continuous, general, decision, mention)


def _general_average(
    exam: ExamSession, own: Decimal, earlier: Decimal, continuous: Decimal
) -> Decimal:
    if exam.kind is ExamKind.NATIONAL:
        return averages.baccalaureate(continuous, earlier, own)
    if exam.kind is ExamKind.PROVINCIAL:
        return averages.primary_certificate(continuous, earlier, own)
    return averages.college_certificate(own, earlier, continuous)


def _earlier_session(exam: ExamSession, independent: bool) -> tuple[ExamKind, str, tuple[int, ...]]:
    """The earlier exam a certificate counts, and the years it may have been sat in: the
    1BAC regional exam for the bac (an independent candidate sits it the same year as the
    national one, or kept it from an earlier try), the school's local exam of the level for
    the others."""
    if exam.kind is ExamKind.NATIONAL:
        years = (exam.school_year, exam.school_year - 1) if independent else (exam.school_year - 1,)
        return ExamKind.REGIONAL, "1BAC", years
    return ExamKind.LOCAL, exam.level_code, (exam.school_year,)


def _component_name(exam: ExamSession, candidate: _Candidate) -> str:
    kind, level_code, years = _earlier_session(exam, candidate.pupil_id is None)
    return f"{kind.value} exam of {level_code} in {max(years)}"


async def _certificate_parts(
    session: AsyncSession, exam: ExamSession, reference: ReferenceData, batch: list[_Candidate]
) -> _Parts:
    if (exam.kind, exam.level_code) not in CERTIFICATES:
        return _Parts({}, {})
    pupils = [c.pupil_id for c in batch if c.pupil_id is not None]
    continuous = await year_averages(session, pupils, exam.school_year, reference)
    earlier: dict[uuid.UUID, Decimal] = {}
    for independent in (False, True):
        of_kind = [c for c in batch if (c.pupil_id is None) is independent]
        if of_kind:
            earlier |= await _earlier_averages(session, exam, of_kind, independent)
    return _Parts(continuous, earlier)


async def _earlier_averages(
    session: AsyncSession, exam: ExamSession, batch: list[_Candidate], independent: bool
) -> dict[uuid.UUID, Decimal]:
    """Each candidate's exam average in the earlier deliberated session their certificate
    counts (the latest of its years)."""
    kind, level_code, years = _earlier_session(exam, independent)
    key = candidate_key(ExamResult.pupil_id, ExamResult.independent_candidate_id)
    rows = await session.execute(
        select(key, func.coalesce(ExamResult.exam_average, ExamResult.average))
        .join(ExamSession, ExamSession.id == ExamResult.session_id)
        .where(
            _whose(batch),
            ExamSession.kind == kind,
            ExamSession.level_code == level_code,
            ExamSession.school_year.in_(years),
            ExamSession.round == ExamRound.NORMAL,
            ExamSession.state.in_([ExamState.DELIBERATED, ExamState.PUBLISHED]),
        )
        .order_by(key, ExamSession.school_year.desc(), ExamSession.created_at.desc())
        .ext(distinct_on(key))
    )
    return {who: value for who, value in rows.all() if value is not None}
