"""Continuous training (formation continue), each endpoint written once for the faces that
serve it: a teacher (`/teacher/trainings`: my registrations, the sessions I may join), the
school's staff (`/school/trainings`: the sessions that reach the school, registering its
teachers and staff, following their registrations), and directorates, academies and the
ministry (`/steering/trainings`: programmes and sessions, decisions on registrations,
attendance, certificates, and the staff hours of their part of the tree). The face's router
guards the role; the services apply each caller's scope."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Literal

from fastapi import APIRouter, Response, status
from sqlalchemy import ColumnElement

from app.accounts.guards import CurrentPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.routing import RouteGroup, face_routes
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.modules.trainings import programmes as trainings
from app.modules.trainings import registrations
from app.modules.trainings.models import RegistrationStatus, TrainingAudience
from app.modules.trainings.schemas import (
    AttendanceDayOut,
    CompleteIn,
    ProgrammeIn,
    ProgrammeOut,
    ProgrammePatch,
    RegisterIn,
    RegistrationOut,
    SessionIn,
    SessionOut,
    SessionPatch,
    StaffHoursOut,
    TrainingAttendanceIn,
    TrainingRegistrationRefusal,
)

TrainingFace = Literal["school", "steering", "teacher"]

# The registrations a face may cancel: a teacher their own, the school's staff their school's.
_CANCELLABLE: dict[str, Callable[[Principal], ColumnElement[bool]]] = {
    "school": registrations.of_my_school,
    "teacher": registrations.mine,
}


def training_routes(face: TrainingFace) -> APIRouter:
    """The continuous-training endpoints of one face, with its operation ids."""
    return face_routes(face, _FACE_ROUTES[face], prefix="/trainings")


# ---- registering: a teacher, the school's staff ---------------------------------------------


def _teacher_registering(router: APIRouter, face: str) -> None:
    @router.get("", operation_id=f"{face}-trainings")
    async def my_trainings(
        principal: CurrentPrincipal, session: SessionDep, page: PageParams
    ) -> Page[RegistrationOut]:
        """My registrations, newest first, with their session, days attended, hours and
        certificate date."""
        return await registrations.my_registrations(session, principal, page)

    @router.get("/sessions", operation_id=f"{face}-training-sessions")
    async def open_sessions(
        principal: CurrentPrincipal, session: SessionDep, page: PageParams
    ) -> Page[SessionOut]:
        """Sessions not started yet that reach my school and whose audience includes me (my
        subjects, levels and cycles this year)."""
        return await trainings.teacher_sessions(session, principal, page)

    @router.post(
        "/sessions/{session_id}/registrations",
        operation_id=f"{face}-register-training",
        status_code=status.HTTP_201_CREATED,
    )
    async def register(
        session_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> RegistrationOut:
        """Ask for a place in a session (the organiser approves)."""
        person = registrations.self_registrant(principal)
        return await registrations.register(
            session, principal, session_id, person, "path.session_id"
        )


def _school_registering(router: APIRouter, face: str) -> None:
    @router.get("/sessions", operation_id=f"{face}-training-sessions")
    async def open_sessions(
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        audience: TrainingAudience | None = None,
    ) -> Page[SessionOut]:
        """Sessions not started yet, organised by our directorate, academy or the ministry."""
        return await trainings.school_sessions(session, principal, audience, page)

    @router.post(
        "/sessions/{session_id}/registrations",
        operation_id=f"{face}-register-training",
        status_code=status.HTTP_201_CREATED,
    )
    async def register(
        session_id: uuid.UUID, body: RegisterIn, principal: CurrentPrincipal, session: SessionDep
    ) -> RegistrationOut:
        """Register a teacher or a staff member of our school (ourselves included)."""
        person = await registrations.school_registrant(session, principal, body.user_id)
        return await registrations.register(session, principal, session_id, person, "body.user_id")

    @router.get("/registrations", operation_id=f"{face}-training-registrations")
    async def list_registrations(
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        session_id: uuid.UUID | None = None,
        user_id: uuid.UUID | None = None,
        status: RegistrationStatus | None = None,
    ) -> Page[RegistrationOut]:
        """Registrations of our school's staff, newest first."""
        return await registrations.school_registrations(
            session, principal, session_id, user_id, status, page
        )


