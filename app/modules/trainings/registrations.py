"""Continuous training, the registrations: a staff member registers for a session that
reaches them (or their director registers them), the organiser approves within the session's
capacity or refuses, records attendance per training day, and issues the completion
certificate. Every function applies the caller's scope in its SQL."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.accounts.models import User
from app.core.bulk import upsert
from app.core.listing import found, found_row, page_of, where_given
from app.core.ownership import owned_above, owned_by, owned_within
from app.core.pagination import PageRequest
from app.core.roles import Role
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.core.workflow import Workflow, move
from app.errors import Conflict, InvalidInput, ProblemError, field_error, invalid
from app.messaging.models import NotificationCategory
from app.messaging.notifications import NotificationTexts, notify
from app.modules.trainings.models import RegistrationStatus as Status
from app.modules.trainings.models import (
    TrainingAttendance,
    TrainingProgramme,
    TrainingRegistration,
    TrainingSession,
)
from app.modules.trainings.programmes import (
    audience_fits,
    days_of,
    own_session,
    required_days,
    taken_places,
)
from app.modules.trainings.schemas import (
    AttendanceDayOut,
    PersonOut,
    RegistrationOut,
    SessionRef,
    TrainingAttendanceIn,
    TrainingAttendanceRowOut,
)

FLOW: Workflow[Status] = Workflow(
    {
        "approve": move(Status.REQUESTED, Status.APPROVED),
        "refuse": move(Status.REQUESTED, Status.REFUSED),
        "cancel": move({Status.REQUESTED, Status.APPROVED}, Status.CANCELLED),
        "complete": move(Status.APPROVED, Status.COMPLETED),
    }
)


@dataclass(frozen=True, slots=True)
class Registrant:
    """The staff member a registration is for."""

    id: uuid.UUID
    role: Role
    school_id: uuid.UUID


# ---- reading --------------------------------------------------------------------------------


def _rows() -> Select[*tuple[Any, ...]]:
    attended = (
        select(func.count())
        .where(
            TrainingAttendance.registration_id == TrainingRegistration.id,
            TrainingAttendance.school_id == TrainingRegistration.school_id,
            TrainingAttendance.present.is_(True),
        )
        .correlate(TrainingRegistration)
        .scalar_subquery()
    )
    return (
        select(
            TrainingRegistration,
            TrainingSession,
            TrainingProgramme.theme,
            User.first_name,
            User.last_name,
            User.role,
            attended.label("days"),
        )
        .join(TrainingSession, TrainingSession.id == TrainingRegistration.session_id)
        .join(TrainingProgramme, TrainingProgramme.id == TrainingSession.programme_id)
        .join(User, User.id == TrainingRegistration.user_id)
    )


def _out(row: Any) -> RegistrationOut:
    registration, training = row[0], row[1]
    return RegistrationOut(
        id=registration.id,
        session=SessionRef.of(training, theme=row.theme, days=days_of(training)),
        person=PersonOut(
            id=registration.user_id,
            name=f"{row.first_name} {row.last_name}",
            role=row.role,
            school_id=registration.school_id,
        ),
        status=registration.status,
        actions=FLOW.actions(registration.status),
        attended_days=row.days,
        hours_completed=row.days * training.hours_per_day,
        refusal_reason=registration.refusal_reason,
        completed_on=registration.completed_on,
        requested_at=registration.created_at,
        decided_at=registration.decided_at,
    )


async def _get(session: AsyncSession, registration_id: uuid.UUID) -> RegistrationOut:
    return _out(
        (await session.execute(_rows().where(TrainingRegistration.id == registration_id))).one()
    )


async def _page(
    session: AsyncSession,
    scope: ColumnElement[bool],
    filters: dict[Any, Any],
    page: PageRequest,
) -> Page[RegistrationOut]:
    """One page of the registrations in `scope`, newest first."""
    statement = where_given(_rows().where(scope), filters)
    keys = (TrainingRegistration.created_at, TrainingRegistration.id)
    return await page_of(session, statement, keys, page, _out, descending=True)


def mine(principal: Principal) -> ColumnElement[bool]:
    """The caller's own registrations."""
    return TrainingRegistration.user_id == principal.user_id


