"""Exam results are announced to pupils and parents once, when they become visible."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.exams.sessions import announce_published_exams
from app.messaging.models import Notification
from tests.factories import FamilyWorld, create_exam_with_result


async def test_published_results_are_announced_once_to_pupil_and_parents(
    session: AsyncSession, family: FamilyWorld
) -> None:
    users = family.teaching.world.users
    published = await create_exam_with_result(
        session, family, datetime.now(UTC) - timedelta(minutes=1)
    )
    await create_exam_with_result(session, family, datetime.now(UTC) + timedelta(days=1))

    assert await announce_published_exams(session) == 1
    notices = (
        await session.scalars(select(Notification).where(Notification.category == "exam_results"))
    ).all()
    assert {n.user_id for n in notices} == {users["student"].id, users["parent"].id}
    assert all(n.data["session_id"] == str(published.id) for n in notices)

    assert await announce_published_exams(session) == 0
    again = (
        await session.scalars(select(Notification).where(Notification.category == "exam_results"))
    ).all()
    assert len(again) == 2
