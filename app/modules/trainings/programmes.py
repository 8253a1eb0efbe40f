"""Continuous training (formation continue), the organiser's side: programmes and sessions
owned by a directorate, an academy or the ministry, who a session reaches, how full it is, the
hours each staff member completed, and the module's steering figure.

Registrations, attendance and completion live in `training_registrations`."""

from __future__ import annotations

import math
import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, true, union
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_year, school_today
from app.academics.models import Level as SchoolLevel
from app.academics.models import (
    SchoolClass,
    SchoolYear,
    Subject,
    TeacherProfile,
    TeachingAssignment,
)
from app.accounts.models import User
from app.core.listing import found, found_row, page_of, where_given
from app.core.ownership import (
    managed,
    owned_above,
    owned_by,
    owned_within,
    owner_place,
    unit_within,
)
from app.core.pagination import PageRequest
from app.core.roles import Level, Role
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.errors import Conflict, invalid
from app.modules.trainings.models import (
    RegistrationStatus,
    TrainingAttendance,
    TrainingAudience,
    TrainingProgramme,
    TrainingRegistration,
    TrainingSession,
)
from app.modules.trainings.schemas import (
    ProgrammeIn,
    ProgrammeOut,
    ProgrammePatch,
    SessionIn,
    SessionOut,
    SessionPatch,
    StaffHoursOut,
    TrainingFigures,
)
from app.organisation.schemas import UnitOut
from app.organisation.scopes import school_scope

# Registrations that hold a place in a session.
TAKEN = (RegistrationStatus.APPROVED, RegistrationStatus.COMPLETED)
# A certificate needs every training day attended, or at least this share of them (rounded
# up): 4 days of 5, 8 of 10; a one- or two-day session needs every day.
COMPLETION_SHARE = Decimal("0.8")
_RATE = Decimal("0.0001")

Rows = Select[*tuple[Any, ...]]


def required_days(days: int) -> int:
    """Days a registrant must attend for the certificate (see `COMPLETION_SHARE`)."""
    return max(1, math.ceil(days * COMPLETION_SHARE))


def _ratio(part: int, whole: int) -> Decimal:
    return (Decimal(part) / whole).quantize(_RATE, rounding=ROUND_HALF_UP)


def rate(part: int, whole: int) -> Decimal | None:
    """part / whole, 4 decimals half up (None when there is no whole)."""
    return _ratio(part, whole) if whole else None


# ---- who a session reaches ------------------------------------------------------------------


def _taught_classes(user_id: Any) -> Select[*tuple[Any, ...]]:
    return (
        select(SchoolClass.level_code, TeachingAssignment.subject_id)
        .join(SchoolClass, SchoolClass.id == TeachingAssignment.class_id)
        .where(
            TeachingAssignment.teacher_id == user_id,
            TeachingAssignment.school_year == current_year(),
        )
    )


def _teacher_fits(user_id: Any) -> ColumnElement[bool]:
    """A teachers' programme fits a teacher who teaches its subject this year (or has it as
    specialty in their file), and a class of its level or cycle this year."""
    taught = _taught_classes(user_id).subquery()
    subjects = union(
        select(taught.c.subject_id),
        select(TeacherProfile.specialty_subject_id).where(
            TeacherProfile.user_id == user_id, TeacherProfile.specialty_subject_id.is_not(None)
        ),
    )
    cycles = select(SchoolLevel.cycle).where(SchoolLevel.code.in_(select(taught.c.level_code)))
    return and_(
        TrainingProgramme.audience == TrainingAudience.TEACHERS,
        or_(TrainingProgramme.subject_id.is_(None), TrainingProgramme.subject_id.in_(subjects)),
        or_(
            TrainingProgramme.level_code.is_(None),
            TrainingProgramme.level_code.in_(select(taught.c.level_code)),
        ),
        or_(TrainingProgramme.target_cycle.is_(None), TrainingProgramme.target_cycle.in_(cycles)),
    )


def audience_fits(user_id: Any, role: Role) -> ColumnElement[bool]:
    """The programme's audience includes this staff member (a condition on the programme;
    `user_id` may be a column, for a list of people)."""
    if role is Role.TEACHER:
        return _teacher_fits(user_id)
    if role is Role.SCHOOL_STAFF:
        return TrainingProgramme.audience == TrainingAudience.SCHOOL_STAFF
    return false()


