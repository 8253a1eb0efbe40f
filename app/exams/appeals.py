"""Appeals on a published result: a pupil or a parent asks for one subject mark to be marked
again (once per subject), within `APPEAL_DAYS` of the publication; the organiser accepts with
the new mark (the mark is corrected, the candidate deliberated again by the one rule of
`deliberation`, the published snapshot rebuilt) or rejects with a reason, and the family is
told either way."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.listing import found
from app.core.security.principal import Principal
from app.errors import ProblemError, invalid
from app.exams import snapshots
from app.exams.candidates import candidate_key
from app.exams.deliberation import deliberate_candidates
from app.exams.models import (
    AppealStatus,
    ExamAppeal,
    ExamDecision,
    ExamResult,
    ExamRound,
    ExamSession,
    ExamState,
    ExamSubjectResult,
)
from app.exams.organising import organised_session, readable_session
from app.exams.scale import scale_of
from app.exams.schemas import ExamAppealDecisionIn, ExamAppealFigures, ExamAppealOut
from app.exams.summaries import refresh_summaries
from app.family.audience import family_accounts
from app.messaging.models import NotificationCategory
from app.messaging.notifications import NotificationTexts, notify

# How long after the publication an appeal may be filed. The ministry's notes set the window
# per session (a few days); this is the project's default until sessions carry their own.
APPEAL_DAYS = 10


async def file_appeal(
    session: AsyncSession,
    principal: Principal,
    pupil_id: uuid.UUID,
    session_id: uuid.UUID,
    subject_id: uuid.UUID,
) -> ExamAppealOut:
    """Appeal the pupil's mark in one subject of a published session (404 unless the result
    is the pupil's and out; 409 outside the window or twice)."""
    row = await session.execute(
        select(ExamResult, ExamSession)
        .join(ExamSession, ExamSession.id == ExamResult.session_id)
        .where(
            ExamResult.pupil_id == pupil_id,
            ExamResult.session_id == session_id,
            ExamSession.state == ExamState.PUBLISHED,
            ExamSession.publish_at <= func.now(),
        )
        .with_for_update(of=ExamResult)
    )
    result, exam = found(row.one_or_none())
    assert exam.publish_at is not None  # published
    closes = exam.publish_at + timedelta(days=APPEAL_DAYS)
    if datetime.now(UTC) > closes:
        raise ProblemError(
            409,
            "exams.appeals_closed",
            kind="exam-appeal-closed",
            extensions={"closed_at": closes.isoformat()},
        )
    line = await session.scalar(
        select(ExamSubjectResult).where(
            ExamSubjectResult.result_id == result.id, ExamSubjectResult.subject_id == subject_id
        )
    )
    if line is None:
        raise invalid("body.subject_id", "not a subject of this result")
    taken = await session.scalar(
        select(ExamAppeal.id).where(
            ExamAppeal.result_id == result.id, ExamAppeal.subject_id == subject_id
        )
    )
    if taken is not None:
        raise ProblemError(409, "exams.appeal_exists", kind="exam-appeal-exists")
    appeal = ExamAppeal(
        school_id=result.school_id,
        result_id=result.id,
        school_year=result.school_year,
        subject_id=subject_id,
        filed_by=principal.user_id,
        status=AppealStatus.FILED,
        old_mark=line.mark,
    )
    session.add(appeal)
    await session.flush()
    return await _one(session, appeal.id)


async def session_appeals(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID
) -> list[ExamAppealOut]:
    """The appeals of one of the organiser's sessions, by candidate."""
    exam = await organised_session(session, principal, session_id)
    rows = await session.execute(
        _appeals()
        .where(ExamResult.session_id == exam.id)
        .order_by(ExamResult.candidate_number, ExamAppeal.created_at)
    )
    return [_out(r) for r in rows]


async def decide(
    session: AsyncSession,
    principal: Principal,
    session_id: uuid.UUID,
    appeal_id: uuid.UUID,
    decision: ExamAppealDecisionIn,
) -> ExamAppealOut:
    """Accept with the new mark (the correction, then the candidate's deliberation and
    snapshot again) or reject with a reason; the pupil and their parents are notified."""
    exam = await organised_session(session, principal, session_id, lock=True)
    appeal, result = found(
        (
            await session.execute(
                select(ExamAppeal, ExamResult)
                .join(ExamResult, ExamResult.id == ExamAppeal.result_id)
                .where(ExamAppeal.id == appeal_id, ExamResult.session_id == exam.id)
                .with_for_update(of=ExamAppeal)
            )
        ).one_or_none()
    )
    if appeal.status is not AppealStatus.FILED:
        raise ProblemError(
            409,
            "exams.appeal_decided",
            kind="exam-appeal-decided",
            extensions={"status": appeal.status.value},
        )
    appeal.decided_by = principal.user_id
    appeal.decided_at = datetime.now(UTC)
    if decision.decision == "accept":
        assert decision.mark is not None  # the schema's rule
        scale = await scale_of(session, exam.level_code)
        if decision.mark > scale.max_mark:
            raise invalid("body.mark", f"above the level's scale ({scale.max_mark})")
        appeal.status, appeal.new_mark = AppealStatus.ACCEPTED, decision.mark
        line = await session.scalar(
            select(ExamSubjectResult).where(
                ExamSubjectResult.result_id == result.id,
                ExamSubjectResult.subject_id == appeal.subject_id,
            )
        )
        assert line is not None  # an appeal is filed on a marked subject
        line.mark, line.absent = decision.mark, False
        await session.flush()
        await deliberate_candidates(session, exam, only=result.id)
        await refresh_summaries(session, exam, [result.school_id])
        await follow_to_resit(session, exam, result)
        await snapshots.rebuild(session, [result.pupil_id])
    else:
        appeal.status, appeal.reason = AppealStatus.REJECTED, decision.reason
    await session.flush()
    await notify(
        session,
        await family_accounts(
            session, select(ExamResult.pupil_id).where(ExamResult.id == result.id)
        ),
        NotificationCategory.EXAM_RESULTS,
        _texts(exam, appeal),
        {"session_id": exam.id, "appeal_id": appeal.id, "status": appeal.status.value},
    )
    return await _one(session, appeal.id)