def of_my_school(principal: Principal) -> ColumnElement[bool]:
    """Registrations of the staff of the caller's school."""
    return TrainingRegistration.school_id == principal.school_id


async def my_registrations(
    session: AsyncSession, principal: Principal, page: PageRequest
) -> Page[RegistrationOut]:
    """The caller's own registrations."""
    return await _page(session, mine(principal), {}, page)


async def school_registrations(
    session: AsyncSession,
    principal: Principal,
    session_id: uuid.UUID | None,
    user_id: uuid.UUID | None,
    status: Status | None,
    page: PageRequest,
) -> Page[RegistrationOut]:
    """Registrations of the staff of the caller's school, optionally filtered."""
    filters = {
        TrainingRegistration.session_id: session_id,
        TrainingRegistration.user_id: user_id,
        TrainingRegistration.status: status,
    }
    return await _page(session, of_my_school(principal), filters, page)


async def session_registrations(
    session: AsyncSession,
    principal: Principal,
    session_id: uuid.UUID,
    status: Status | None,
    page: PageRequest,
) -> Page[RegistrationOut]:
    """Registrations of a session organised in the caller's part of the tree (404 for a
    session outside it)."""
    await _session_within(session, principal, session_id)
    scope = TrainingRegistration.session_id == session_id
    filters = {TrainingRegistration.status: status}
    return await _page(session, scope, filters, page)


async def _session_within(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID
) -> None:
    found(
        await session.scalar(
            select(TrainingSession.id)
            .join(TrainingProgramme, TrainingProgramme.id == TrainingSession.programme_id)
            .where(TrainingSession.id == session_id, owned_within(principal, TrainingProgramme))
        )
    )


# ---- registering and cancelling -------------------------------------------------------------


async def school_registrant(
    session: AsyncSession, principal: Principal, user_id: uuid.UUID
) -> Registrant:
    """An active teacher or staff member of the director's school (422 otherwise)."""
    row = (
        await session.execute(
            select(User.id, User.role, User.school_id).where(
                User.id == user_id,
                User.school_id == principal.school_id,
                User.is_active,
                User.role.in_((Role.TEACHER, Role.SCHOOL_STAFF)),
            )
        )
    ).one_or_none()
    if row is None:
        raise invalid(
            "body.user_id", "not a teacher or staff member of your school", "unknown_staff"
        )
    return Registrant(row.id, row.role, row.school_id)


def self_registrant(principal: Principal) -> Registrant:
    """The caller, registering themselves."""
    assert principal.school_id is not None  # teachers and school staff sit in a school
    return Registrant(principal.user_id, principal.role, principal.school_id)


async def register(
    session: AsyncSession,
    principal: Principal,
    session_id: uuid.UUID,
    person: Registrant,
    field: str,
) -> RegistrationOut:
    """Ask for a place in a session that reaches the person's school and whose audience
    includes them; a cancelled registration is asked for again."""
    row = await found_row(
        session,
        select(TrainingSession.starts_on, audience_fits(person.id, person.role).label("fits"))
        .join(TrainingProgramme, TrainingProgramme.id == TrainingSession.programme_id)
        .where(TrainingSession.id == session_id, owned_above(principal, TrainingProgramme)),
    )
    if not row.fits:
        raise invalid(
            field, "the session's audience does not include this person", "audience_mismatch"
        )
    if row.starts_on < school_today():
        raise Conflict("trainings.session_closed")
    registration = await session.scalar(
        select(TrainingRegistration)
        .where(
            TrainingRegistration.school_id == person.school_id,
            TrainingRegistration.session_id == session_id,
            TrainingRegistration.user_id == person.id,
        )
        .with_for_update()
    )
    if registration is None:
        registration = TrainingRegistration(
            school_id=person.school_id,
            session_id=session_id,
            user_id=person.id,
            status=Status.REQUESTED,
            requested_by=principal.user_id,
        )
        session.add(registration)
    elif registration.status is Status.CANCELLED:
        registration.status, registration.requested_by = Status.REQUESTED, principal.user_id
        registration.decided_by = registration.decided_at = None
    else:
        raise Conflict("trainings.already_registered")
    await session.flush()
    return await _get(session, registration.id)


