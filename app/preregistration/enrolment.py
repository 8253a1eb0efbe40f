"""The year opens: the school's accepted children become pupils, with a Massar code, placed in
a 1AP class of the year or left unplaced, and each parent's guardian link is created verified
(the school checked the parent when it accepted the request).

A run takes every accepted request of the school and year at once, under their row locks, and
reports each request: made a pupil now, or by an earlier run. A replay changes nothing."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Enrolment, Pupil, SchoolClass, SchoolYear
from app.academics.pupil_import import NAME_FIELDS
from app.core.security.principal import Principal
from app.errors import NotFound, ProblemError, invalid
from app.family.models import GuardianLink
from app.messaging.models import NotificationCategory
from app.messaging.notifications import NotificationTexts, notify
from app.organisation.models import School
from app.organisation.scopes import school_scope
from app.preregistration.massar_codes import new_pupil
from app.preregistration.models import Preregistration, PreregistrationStatus
from app.preregistration.openings import next_school_year
from app.preregistration.schemas import EnrolIn, EnrolmentReport, EnrolmentRow

FIRST_YEAR = "1AP"


async def enrol_accepted(
    session: AsyncSession, principal: Principal, request: EnrolIn
) -> EnrolmentReport:
    """Make the school's accepted children of the year pupils (see the module's note)."""
    year = request.school_year or await next_school_year(session)
    starts_on = await session.scalar(select(SchoolYear.starts_on).where(SchoolYear.year == year))
    if starts_on is None:
        raise ProblemError(409, "preregistration.year_not_open", kind="school-year-not-open")
    class_id = await _first_year_class(session, principal, request.class_id, year)
    registrations = await session.scalars(
        select(Preregistration)
        .where(
            school_scope(principal, Preregistration.school_id),
            Preregistration.school_year == year,
            Preregistration.status.in_(
                [PreregistrationStatus.ACCEPTED, PreregistrationStatus.ENROLLED]
            ),
        )
        .order_by(Preregistration.last_name, Preregistration.first_name, Preregistration.id)
        .with_for_update()
    )
    rows = []
    for registration in registrations.all():
        if registration.status is PreregistrationStatus.ENROLLED:
            rows.append(await _already(session, registration, year))
        else:
            rows.append(await _enrol(session, registration, class_id, starts_on))
    return EnrolmentReport(school_year=year, rows=rows)


async def _first_year_class(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID | None, year: int
) -> uuid.UUID | None:
    """The class asked for: the school's (404 otherwise), 1AP and of the year (422)."""
    if class_id is None:
        return None
    school_class = await session.scalar(
        select(SchoolClass).where(
            SchoolClass.id == class_id, school_scope(principal, SchoolClass.school_id)
        )
    )
    if school_class is None:
        raise NotFound()
    if school_class.level_code != FIRST_YEAR or school_class.school_year != year:
        raise invalid("class_id", f"a {FIRST_YEAR} class of {year}/{year + 1}")
    return school_class.id


async def _enrol(
    session: AsyncSession,
    registration: Preregistration,
    class_id: uuid.UUID | None,
    starts_on: date,
) -> EnrolmentRow:
    fields = {name: getattr(registration, name) for name in NAME_FIELDS}
    pupil_id, code = await new_pupil(session, school_id=registration.school_id, **fields)
    if class_id is not None:
        session.add(
            Enrolment(
                pupil_id=pupil_id,
                class_id=class_id,
                school_id=registration.school_id,
                school_year=registration.school_year,
                enrolled_on=starts_on,
            )
        )
    session.add(GuardianLink.verified(registration.parent_id, pupil_id, registration.kinship))
    registration.status = PreregistrationStatus.ENROLLED
    registration.pupil_id = pupil_id
    await session.flush()
    await _tell_parent(session, registration, code)
    return EnrolmentRow(
        preregistration_id=registration.id,
        pupil_id=pupil_id,
        massar_code=code,
        class_id=class_id,
        outcome="enrolled",
    )


async def _already(session: AsyncSession, registration: Preregistration, year: int) -> EnrolmentRow:
    assert registration.pupil_id is not None
    row = (
        await session.execute(
            select(Pupil.massar_code, Enrolment.class_id)
            .outerjoin(
                Enrolment,
                (Enrolment.pupil_id == Pupil.id)
                & (Enrolment.school_year == year)
                & Enrolment.left_on.is_(None),
            )
            .where(Pupil.id == registration.pupil_id)
        )
    ).one()
    return EnrolmentRow(
        preregistration_id=registration.id,
        pupil_id=registration.pupil_id,
        massar_code=row.massar_code,
        class_id=row.class_id,
        outcome="already",
    )


async def _tell_parent(session: AsyncSession, registration: Preregistration, code: str) -> None:
    school_fr, school_ar = (
        await session.execute(
            select(School.name_fr, School.name_ar).where(School.id == registration.school_id)
        )
    ).one()
    await notify(
        session,
        [registration.parent_id],
        NotificationCategory.PREREGISTRATION,
        NotificationTexts(
            title_ar="التسجيل في السنة الأولى ابتدائي",
            title_fr="Inscription en 1re année du primaire",
            body_ar=f"{registration.first_name_ar} تلميذ(ة) في {school_ar}، رمز مسار: {code}.",
            body_fr=f"{registration.first_name} est élève à {school_fr}, code Massar : {code}.",
        ),
        {"preregistration_id": registration.id, "pupil_id": registration.pupil_id},
    )
