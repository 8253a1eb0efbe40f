"""The school's continuous training: sessions that reach the school, registering its
teachers and staff, and following their registrations."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.accounts.guards import SchoolStaffPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.modules.trainings import programmes as trainings
from app.modules.trainings import registrations
from app.modules.trainings.models import RegistrationStatus, TrainingAudience
from app.modules.trainings.schemas import RegisterIn, RegistrationOut, SessionOut

router = APIRouter()


@router.get("/trainings/sessions", operation_id="school-training-sessions")
async def open_sessions(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    audience: TrainingAudience | None = None,
) -> Page[SessionOut]:
    """Sessions not started yet, organised by our directorate, academy or the ministry."""
    return await trainings.school_sessions(
        session, principal, audience, limit=page.limit, after=page.position()
    )


@router.post(
    "/trainings/sessions/{session_id}/registrations",
    operation_id="school-register-training",
    status_code=status.HTTP_201_CREATED,
)
async def register(
    session_id: uuid.UUID, body: RegisterIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> RegistrationOut:
    """Register a teacher or a staff member of our school (ourselves included)."""
    person = await registrations.school_registrant(session, principal, body.user_id)
    return await registrations.register(session, principal, session_id, person, "body.user_id")


@router.get("/trainings/registrations", operation_id="school-training-registrations")
async def list_registrations(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    session_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    status: RegistrationStatus | None = None,
) -> Page[RegistrationOut]:
    """Registrations of our school's staff, newest first."""
    return await registrations.school_registrations(
        session, principal, session_id, user_id, status, limit=page.limit, after=page.position()
    )


@router.post(
    "/trainings/registrations/{registration_id}/cancel",
    operation_id="school-cancel-training",
)
async def cancel(
    registration_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> RegistrationOut:
    """Withdraw a requested or approved registration of our school."""
    return await registrations.cancel(
        session, principal, registration_id, registrations.of_my_school(principal)
    )
