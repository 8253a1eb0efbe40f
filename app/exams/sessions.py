"""Exam sessions over time: telling pupils and parents when results come out."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.exams import events, snapshots
from app.exams.models import ExamResult, ExamSession
from app.family.audience import family_accounts
from app.messaging.models import NotificationCategory
from app.messaging.notifications import NotificationTexts, notify

log = logging.getLogger(__name__)


async def announce_published_exams(session: AsyncSession) -> int:
    """Publish every session whose results just became visible: render its pupils' results
    and notify them and their parents.

    Sessions are taken with SKIP LOCKED and stamped, so two workers never announce one twice.
    """
    due = (
        await session.scalars(
            select(ExamSession)
            .where(ExamSession.announced_at.is_(None), ExamSession.publish_at <= func.now())
            .with_for_update(skip_locked=True)
        )
    ).all()
    for exam in due:
        await notify(
            session,
            await _audience(session, exam),
            NotificationCategory.EXAM_RESULTS,
            NotificationTexts(
                title_ar="نتائج الامتحان متاحة",
                title_fr="Résultats disponibles",
                body_ar=f"نُشرت نتائج: {exam.name_ar}.",
                body_fr=f"Résultats publiés : {exam.name_fr}.",
            ),
            {"session_id": exam.id},
        )
        await session.execute(
            update(ExamSession).where(ExamSession.id == exam.id).values(announced_at=func.now())
        )
        await snapshots.rebuild_session(session, exam)
        await events.exam_results_published(session, exam)
    if due:
        log.info("announced %d published exam sessions", len(due))
    return len(due)


async def _audience(session: AsyncSession, exam: ExamSession) -> list[uuid.UUID]:
    """The accounts of the pupils with a result, and of their verified parents."""
    pupils = select(ExamResult.pupil_id).where(ExamResult.session_id == exam.id)
    return await family_accounts(session, pupils)
