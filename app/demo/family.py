"""Demo of the parent app talking to the school: D130000001 missed a maths lesson two days ago,
the demo parent justified it (pending, for the director to decide), and asked the maths
teacher a question, who answered.

Everything goes through the services the apps use, as the callers they would be.
"""

from __future__ import annotations

import uuid
from datetime import time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import Pupil, Subject
from app.academics.teaching import current_pupils
from app.accounts.models import User
from app.attendance import justifications
from app.attendance import roll_calls as attendance
from app.attendance.models import AttendanceMark, AttendanceSheet, AttendanceStatus
from app.attendance.schemas import AttendanceMarkIn, RollCallIn
from app.core.security.principal import Principal
from app.core.storage import LocalDirectoryStore
from app.family.pupil_records import current_classes
from app.messaging import messages
from app.messaging.schemas import NewThreadIn, ReplyIn
from app.settings import get_settings

DEMO_PUPIL_CODE = "D130000001"
PARENT = "parent.demo@taalim.ma"
TEACHER = "teacher.demo@taalim.ma"
# An afternoon lesson, so that it replaces none of the demo's morning roll calls.
LESSON_START = time(14, 30)


async def seed_family(session: AsyncSession, accounts: dict[str, User]) -> None:
    """An absence of D130000001, its pending justification, and a thread with a reply."""
    parent, teacher = Principal.acting_as(accounts[PARENT]), Principal.acting_as(accounts[TEACHER])
    pupil_id = await session.scalar(select(Pupil.id).where(Pupil.massar_code == DEMO_PUPIL_CODE))
    assert pupil_id is not None, "seed_teaching enrols the demo pupil first"
    absence_id = await _record_absence(session, teacher, pupil_id)
    # No document: the store is never written to, but `submit` wants the configured one.
    store = LocalDirectoryStore(get_settings().documents_dir)
    await justifications.submit(
        session,
        store,
        parent,
        pupil_id,
        [absence_id],
        "Rendez-vous chez le médecin, certificat remis au surveillant général.",
        None,
    )
    thread = await messages.start_thread(
        session,
        parent,
        NewThreadIn(
            child_id=pupil_id,
            recipient_id=teacher.user_id,
            subject="Exercices de rattrapage",
            body="Bonjour, Salma a manqué le cours de mathématiques. "
            "Quels exercices doit-elle faire pour rattraper ?",
        ),
    )
    await messages.reply(
        session,
        teacher,
        thread.id,
        ReplyIn(body="Bonjour, les exercices 3 à 7 page 24 du manuel. Bonne journée."),
    )


async def _record_absence(
    session: AsyncSession, teacher: Principal, pupil_id: uuid.UUID
) -> uuid.UUID:
    """A maths roll call two days ago where the demo pupil is the one absent; its mark's id."""
    school_class = (await current_classes(session, [pupil_id]))[pupil_id]
    maths = await session.scalar(select(Subject.id).where(Subject.code == "MATH"))
    assert maths is not None
    roll = await session.scalars(current_pupils(school_class.id))
    day = school_today() - timedelta(days=2)
    await attendance.record_attendance(
        session,
        teacher,
        school_class.id,
        RollCallIn(
            date=day,
            start_time=LESSON_START,
            subject_id=maths,
            marks=[
                AttendanceMarkIn(
                    pupil_id=p,
                    status=AttendanceStatus.ABSENT if p == pupil_id else AttendanceStatus.PRESENT,
                )
                for p in roll
            ],
        ),
    )
    mark_id = await session.scalar(
        select(AttendanceMark.id)
        .join(
            AttendanceSheet,
            (AttendanceSheet.id == AttendanceMark.sheet_id)
            & (AttendanceSheet.school_id == AttendanceMark.school_id),
        )
        .where(
            AttendanceMark.pupil_id == pupil_id,
            AttendanceSheet.lesson_date == day,
            AttendanceSheet.starts_at == LESSON_START,
        )
    )
    assert mark_id is not None
    return mark_id