# ---- programmes -----------------------------------------------------------------------------


def _programmes() -> Rows:
    sessions = (
        select(func.count())
        .where(TrainingSession.programme_id == TrainingProgramme.id)
        .scalar_subquery()
    )
    return select(TrainingProgramme, Subject.code, sessions.label("sessions")).outerjoin(
        Subject, Subject.id == TrainingProgramme.subject_id
    )


def _programme_out(row: Any) -> ProgrammeOut:
    programme: TrainingProgramme = row[0]
    return ProgrammeOut.of(programme, subject_code=row.code, sessions=row.sessions)


async def _check_targets(session: AsyncSession, new: ProgrammeIn) -> None:
    if new.subject_id is not None and await session.get(Subject, new.subject_id) is None:
        raise invalid("body.subject_id", "unknown subject", "unknown_subject")
    if new.level_code is not None and await session.get(SchoolLevel, new.level_code) is None:
        raise invalid("body.level_code", "unknown level", "unknown_level")


async def create_programme(
    session: AsyncSession, principal: Principal, new: ProgrammeIn
) -> ProgrammeOut:
    """A programme owned by the caller's directorate, academy or the ministry."""
    await _check_targets(session, new)
    programme = TrainingProgramme(
        **owner_place(principal),
        created_by=principal.user_id,
        **new.model_dump(),
    )
    session.add(programme)
    await session.flush()
    return await get_programme(session, principal, programme.id)


async def get_programme(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID
) -> ProgrammeOut:
    """A programme of the caller's part of the tree (404 otherwise)."""
    row = await found_row(
        session,
        _programmes().where(
            TrainingProgramme.id == programme_id, owned_within(principal, TrainingProgramme)
        ),
    )
    return _programme_out(row)


async def list_programmes(
    session: AsyncSession,
    principal: Principal,
    audience: TrainingAudience | None,
    page: PageRequest,
) -> Page[ProgrammeOut]:
    """Programmes organised in the caller's part of the tree, newest first."""
    statement = where_given(
        _programmes().where(owned_within(principal, TrainingProgramme)),
        {TrainingProgramme.audience: audience},
    )
    keys = (TrainingProgramme.created_at, TrainingProgramme.id)
    return await page_of(session, statement, keys, page, _programme_out, descending=True)


async def _own_programme(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID
) -> TrainingProgramme:
    return await managed(
        session, principal, TrainingProgramme, TrainingProgramme.id == programme_id
    )


async def update_programme(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID, patch: ProgrammePatch
) -> ProgrammeOut:
    """Change the theme or description of a programme the caller's unit owns."""
    programme = await _own_programme(session, principal, programme_id)
    patch.apply_to(programme)
    await session.flush()
    return await get_programme(session, principal, programme.id)


async def delete_programme(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID
) -> None:
    """Remove a programme that has no session left (409 otherwise)."""
    programme = await _own_programme(session, principal, programme_id)
    if await session.scalar(
        select(TrainingSession.id).where(TrainingSession.programme_id == programme.id).limit(1)
    ):
        raise Conflict("trainings.programme_has_sessions")
    await session.delete(programme)
    await session.flush()


# ---- sessions -------------------------------------------------------------------------------


def session_rows() -> Rows:
    """Sessions with their programme and their places taken and asked for."""

    def count(*statuses: RegistrationStatus) -> Any:
        return (
            select(func.count())
            .where(
                TrainingRegistration.session_id == TrainingSession.id,
                TrainingRegistration.status.in_(statuses),
            )
            .correlate(TrainingSession)
            .scalar_subquery()
        )

    return select(
        TrainingSession,
        TrainingProgramme.theme,
        TrainingProgramme.audience,
        TrainingProgramme.owner_level,
        count(*TAKEN).label("approved"),
        count(RegistrationStatus.REQUESTED).label("requested"),
    ).join(TrainingProgramme, TrainingProgramme.id == TrainingSession.programme_id)


def days_of(training: TrainingSession) -> int:
    """Training days of a session: every date from its start to its end."""
    return (training.ends_on - training.starts_on).days + 1


def session_out(row: Any) -> SessionOut:
    training: TrainingSession = row[0]
    return SessionOut.of(
        training,
        theme=row.theme,
        audience=row.audience,
        owner_level=row.owner_level,
        days=days_of(training),
        approved=row.approved,
        requested=row.requested,
        fill_rate=_ratio(row.approved, training.capacity),
    )