async def cancel(
    session: AsyncSession,
    principal: Principal,
    registration_id: uuid.UUID,
    scope: ColumnElement[bool],
) -> RegistrationOut:
    """Withdraw a requested or approved registration (the person, or their director)."""
    registration = found(
        await session.scalar(
            select(TrainingRegistration)
            .where(TrainingRegistration.id == registration_id, scope)
            .with_for_update()
        )
    )
    registration.status = FLOW.next(registration.status, "cancel")
    await session.flush()
    return await _get(session, registration.id)


# ---- the organiser's decisions --------------------------------------------------------------


async def _organised(
    session: AsyncSession, principal: Principal, registration_id: uuid.UUID
) -> TrainingRegistration:
    """A registration for a session the caller's unit organises, locked with its session
    (session first, so that approvals of one session queue on one row)."""
    session_id = found(
        await session.scalar(
            select(TrainingRegistration.session_id)
            .join(TrainingSession, TrainingSession.id == TrainingRegistration.session_id)
            .join(TrainingProgramme, TrainingProgramme.id == TrainingSession.programme_id)
            .where(
                TrainingRegistration.id == registration_id, owned_by(principal, TrainingProgramme)
            )
        )
    )
    await own_session(session, principal, session_id)
    return await session.get_one(TrainingRegistration, registration_id, with_for_update=True)


async def approve(
    session: AsyncSession, principal: Principal, registration_id: uuid.UUID
) -> RegistrationOut:
    """Give a requested registration a place; 409 when the session is full."""
    registration = await _organised(session, principal, registration_id)
    status = FLOW.next(registration.status, "approve")
    training = await session.get_one(TrainingSession, registration.session_id)
    if await taken_places(session, training.id) >= training.capacity:
        raise ProblemError(
            409,
            "trainings.session_full",
            kind="session-full",
            extensions={"capacity": training.capacity},
        )
    return await _decide(session, principal, registration, status)


async def refuse(
    session: AsyncSession, principal: Principal, registration_id: uuid.UUID, reason: str
) -> RegistrationOut:
    """Refuse a requested registration, saying why."""
    registration = await _organised(session, principal, registration_id)
    status = FLOW.next(registration.status, "refuse")
    registration.refusal_reason = reason
    return await _decide(session, principal, registration, status)


async def _decide(
    session: AsyncSession, principal: Principal, registration: TrainingRegistration, status: Status
) -> RegistrationOut:
    registration.status = status
    registration.decided_by, registration.decided_at = principal.user_id, datetime.now(UTC)
    await session.flush()
    out = await _get(session, registration.id)
    await _tell(session, registration, out)
    return out


async def complete(
    session: AsyncSession, principal: Principal, registration_id: uuid.UUID, on: date | None
) -> RegistrationOut:
    """Issue the completion certificate: the session is over and the registrant attended
    enough days (see `trainings.COMPLETION_SHARE`)."""
    registration = await _organised(session, principal, registration_id)
    status = FLOW.next(registration.status, "complete")
    training = await session.get_one(TrainingSession, registration.session_id)
    on = on or school_today()
    if on < training.ends_on:
        raise invalid(
            "body.completed_on", "the session is not over on this date", "session_not_over"
        )
    attended = await session.scalar(
        select(func.count()).where(
            TrainingAttendance.registration_id == registration.id,
            TrainingAttendance.school_id == registration.school_id,
            TrainingAttendance.present.is_(True),
        )
    )
    needed = required_days(days_of(training))
    if (attended or 0) < needed:
        raise ProblemError(
            409,
            "trainings.attendance_short",
            kind="attendance-short",
            extensions={"attended_days": attended or 0, "required_days": needed},
        )
    registration.status, registration.completed_on = status, on
    registration.completed_by = principal.user_id
    await session.flush()
    out = await _get(session, registration.id)
    await _tell(session, registration, out)
    return out


_NEWS = {
    Status.APPROVED: ("Inscription acceptée", "تم قبول التسجيل", "est acceptée", "تم قبول"),
    Status.REFUSED: ("Inscription refusée", "تم رفض التسجيل", "est refusée", "تم رفض"),
    Status.COMPLETED: ("Formation validée", "تم إثبات التكوين", "est validée", "تم إثبات"),
}