async def follow_to_resit(session: AsyncSession, exam: ExamSession, result: ExamResult) -> None:
    """Carry a normal session's corrected mark into its resit, for this candidate.

    Deliberated (or published) already, the resit deliberates the candidate again: the
    better-of rule now reads the corrected mark, and the resit's decision, which the pupil's
    history takes over the normal session's, stays the right one. (A candidate the correction
    admits at the normal session is admitted at the resit too: the better of two sets of marks
    is never below the normal ones.) Not deliberated yet, the resit reads the corrected mark
    when it is; a candidate the correction no longer sends to it (admitted at the normal
    session, or now below the resit's line) and who has sat nothing of it is withdrawn."""
    await session.refresh(result)
    resit = await session.scalar(
        select(ExamSession)
        .where(ExamSession.normal_session_id == exam.id, ExamSession.round == ExamRound.RESIT)
        .with_for_update()
    )
    if resit is None:
        return
    again = await session.scalar(
        select(ExamResult).where(
            ExamResult.school_year == resit.school_year,
            ExamResult.session_id == resit.id,
            candidate_key(ExamResult.pupil_id, ExamResult.independent_candidate_id)
            == (result.pupil_id or result.independent_candidate_id),
        )
    )
    if again is None:
        return
    if resit.state in (ExamState.DELIBERATED, ExamState.PUBLISHED):
        await deliberate_candidates(session, resit, only=again.id)
        await refresh_summaries(session, resit, [again.school_id])
    elif result.decision is not ExamDecision.RESIT and not await _has_marks(session, again):
        await session.delete(again)
        await session.flush()


async def _has_marks(session: AsyncSession, result: ExamResult) -> bool:
    marked = await session.scalar(
        select(ExamSubjectResult.id)
        .where(
            ExamSubjectResult.school_year == result.school_year,
            ExamSubjectResult.result_id == result.id,
        )
        .limit(1)
    )
    return marked is not None


async def figures(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID
) -> ExamAppealFigures:
    """The session's appeals counted by outcome, and the marks raised."""
    exam = await readable_session(session, principal, session_id)

    def count(condition: Any) -> Any:
        return func.count(case((condition, 1)))

    row = (
        await session.execute(
            select(
                func.count(ExamAppeal.id),
                count(ExamAppeal.status == AppealStatus.FILED),
                count(ExamAppeal.status == AppealStatus.ACCEPTED),
                count(ExamAppeal.status == AppealStatus.REJECTED),
                count(func.coalesce(ExamAppeal.old_mark, -1) < ExamAppeal.new_mark),
            )
            .join(ExamResult, ExamResult.id == ExamAppeal.result_id)
            .where(ExamResult.session_id == exam.id)
        )
    ).one()
    filed, pending, accepted, rejected, raised = row
    return ExamAppealFigures(
        filed=filed, pending=pending, accepted=accepted, rejected=rejected, marks_raised=raised
    )


def _appeals() -> Select[ExamAppeal, uuid.UUID, str | None, uuid.UUID | None]:
    return select(
        ExamAppeal, ExamResult.session_id, ExamResult.candidate_number, ExamResult.pupil_id
    ).join(ExamResult, ExamResult.id == ExamAppeal.result_id)


def _out(row: Any) -> ExamAppealOut:
    return ExamAppealOut.of(
        row.ExamAppeal,
        session_id=row.session_id,
        candidate_number=row.candidate_number,
        pupil_id=row.pupil_id,
        filed_at=row.ExamAppeal.created_at,
    )


async def _one(session: AsyncSession, appeal_id: uuid.UUID) -> ExamAppealOut:
    # Read back as stored (the marks with their two decimals), not as the request gave them.
    statement = _appeals().where(ExamAppeal.id == appeal_id)
    return _out((await session.execute(statement.execution_options(populate_existing=True))).one())


def _texts(exam: ExamSession, appeal: ExamAppeal) -> NotificationTexts:
    if appeal.status is AppealStatus.ACCEPTED:
        return NotificationTexts(
            title_ar="قُبل طلب إعادة التصحيح",
            title_fr="Recours accepté",
            body_ar=f"{exam.name_ar}: النقطة الجديدة {appeal.new_mark}.",
            body_fr=f"{exam.name_fr} : nouvelle note {appeal.new_mark}.",
        )
    return NotificationTexts(
        title_ar="رُفض طلب إعادة التصحيح",
        title_fr="Recours rejeté",
        body_ar=f"{exam.name_ar}: {appeal.reason}",
        body_fr=f"{exam.name_fr} : {appeal.reason}",
    )
