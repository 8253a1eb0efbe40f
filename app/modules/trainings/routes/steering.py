"""Continuous training on the steering face: a directorate, an academy or the ministry
organises programmes and sessions, decides registrations, records attendance and issues
certificates; it follows the sessions and the staff hours of its part of the tree."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Response, status

from app.accounts.guards import SteeringPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.modules.trainings import programmes as trainings
from app.modules.trainings import registrations
from app.modules.trainings.models import RegistrationStatus, TrainingAudience
from app.modules.trainings.schemas import (
    AttendanceDayOut,
    CompleteIn,
    ProgrammeIn,
    ProgrammeOut,
    ProgrammePatch,
    RegistrationOut,
    SessionIn,
    SessionOut,
    SessionPatch,
    StaffHoursOut,
    TrainingAttendanceIn,
    TrainingRegistrationRefusal,
)

router = APIRouter()


# ---- programmes -----------------------------------------------------------------------------


@router.post(
    "/trainings/programmes",
    operation_id="steering-create-training-programme",
    status_code=status.HTTP_201_CREATED,
)
async def create_programme(
    body: ProgrammeIn, principal: SteeringPrincipal, session: SessionDep
) -> ProgrammeOut:
    """A programme organised by my directorate, academy or the ministry."""
    return await trainings.create_programme(session, principal, body)


@router.get("/trainings/programmes", operation_id="steering-training-programmes")
async def list_programmes(
    principal: SteeringPrincipal,
    session: SessionDep,
    page: PageParams,
    audience: TrainingAudience | None = None,
) -> Page[ProgrammeOut]:
    """Programmes organised by my unit and the units beneath it, newest first."""
    return await trainings.list_programmes(
        session, principal, audience, limit=page.limit, after=page.position()
    )


@router.get("/trainings/programmes/{programme_id}", operation_id="steering-training-programme")
async def get_programme(
    programme_id: uuid.UUID, principal: SteeringPrincipal, session: SessionDep
) -> ProgrammeOut:
    """One programme of my part of the tree."""
    return await trainings.get_programme(session, principal, programme_id)


@router.patch(
    "/trainings/programmes/{programme_id}", operation_id="steering-update-training-programme"
)
async def update_programme(
    programme_id: uuid.UUID, body: ProgrammePatch, principal: SteeringPrincipal, session: SessionDep
) -> ProgrammeOut:
    """Change the theme or description of a programme my unit organises."""
    return await trainings.update_programme(session, principal, programme_id, body)


@router.delete(
    "/trainings/programmes/{programme_id}",
    operation_id="steering-delete-training-programme",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def delete_programme(
    programme_id: uuid.UUID, principal: SteeringPrincipal, session: SessionDep
) -> Response:
    """Remove a programme of my unit that has no session."""
    await trainings.delete_programme(session, principal, programme_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# ---- sessions -------------------------------------------------------------------------------


@router.post(
    "/trainings/programmes/{programme_id}/sessions",
    operation_id="steering-create-training-session",
    status_code=status.HTTP_201_CREATED,
)
async def create_session(
    programme_id: uuid.UUID, body: SessionIn, principal: SteeringPrincipal, session: SessionDep
) -> SessionOut:
    """A session of a programme my unit organises."""
    return await trainings.create_session(session, principal, programme_id, body)


@router.get("/trainings/sessions", operation_id="steering-training-sessions")
async def list_sessions(
    principal: SteeringPrincipal,
    session: SessionDep,
    page: PageParams,
    programme_id: uuid.UUID | None = None,
) -> Page[SessionOut]:
    """Sessions organised in my part of the tree, soonest first, with their fill rates
    (approved / capacity)."""
    return await trainings.list_sessions(
        session, principal, programme_id, limit=page.limit, after=page.position()
    )


@router.get("/trainings/sessions/{session_id}", operation_id="steering-training-session")
async def get_session(
    session_id: uuid.UUID, principal: SteeringPrincipal, session: SessionDep
) -> SessionOut:
    """One session of my part of the tree."""
    return await trainings.get_session(session, principal, session_id)


@router.patch("/trainings/sessions/{session_id}", operation_id="steering-update-training-session")
async def update_session(
    session_id: uuid.UUID, body: SessionPatch, principal: SteeringPrincipal, session: SessionDep
) -> SessionOut:
    """Change a session of my unit (capacity never below the places taken)."""
    return await trainings.update_session(session, principal, session_id, body)


@router.delete(
    "/trainings/sessions/{session_id}",
    operation_id="steering-delete-training-session",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def delete_session(
    session_id: uuid.UUID, principal: SteeringPrincipal, session: SessionDep
) -> Response:
    """Remove a session of my unit that nobody registered for."""
    await trainings.delete_session(session, principal, session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# ---- registrations, attendance, certificates ------------------------------------------------


@router.get(
    "/trainings/sessions/{session_id}/registrations",
    operation_id="steering-training-registrations",
)
async def list_registrations(
    session_id: uuid.UUID,
    principal: SteeringPrincipal,
    session: SessionDep,
    page: PageParams,
    status: RegistrationStatus | None = None,
) -> Page[RegistrationOut]:
    """Registrations of a session of my part of the tree, newest first."""
    return await registrations.session_registrations(
        session, principal, session_id, status, limit=page.limit, after=page.position()
    )


@router.post(
    "/trainings/registrations/{registration_id}/approve",
    operation_id="steering-approve-training-registration",
)
async def approve(
    registration_id: uuid.UUID, principal: SteeringPrincipal, session: SessionDep
) -> RegistrationOut:
    """Give the registrant a place (409 when the session is full)."""
    return await registrations.approve(session, principal, registration_id)


@router.post(
    "/trainings/registrations/{registration_id}/refuse",
    operation_id="steering-refuse-training-registration",
)
async def refuse(
    registration_id: uuid.UUID,
    body: TrainingRegistrationRefusal,
    principal: SteeringPrincipal,
    session: SessionDep,
) -> RegistrationOut:
    """Refuse a requested registration, with a reason."""
    return await registrations.refuse(session, principal, registration_id, body.reason)


@router.post(
    "/trainings/registrations/{registration_id}/complete",
    operation_id="steering-complete-training-registration",
)
async def complete(
    registration_id: uuid.UUID, body: CompleteIn, principal: SteeringPrincipal, session: SessionDep
) -> RegistrationOut:
    """Issue the completion certificate (every day attended, or at least 80 % of them)."""
    return await registrations.complete(session, principal, registration_id, body.completed_on)


@router.get(
    "/trainings/sessions/{session_id}/attendance/{day}",
    operation_id="steering-training-attendance",
)
async def attendance_day(
    session_id: uuid.UUID, day: date, principal: SteeringPrincipal, session: SessionDep
) -> AttendanceDayOut:
    """Who was present or absent on one day of a session."""
    return await registrations.attendance_day(session, principal, session_id, day)


@router.put(
    "/trainings/sessions/{session_id}/attendance/{day}",
    operation_id="steering-record-training-attendance",
)
async def record_attendance(
    session_id: uuid.UUID,
    day: date,
    body: TrainingAttendanceIn,
    principal: SteeringPrincipal,
    session: SessionDep,
) -> AttendanceDayOut:
    """Present or absent for approved registrations on one day: all rows or none."""
    return await registrations.record_attendance(session, principal, session_id, day, body)


@router.get("/trainings/hours", operation_id="steering-training-hours")
async def staff_hours(
    principal: SteeringPrincipal,
    session: SessionDep,
    page: PageParams,
    school_id: uuid.UUID | None = None,
) -> Page[StaffHoursOut]:
    """Training hours completed by each staff member of my schools, by name."""
    return await trainings.staff_hours(
        session, principal, school_id, limit=page.limit, after=page.position()
    )