async def _tell(
    session: AsyncSession, registration: TrainingRegistration, out: RegistrationOut
) -> None:
    """Tell the registrant (and whoever registered them) about the organiser's decision."""
    title_fr, title_ar, verb_fr, verb_ar = _NEWS[registration.status]
    theme = out.session.theme[:120]
    await notify(
        session,
        [registration.user_id, registration.requested_by],
        NotificationCategory.TRAININGS,
        NotificationTexts(
            title_ar=title_ar,
            title_fr=title_fr,
            body_ar=f"{verb_ar} تسجيلكم في التكوين: {theme} ({out.session.starts_on.isoformat()})",
            body_fr=(
                f"Votre inscription à la formation « {theme} » du "
                f"{out.session.starts_on.strftime('%d/%m/%Y')} {verb_fr}."
            ),
        ),
        {
            "registration_id": registration.id,
            "session_id": registration.session_id,
            "status": registration.status.value,
        },
    )


# ---- attendance -----------------------------------------------------------------------------


async def _day_rows(session: AsyncSession, session_id: uuid.UUID, day: date) -> AttendanceDayOut:
    rows = await session.execute(
        select(TrainingAttendance.registration_id, TrainingAttendance.present)
        .join(
            TrainingRegistration,
            and_(
                TrainingRegistration.id == TrainingAttendance.registration_id,
                TrainingRegistration.school_id == TrainingAttendance.school_id,
            ),
        )
        .where(TrainingRegistration.session_id == session_id, TrainingAttendance.day == day)
        .order_by(TrainingAttendance.registration_id)
    )
    return AttendanceDayOut(
        session_id=session_id,
        day=day,
        rows=[
            TrainingAttendanceRowOut(registration_id=r.registration_id, present=r.present)
            for r in rows
        ],
    )


async def attendance_day(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID, day: date
) -> AttendanceDayOut:
    """Who was present on a day of a session organised in the caller's part of the tree."""
    await _session_within(session, principal, session_id)
    return await _day_rows(session, session_id, day)


async def record_attendance(
    session: AsyncSession,
    principal: Principal,
    session_id: uuid.UUID,
    day: date,
    new: TrainingAttendanceIn,
) -> AttendanceDayOut:
    """Present or absent for approved registrations on one training day (not a future one):
    all rows or none, with a 422 naming each faulty row; a replay changes nothing."""
    training = await own_session(session, principal, session_id)
    if not training.starts_on <= day <= training.ends_on:
        raise invalid("path.day", "not a day of this session", "not_a_session_day")
    if day > school_today():
        raise invalid("path.day", "attendance cannot be recorded ahead", "future_day")
    schools = await _approved_schools(session, training.id, [r.registration_id for r in new.rows])
    errors = []
    seen: set[uuid.UUID] = set()
    for index, row in enumerate(new.rows):
        field = f"body.rows.{index}.registration_id"
        if row.registration_id in seen:
            errors.append(field_error(field, "listed twice", "duplicate"))
        elif row.registration_id not in schools:
            errors.append(
                field_error(field, "not an approved registration of this session", "not_approved")
            )
        seen.add(row.registration_id)
    if errors:
        raise InvalidInput(errors)
    values = [
        {
            "id": uuid.uuid4(),
            "school_id": schools[r.registration_id],
            "registration_id": r.registration_id,
            "day": day,
            "present": r.present,
            "recorded_by": principal.user_id,
        }
        for r in new.rows
    ]
    await session.execute(
        upsert(
            TrainingAttendance,
            values,
            key=("school_id", "registration_id", "day"),
            update=("present",),
        )
    )
    return await _day_rows(session, training.id, day)


async def _approved_schools(
    session: AsyncSession, session_id: uuid.UUID, registration_ids: list[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """The school of each named registration that is approved in this session."""
    rows = await session.execute(
        select(TrainingRegistration.id, TrainingRegistration.school_id).where(
            TrainingRegistration.session_id == session_id,
            TrainingRegistration.id.in_(registration_ids),
            TrainingRegistration.status == Status.APPROVED,
        )
    )
    return {r.id: r.school_id for r in rows}