async def page_sessions(
    session: AsyncSession, statement: Rows, page: PageRequest
) -> Page[SessionOut]:
    """One page of sessions, soonest first."""
    keys = (TrainingSession.starts_on, TrainingSession.id)
    return await page_of(session, statement, keys, page, session_out)


async def create_session(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID, new: SessionIn
) -> SessionOut:
    """A session of a programme the caller's unit owns."""
    programme = await _own_programme(session, principal, programme_id)
    training = TrainingSession(programme_id=programme.id, **new.model_dump())
    session.add(training)
    await session.flush()
    return await get_session(session, principal, training.id)


async def get_session(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID
) -> SessionOut:
    """A session organised in the caller's part of the tree (404 otherwise)."""
    row = await found_row(
        session,
        session_rows().where(
            TrainingSession.id == session_id, owned_within(principal, TrainingProgramme)
        ),
    )
    return session_out(row)


async def list_sessions(
    session: AsyncSession,
    principal: Principal,
    programme_id: uuid.UUID | None,
    page: PageRequest,
) -> Page[SessionOut]:
    """Sessions organised in the caller's part of the tree, with their fill rates."""
    statement = where_given(
        session_rows().where(owned_within(principal, TrainingProgramme)),
        {TrainingSession.programme_id: programme_id},
    )
    return await page_sessions(session, statement, page)


async def _open_sessions(
    session: AsyncSession,
    principal: Principal,
    fits: ColumnElement[bool],
    page: PageRequest,
) -> Page[SessionOut]:
    """Sessions not started yet, organised at or above the caller's place, for `fits`."""
    statement = session_rows().where(
        owned_above(principal, TrainingProgramme), TrainingSession.starts_on >= school_today(), fits
    )
    return await page_sessions(session, statement, page)


async def teacher_sessions(
    session: AsyncSession, principal: Principal, page: PageRequest
) -> Page[SessionOut]:
    """Open sessions that reach the teacher and whose audience includes them."""
    fits = audience_fits(principal.user_id, Role.TEACHER)
    return await _open_sessions(session, principal, fits, page)


async def school_sessions(
    session: AsyncSession,
    principal: Principal,
    audience: TrainingAudience | None,
    page: PageRequest,
) -> Page[SessionOut]:
    """Open sessions that reach the caller's school, for one audience or all."""
    fits = true() if audience is None else TrainingProgramme.audience == audience
    return await _open_sessions(session, principal, fits, page)


async def own_session(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID
) -> TrainingSession:
    """A session the caller's unit organises, its row locked (404 otherwise)."""
    return found(
        await session.scalar(
            select(TrainingSession)
            .join(TrainingProgramme, TrainingProgramme.id == TrainingSession.programme_id)
            .where(TrainingSession.id == session_id, owned_by(principal, TrainingProgramme))
            .with_for_update(of=TrainingSession)
        )
    )


async def taken_places(session: AsyncSession, session_id: uuid.UUID) -> int:
    """Approved and completed registrations of a session."""
    taken = await session.scalar(
        select(func.count()).where(
            TrainingRegistration.session_id == session_id, TrainingRegistration.status.in_(TAKEN)
        )
    )
    return taken or 0


async def update_session(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID, patch: SessionPatch
) -> SessionOut:
    """Change a session; its capacity never drops below the places already taken, and its
    dates stay fixed once attendance is recorded."""
    training = await own_session(session, principal, session_id)
    changes = patch.changes()
    starts_on = changes.get("starts_on", training.starts_on)
    if changes.get("ends_on", training.ends_on) < starts_on:
        raise invalid("body.ends_on", "ends_on cannot be before starts_on", "dates_ordered")
    if changes.get("capacity", training.capacity) < await taken_places(session, training.id):
        raise Conflict("trainings.capacity_below_approved")
    moved = {"starts_on", "ends_on"} & changes.keys()
    if moved and await _has_attendance(session, training.id):
        raise Conflict("trainings.session_has_attendance")
    patch.apply_to(training)
    await session.flush()
    return await get_session(session, principal, training.id)


async def _has_attendance(session: AsyncSession, session_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(TrainingAttendance.id)
        .join(
            TrainingRegistration,
            and_(
                TrainingRegistration.id == TrainingAttendance.registration_id,
                TrainingRegistration.school_id == TrainingAttendance.school_id,
            ),
        )
        .where(TrainingRegistration.session_id == session_id)
        .limit(1)
    )
    return found is not None


