"""Demo data of continuous training: the Rabat directorate's maths didactics programme (a
session already held, which teacher.demo attended and completed, and one to come), and the
academy's programme for school directors. Written through the services the faces use."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import Subject
from app.accounts.models import User
from app.core.security.principal import Principal
from app.modules.trainings import programmes as trainings
from app.modules.trainings import registrations
from app.modules.trainings.models import TrainingAudience
from app.modules.trainings.schemas import (
    ProgrammeIn,
    SessionIn,
    SessionOut,
    SessionPatch,
    TrainingAttendanceIn,
    TrainingAttendanceRowIn,
)
from app.organisation.models import Cycle

PROVINCE = "province.demo@men.gov.ma"
ACADEMY = "academy.demo@men.gov.ma"
TEACHER = "teacher.demo@taalim.ma"
DIRECTOR = "director.demo@taalim.ma"


def _session_in(days_ahead: int, days: int, place: str, capacity: int, trainer: str) -> SessionIn:
    start = school_today() + timedelta(days=days_ahead)
    return SessionIn(
        starts_on=start,
        ends_on=start + timedelta(days=days - 1),
        place=place,
        capacity=capacity,
        trainer_name=trainer,
        hours_per_day=6,
    )


async def seed_trainings(session: AsyncSession, users: dict[str, User]) -> None:
    """The directorate's maths programme with teacher.demo's certificate, and the academy's
    programme for directors with director.demo's request."""
    await _maths_didactics(session, users)
    await _directors_programme(session, users)


async def _maths_didactics(session: AsyncSession, users: dict[str, User]) -> None:
    province, teacher = Principal.acting_as(users[PROVINCE]), Principal.acting_as(users[TEACHER])
    math_id = await session.scalar(select(Subject.id).where(Subject.code == "MATH"))
    programme = await trainings.create_programme(
        session,
        province,
        ProgrammeIn(
            theme="Didactique des mathématiques au collège",
            description=(
                "Situations-problèmes, gestion de l'hétérogénéité et évaluation formative "
                "en mathématiques au cycle secondaire collégial."
            ),
            audience=TrainingAudience.TEACHERS,
            subject_id=math_id,
            target_cycle=Cycle.COLLEGE,
        ),
    )
    held = await trainings.create_session(
        session,
        province,
        programme.id,
        _session_in(1, 3, "CRMEF Rabat-Salé-Kénitra, salle 4", 25, "Mme Naima El Idrissi"),
    )
    await trainings.create_session(
        session,
        province,
        programme.id,
        _session_in(28, 2, "Lycée Moulay Youssef, Rabat", 30, "M. Rachid Benjelloun"),
    )
    registration = await registrations.register(
        session, teacher, held.id, registrations.self_registrant(teacher), "path.session_id"
    )
    await registrations.approve(session, province, registration.id)
    await _hold_in_the_past(session, province, held, registration.id)
    await registrations.complete(session, province, registration.id, None)


async def _hold_in_the_past(
    session: AsyncSession, province: Principal, held: SessionOut, registration_id: uuid.UUID
) -> None:
    """The session took place two weeks ago and the teacher attended every day."""
    start = school_today() - timedelta(days=14)
    patch = SessionPatch(starts_on=start, ends_on=start + timedelta(days=held.days - 1))
    await trainings.update_session(session, province, held.id, patch)
    for offset in range(held.days):
        await registrations.record_attendance(
            session,
            province,
            held.id,
            start + timedelta(days=offset),
            TrainingAttendanceIn(
                rows=[TrainingAttendanceRowIn(registration_id=registration_id, present=True)]
            ),
        )


async def _directors_programme(session: AsyncSession, users: dict[str, User]) -> None:
    academy, director = Principal.acting_as(users[ACADEMY]), Principal.acting_as(users[DIRECTOR])
    programme = await trainings.create_programme(
        session,
        academy,
        ProgrammeIn(
            theme="Pilotage du projet d'établissement intégré",
            description=(
                "Diagnostic, planification et suivi du projet d'établissement intégré ; "
                "animation du conseil de gestion."
            ),
            audience=TrainingAudience.SCHOOL_STAFF,
        ),
    )
    upcoming = await trainings.create_session(
        session,
        academy,
        programme.id,
        _session_in(21, 2, "Siège de l'AREF Rabat-Salé-Kénitra", 40, "M. Youssef Amrani"),
    )
    person = await registrations.school_registrant(session, director, director.user_id)
    await registrations.register(session, director, upcoming.id, person, "body.user_id")
