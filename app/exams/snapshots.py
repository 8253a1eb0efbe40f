"""Published exam results kept as snapshots: each pupil's results, rendered by the same report
the live view computes, when a session's results are published (the worker's announcement)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil
from app.assessment.report_card import exam_results
from app.core.caching import json_bytes
from app.core.db.snapshots import store_snapshot
from app.exams.models import ExamResult, ExamSession, PublishedExamResults

VERSIONS = "published_exam_results_versions"


def _next_hidden(pupil_id: uuid.UUID) -> ScalarSelect[datetime | None]:
    """When the pupil's next result still hidden comes out (None if none waits)."""
    return (
        select(func.min(ExamSession.publish_at))
        .join(ExamResult, ExamResult.session_id == ExamSession.id)
        .where(ExamResult.pupil_id == pupil_id, ExamSession.publish_at > func.now())
        .scalar_subquery()
    )


async def rebuild(session: AsyncSession, pupil_ids: Iterable[uuid.UUID | None]) -> int:
    """Render the published exam results of these pupils; the number of documents written.
    (An independent candidate's result, with no pupil, has no document: they read theirs with
    their candidate number.)"""
    pupils = [pupil_id for pupil_id in pupil_ids if pupil_id is not None]
    schools = await session.execute(select(Pupil.id, Pupil.school_id).where(Pupil.id.in_(pupils)))
    built = 0
    for pupil_id, school_id in schools.all():
        results = await exam_results(session, pupil_id)
        await store_snapshot(
            session,
            PublishedExamResults,
            {"pupil_id": pupil_id},
            school_id,
            VERSIONS,
            {"document": json_bytes(results).decode(), "valid_until": _next_hidden(pupil_id)},
        )
        built += 1
    return built


async def rebuild_session(session: AsyncSession, exam: ExamSession) -> int:
    """Render the results of every pupil with a result in the session."""
    pupils = await session.scalars(
        select(ExamResult.pupil_id).where(ExamResult.session_id == exam.id)
    )
    return await rebuild(session, pupils.all())


async def render_all_published(session: AsyncSession) -> int:
    """Render the documents of every pupil with a published result (an upgrade)."""
    pupils = await session.scalars(
        select(ExamResult.pupil_id)
        .join(ExamSession, ExamSession.id == ExamResult.session_id)
        .where(ExamSession.publish_at <= func.now())
        .distinct()
    )
    return await rebuild(session, pupils.all())
