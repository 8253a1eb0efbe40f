"""A teacher's continuous training: my registrations, the sessions I may join, registering
and cancelling."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.accounts.guards import TeacherPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.modules.trainings import programmes as trainings
from app.modules.trainings import registrations
from app.modules.trainings.schemas import RegistrationOut, SessionOut

router = APIRouter()


@router.get("/trainings", operation_id="teacher-trainings")
async def my_trainings(
    principal: TeacherPrincipal, session: SessionDep, page: PageParams
) -> Page[RegistrationOut]:
    """My registrations, newest first, with their session, days attended, hours and
    certificate date."""
    return await registrations.my_registrations(
        session, principal, limit=page.limit, after=page.position()
    )


@router.get("/trainings/sessions", operation_id="teacher-training-sessions")
async def open_sessions(
    principal: TeacherPrincipal, session: SessionDep, page: PageParams
) -> Page[SessionOut]:
    """Sessions not started yet that reach my school and whose audience includes me (my
    subjects, levels and cycles this year)."""
    return await trainings.teacher_sessions(
        session, principal, limit=page.limit, after=page.position()
    )


@router.post(
    "/trainings/sessions/{session_id}/registrations",
    operation_id="teacher-register-training",
    status_code=status.HTTP_201_CREATED,
)
async def register(
    session_id: uuid.UUID, principal: TeacherPrincipal, session: SessionDep
) -> RegistrationOut:
    """Ask for a place in a session (the organiser approves)."""
    person = registrations.self_registrant(principal)
    return await registrations.register(session, principal, session_id, person, "path.session_id")


@router.post(
    "/trainings/registrations/{registration_id}/cancel",
    operation_id="teacher-cancel-training",
)
async def cancel(
    registration_id: uuid.UUID, principal: TeacherPrincipal, session: SessionDep
) -> RegistrationOut:
    """Withdraw one of my requested or approved registrations."""
    return await registrations.cancel(
        session, principal, registration_id, registrations.mine(principal)
    )