async def delete_session(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID
) -> None:
    """Remove a session nobody has registered for (409 otherwise)."""
    training = await own_session(session, principal, session_id)
    if await session.scalar(
        select(TrainingRegistration.id)
        .where(TrainingRegistration.session_id == training.id)
        .limit(1)
    ):
        raise Conflict("trainings.session_has_registrations")
    await session.delete(training)
    await session.flush()


# ---- hours per staff member and the steering figure -----------------------------------------


async def staff_hours(
    session: AsyncSession,
    principal: Principal,
    school_id: uuid.UUID | None,
    page: PageRequest,
) -> Page[StaffHoursOut]:
    """Hours of training completed by each staff member of the caller's schools (whoever
    organised it), by name."""
    present_hours = func.sum(TrainingSession.hours_per_day).filter(
        TrainingAttendance.present.is_(True)
    )
    statement = (
        select(
            User.id,
            User.first_name,
            User.last_name,
            User.role,
            TrainingRegistration.school_id,
            func.count(TrainingRegistration.id.distinct()).label("registrations"),
            func.count(TrainingRegistration.id.distinct())
            .filter(TrainingRegistration.status == RegistrationStatus.COMPLETED)
            .label("completed"),
            func.coalesce(present_hours, 0).label("hours"),
        )
        .select_from(TrainingRegistration)
        .join(User, User.id == TrainingRegistration.user_id)
        .join(TrainingSession, TrainingSession.id == TrainingRegistration.session_id)
        .outerjoin(
            TrainingAttendance,
            and_(
                TrainingAttendance.registration_id == TrainingRegistration.id,
                TrainingAttendance.school_id == TrainingRegistration.school_id,
            ),
        )
        .where(
            school_scope(principal, TrainingRegistration.school_id),
            TrainingRegistration.status.in_(TAKEN),
        )
        .group_by(User.id, TrainingRegistration.school_id)
    )
    statement = where_given(statement, {TrainingRegistration.school_id: school_id})
    return await page_of(session, statement, (User.last_name, User.id), page, _staff_hours_out)


def _staff_hours_out(row: Any) -> StaffHoursOut:
    return StaffHoursOut.of(
        row, user_id=row.id, name=f"{row.first_name} {row.last_name}", hours_completed=row.hours
    )


async def steering_figure(session: AsyncSession, unit: UnitOut) -> TrainingFigures:
    """Sessions organised within the unit that start this school year: places, approved
    registrations, fill rate and hours completed, in one statement."""
    sessions = (
        select(TrainingSession.id, TrainingSession.capacity, TrainingSession.hours_per_day)
        .join(TrainingProgramme, TrainingProgramme.id == TrainingSession.programme_id)
        .join(
            SchoolYear,
            and_(
                SchoolYear.is_current,
                TrainingSession.starts_on.between(SchoolYear.starts_on, SchoolYear.ends_on),
            ),
        )
        .where(unit_within(TrainingProgramme, Level(unit.level.value), unit.id))
        .cte("unit_sessions")
    )
    approved = (
        select(func.count())
        .select_from(TrainingRegistration)
        .join(sessions, sessions.c.id == TrainingRegistration.session_id)
        .where(TrainingRegistration.status.in_(TAKEN))
        .scalar_subquery()
    )
    hours = (
        select(func.coalesce(func.sum(sessions.c.hours_per_day), 0))
        .select_from(TrainingAttendance)
        .join(
            TrainingRegistration,
            and_(
                TrainingRegistration.id == TrainingAttendance.registration_id,
                TrainingRegistration.school_id == TrainingAttendance.school_id,
            ),
        )
        .join(sessions, sessions.c.id == TrainingRegistration.session_id)
        .where(TrainingAttendance.present.is_(True))
        .scalar_subquery()
    )
    row = (
        await session.execute(
            select(
                func.count().label("sessions"),
                func.coalesce(func.sum(sessions.c.capacity), 0).label("places"),
                approved.label("approved"),
                hours.label("hours"),
            ).select_from(sessions)
        )
    ).one()
    return TrainingFigures.of(
        row, fill_rate=rate(row.approved, row.places), hours_completed=row.hours
    )
