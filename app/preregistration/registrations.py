"""Pre-registrations: a parent asks for a place in 1AP for their child, the school accepts,
waitlists or refuses, and the parent is told.

The age rule: a child enters 1AP in the school year that starts in the calendar year they turn
six, so for year N (N/N+1, starting in September N) the child is born in N - 6, i.e. six years
old by 31 December N at the latest and not yet six on 1 January N. (The ministry's rule, not in
the domain notes; it lives here and nowhere else.)"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil
from app.accounts.models import User
from app.core.listing import found, page_of, where_given
from app.core.pagination import PageRequest
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.core.workflow import Workflow, move
from app.errors import Conflict, NotFound, ProblemError, invalid
from app.messaging.models import NotificationCategory
from app.messaging.notifications import NotificationTexts, notify
from app.organisation.models import Cycle, School
from app.organisation.scopes import school_scope
from app.preregistration.models import (
    Preregistration,
    PreregistrationStatus,
    RegistrationOpening,
    Signup,
)
from app.preregistration.openings import next_school_year, taking_registrations
from app.preregistration.schemas import (
    PreregistrationDecision,
    PreregistrationDecisionIn,
    PreregistrationIn,
    PreregistrationOut,
    SchoolPreregistrationOut,
)

ENTRY_AGE = 6
Status = PreregistrationStatus
DECISIONS: Workflow[PreregistrationStatus] = Workflow(
    {
        PreregistrationDecision.ACCEPT: move({Status.PENDING, Status.WAITLISTED}, Status.ACCEPTED),
        PreregistrationDecision.WAITLIST: move(Status.PENDING, Status.WAITLISTED),
        PreregistrationDecision.REFUSE: move(
            {Status.PENDING, Status.WAITLISTED, Status.ACCEPTED}, Status.REFUSED
        ),
    }
)


def of_age_for_1ap(birth_date: date, school_year: int) -> bool:
    """Whether a child born then enters 1AP in `school_year` (see the module's note)."""
    return birth_date.year == school_year - ENTRY_AGE


def _listed() -> Select[Preregistration, str, str, str]:
    """A pre-registration with its school's names and, once a pupil, the Massar code."""
    return (
        select(
            Preregistration,
            School.name_fr.label("school_name_fr"),
            School.name_ar.label("school_name_ar"),
            Pupil.massar_code,
        )
        .join(School, School.id == Preregistration.school_id)
        .outerjoin(Pupil, Pupil.id == Preregistration.pupil_id)
    )


def _out(row: Any) -> PreregistrationOut:
    return PreregistrationOut.of(
        row.Preregistration,
        school_name_fr=row.school_name_fr,
        school_name_ar=row.school_name_ar,
        massar_code=row.massar_code,
    )


async def preregister(
    session: AsyncSession, principal: Principal, new: PreregistrationIn
) -> PreregistrationOut:
    """Ask for a place in 1AP next year at a school that takes registrations."""
    year = await next_school_year(session)
    school = await session.scalar(
        select(School).where(
            School.id == new.school_id,
            School.is_active.is_(True),
            School.cycles.contains([Cycle.PRIMARY.value]),
        )
    )
    if school is None:
        raise NotFound()
    is_open = await session.scalar(
        select(RegistrationOpening.school_id).where(
            taking_registrations(year), School.id == school.id
        )
    )
    if is_open is None:
        raise ProblemError(409, "preregistration.registrations_closed", kind="registrations-closed")
    child = new.child
    if not of_age_for_1ap(child.birth_date, year):
        raise invalid(
            "child.birth_date",
            f"1AP in {year}/{year + 1} is for children born in {year - ENTRY_AGE}"
            f" (six years old by 31 December {year})",
            code="wrong-age",
        )
    if await _asked_already(session, principal, year, new):
        raise Conflict("preregistration.already_registered")
    registration = Preregistration(
        school_id=school.id,
        school_year=year,
        parent_id=principal.user_id,
        kinship=new.kinship,
        **child.model_dump(),
    )
    session.add(registration)
    await session.flush()
    return PreregistrationOut.of(
        registration, school_name_fr=school.name_fr, school_name_ar=school.name_ar, massar_code=None
    )


async def _asked_already(
    session: AsyncSession, principal: Principal, year: int, new: PreregistrationIn
) -> bool:
    existing = await session.scalar(
        select(Preregistration.id).where(
            Preregistration.parent_id == principal.user_id,
            Preregistration.school_year == year,
            Preregistration.birth_date == new.child.birth_date,
            Preregistration.first_name == new.child.first_name,
        )
    )
    return existing is not None


async def parent_preregistrations(
    session: AsyncSession, principal: Principal
) -> list[PreregistrationOut]:
    """The caller's own requests, newest first."""
    rows = await session.execute(
        _listed()
        .where(Preregistration.parent_id == principal.user_id)
        .order_by(Preregistration.created_at.desc(), Preregistration.id)
    )
    return [_out(row) for row in rows]


def _for_school(principal: Principal) -> Select[Any]:
    """The school's requests with the parent's names, login (their contact) and, for parents
    who signed up themselves, their CIN (the school checks it against the card)."""
    return (
        _listed()
        .add_columns(
            User.first_name.label("parent_first_name"),
            User.last_name.label("parent_last_name"),
            User.username.label("parent_contact"),
            Signup.cin.label("parent_cin"),
        )
        .join(User, User.id == Preregistration.parent_id)
        .outerjoin(Signup, Signup.user_id == Preregistration.parent_id)
        .where(school_scope(principal, Preregistration.school_id))
    )


def _school_out(row: Any) -> SchoolPreregistrationOut:
    registration: Preregistration = row.Preregistration
    return SchoolPreregistrationOut.of(
        registration,
        school_name_fr=row.school_name_fr,
        school_name_ar=row.school_name_ar,
        massar_code=row.massar_code,
        parent_first_name=row.parent_first_name,
        parent_last_name=row.parent_last_name,
        parent_contact=row.parent_contact,
        parent_cin=row.parent_cin,
        actions=DECISIONS.actions(registration.status),
    )


async def school_preregistrations(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    *,
    school_year: int | None,
    status: PreregistrationStatus | None,
) -> Page[SchoolPreregistrationOut]:
    """The school's requests for a year (next year unless named), oldest first."""
    year = school_year or await next_school_year(session)
    statement = where_given(
        _for_school(principal).where(Preregistration.school_year == year),
        {Preregistration.status: status},
    )
    return await page_of(
        session, statement, [Preregistration.created_at, Preregistration.id], page, _school_out
    )


async def decide(
    session: AsyncSession,
    principal: Principal,
    registration_id: uuid.UUID,
    decision: PreregistrationDecisionIn,
) -> SchoolPreregistrationOut:
    """Accept, waitlist or refuse a request of the caller's school; the parent is told."""
    row = (
        await session.execute(
            _for_school(principal)
            .where(Preregistration.id == registration_id)
            .with_for_update(of=Preregistration)
        )
    ).one_or_none()
    registration: Preregistration = found(row).Preregistration
    target = DECISIONS.next(registration.status, decision.decision)
    if target is Status.REFUSED and not decision.reason:
        raise invalid("reason", "a refusal says why", code="missing")
    registration.status = target
    registration.reason = decision.reason
    registration.decided_at = datetime.now(UTC)
    registration.decided_by = principal.user_id
    await session.flush()
    await notify(
        session,
        [registration.parent_id],
        NotificationCategory.PREREGISTRATION,
        _decision_texts(registration, row.school_name_fr, row.school_name_ar),
        {"preregistration_id": registration.id, "status": target.value},
    )
    return _school_out(row)


_DECIDED = {
    Status.ACCEPTED: ("تم قبول التسجيل القبلي", "Pré-inscription acceptée", "قُبل", "acceptée"),
    Status.WAITLISTED: (
        "التسجيل القبلي في لائحة الانتظار",
        "Pré-inscription en liste d'attente",
        "وُضع في لائحة الانتظار",
        "mise en liste d'attente",
    ),
    Status.REFUSED: ("تم رفض التسجيل القبلي", "Pré-inscription refusée", "رُفض", "refusée"),
}


def _decision_texts(
    registration: Preregistration, school_fr: str, school_ar: str
) -> NotificationTexts:
    title_ar, title_fr, verb_ar, verb_fr = _DECIDED[registration.status]
    reason = f" : {registration.reason}" if registration.reason else "."
    return NotificationTexts(
        title_ar=title_ar,
        title_fr=title_fr,
        body_ar=f"التسجيل القبلي لـ{registration.first_name_ar} في {school_ar} {verb_ar}"
        + (f": {registration.reason}" if registration.reason else "."),
        body_fr=f"La pré-inscription de {registration.first_name} à {school_fr} a été"
        f" {verb_fr}{reason}",
    )