def _cancelling(router: APIRouter, face: str) -> None:
    cancellable = _CANCELLABLE[face]

    @router.post("/registrations/{registration_id}/cancel", operation_id=f"{face}-cancel-training")
    async def cancel(
        registration_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> RegistrationOut:
        """Withdraw a requested or approved registration: one of mine as a teacher, one of
        our school's as its staff."""
        return await registrations.cancel(
            session, principal, registration_id, cancellable(principal)
        )


# ---- organising: directorates, academies, the ministry --------------------------------------


def _programmes(router: APIRouter, face: str) -> None:
    @router.post(
        "/programmes",
        operation_id=f"{face}-create-training-programme",
        status_code=status.HTTP_201_CREATED,
    )
    async def create_programme(
        body: ProgrammeIn, principal: CurrentPrincipal, session: SessionDep
    ) -> ProgrammeOut:
        """A programme organised by my directorate, academy or the ministry."""
        return await trainings.create_programme(session, principal, body)

    @router.get("/programmes", operation_id=f"{face}-training-programmes")
    async def list_programmes(
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        audience: TrainingAudience | None = None,
    ) -> Page[ProgrammeOut]:
        """Programmes organised by my unit and the units beneath it, newest first."""
        return await trainings.list_programmes(session, principal, audience, page)

    @router.get("/programmes/{programme_id}", operation_id=f"{face}-training-programme")
    async def get_programme(
        programme_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> ProgrammeOut:
        """One programme of my part of the tree."""
        return await trainings.get_programme(session, principal, programme_id)

    @router.patch("/programmes/{programme_id}", operation_id=f"{face}-update-training-programme")
    async def update_programme(
        programme_id: uuid.UUID,
        body: ProgrammePatch,
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> ProgrammeOut:
        """Change the theme or description of a programme my unit organises."""
        return await trainings.update_programme(session, principal, programme_id, body)

    @router.delete(
        "/programmes/{programme_id}",
        operation_id=f"{face}-delete-training-programme",
        status_code=status.HTTP_204_NO_CONTENT,
    )
    async def delete_programme(
        programme_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> Response:
        """Remove a programme of my unit that has no session."""
        await trainings.delete_programme(session, principal, programme_id)
        return Response(status_code=status.HTTP_204_NO_CONTENT)


def _sessions(router: APIRouter, face: str) -> None:
    @router.post(
        "/programmes/{programme_id}/sessions",
        operation_id=f"{face}-create-training-session",
        status_code=status.HTTP_201_CREATED,
    )
    async def create_session(
        programme_id: uuid.UUID, body: SessionIn, principal: CurrentPrincipal, session: SessionDep
    ) -> SessionOut:
        """A session of a programme my unit organises."""
        return await trainings.create_session(session, principal, programme_id, body)

    @router.get("/sessions", operation_id=f"{face}-training-sessions")
    async def list_sessions(
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        programme_id: uuid.UUID | None = None,
    ) -> Page[SessionOut]:
        """Sessions organised in my part of the tree, soonest first, with their fill rates
        (approved / capacity)."""
        return await trainings.list_sessions(session, principal, programme_id, page)

    @router.get("/sessions/{session_id}", operation_id=f"{face}-training-session")
    async def get_session(
        session_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> SessionOut:
        """One session of my part of the tree."""
        return await trainings.get_session(session, principal, session_id)

    @router.patch("/sessions/{session_id}", operation_id=f"{face}-update-training-session")
    async def update_session(
        session_id: uuid.UUID, body: SessionPatch, principal: CurrentPrincipal, session: SessionDep
    ) -> SessionOut:
        """Change a session of my unit (capacity never below the places taken)."""
        return await trainings.update_session(session, principal, session_id, body)

    @router.delete(
        "/sessions/{session_id}",
        operation_id=f"{face}-delete-training-session",
        status_code=status.HTTP_204_NO_CONTENT,
    )
    async def delete_session(
        session_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> Response:
        """Remove a session of my unit that nobody registered for."""
        await trainings.delete_session(session, principal, session_id)
        return Response(status_code=status.HTTP_204_NO_CONTENT)


def _decisions(router: APIRouter, face: str) -> None:
    @router.get(
        "/sessions/{session_id}/registrations", operation_id=f"{face}-training-registrations"
    )
    async def list_registrations(
        session_id: uuid.UUID,
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        status: RegistrationStatus | None = None,
    ) -> Page[RegistrationOut]:
        """Registrations of a session of my part of the tree, newest first."""
        return await registrations.session_registrations(
            session, principal, session_id, status, page
        )

    @router.post(
        "/registrations/{registration_id}/approve",
        operation_id=f"{face}-approve-training-registration",
    )
    async def approve(
        registration_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> RegistrationOut:
        """Give the registrant a place (409 when the session is full)."""
        return await registrations.approve(session, principal, registration_id)

    @router.post(
        "/registrations/{registration_id}/refuse",
        operation_id=f"{face}-refuse-training-registration",
    )
    async def refuse(
        registration_id: uuid.UUID,
        body: TrainingRegistrationRefusal,
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> RegistrationOut:
        """Refuse a requested registration, with a reason."""
        return await registrations.refuse(session, principal, registration_id, body.reason)

    @router.post(
        "/registrations/{registration_id}/complete",
        operation_id=f"{face}-complete-training-registration",
    )
    async def complete(
        registration_id: uuid.UUID,
        body: CompleteIn,
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> RegistrationOut:
        """Issue the completion certificate (every day attended, or at least 80 % of them)."""
        return await registrations.complete(session, principal, registration_id, body.completed_on)


def _attendance(router: APIRouter, face: str) -> None:
    @router.get(
        "/sessions/{session_id}/attendance/{day}", operation_id=f"{face}-training-attendance"
    )
    async def attendance_day(
        session_id: uuid.UUID, day: date, principal: CurrentPrincipal, session: SessionDep
    ) -> AttendanceDayOut:
        """Who was present or absent on one day of a session."""
        return await registrations.attendance_day(session, principal, session_id, day)

    @router.put(
        "/sessions/{session_id}/attendance/{day}",
        operation_id=f"{face}-record-training-attendance",
    )
    async def record_attendance(
        session_id: uuid.UUID,
        day: date,
        body: TrainingAttendanceIn,
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> AttendanceDayOut:
        """Present or absent for approved registrations on one day: all rows or none."""
        return await registrations.record_attendance(session, principal, session_id, day, body)

    @router.get("/hours", operation_id=f"{face}-training-hours")
    async def staff_hours(
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        school_id: uuid.UUID | None = None,
    ) -> Page[StaffHoursOut]:
        """Training hours completed by each staff member of my schools, by name."""
        return await trainings.staff_hours(session, principal, school_id, page)


_FACE_ROUTES: dict[TrainingFace, tuple[RouteGroup, ...]] = {
    "teacher": (_teacher_registering, _cancelling),
    "school": (_school_registering, _cancelling),
    "steering": (_programmes, _sessions, _decisions, _attendance),
}
