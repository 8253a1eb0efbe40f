"""School sport at the school: the rules (category by birth year, medical fitness), the
association sportive and its disciplines, and the module's steering figure. Licences are in
`sport_licences`, teams in `sport_teams`, competitions in `sport_competitions`.

Rules the school's own words need (documented in the API too):
- category: by the age the pupil reaches in the calendar year the season ends (year + 1):
  14 or less minimes, 15-16 cadets, 17 or more juniors (FRMSS's U15 / U17 / U19);
- medical fitness: the certificat médical counts when it is dated in the licence's school year
  (on or after 1 September of its starting year) and is less than 12 months old on the day
  that matters (today, or a competition's last day).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_year, school_today, year_start
from app.academics.models import Gender, Pupil
from app.accounts.models import User
from app.accounts.schemas import PupilRef
from app.core.listing import found, page_of
from app.core.ownership import unit_within
from app.core.pagination import PageRequest
from app.core.roles import Level, Role, StaffTitle
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error
from app.modules.sports.models import (
    SportAssociation,
    SportAssociationDiscipline,
    SportCategory,
    SportCompetition,
    SportDiscipline,
    SportFixture,
    SportLicence,
)
from app.modules.sports.schemas import (
    AssociationIn,
    AssociationOut,
    DisciplineOut,
    LicencesByGender,
    SportsFigures,
)
from app.organisation.models import School
from app.organisation.schemas import UnitOut
from app.organisation.scopes import school_scope
from app.organisation.units import in_unit

CATEGORY_ORDER = (SportCategory.MINIMES, SportCategory.CADETS, SportCategory.JUNIORS)


# ---- the rules -------------------------------------------------------------------------------


def category_for(birth_date: date, school_year: int) -> SportCategory:
    """The pupil's category for a season, from the birth year alone."""
    age = school_year + 1 - birth_date.year
    if age <= 14:
        return SportCategory.MINIMES
    if age <= 16:
        return SportCategory.CADETS
    return SportCategory.JUNIORS


def year_before(day: date) -> date:
    """The same day a year earlier (28 February for a 29th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def medical_valid_until(certificate_on: date | None, year_starts_on: date) -> date | None:
    """The last day the certificate counts for a licence of the school year that starts on
    `year_starts_on`, if it ever does: it must date from the year."""
    if certificate_on is None or certificate_on < year_starts_on:
        return None
    try:
        anniversary = certificate_on.replace(year=certificate_on.year + 1)
    except ValueError:
        anniversary = date(certificate_on.year + 1, 3, 1)
    return anniversary - timedelta(days=1)


def medically_fit(day: date) -> ColumnElement[bool]:
    """The licence's certificate counts on `day` (the same rule as `medical_valid_until`)."""
    certificate = SportLicence.medical_certificate_on
    return and_(
        certificate.is_not(None),
        certificate >= year_start(SportLicence.school_year),
        certificate > year_before(day),
        certificate <= day,
    )


# ---- disciplines and the association ---------------------------------------------------------


async def disciplines(session: AsyncSession, page: PageRequest) -> Page[DisciplineOut]:
    """The reference list of school-sport disciplines."""
    keys = (SportDiscipline.code, SportDiscipline.id)
    return await page_of(
        session, select(SportDiscipline), keys, page, lambda r: DisciplineOut.model_validate(r[0])
    )


async def discipline_ids(session: AsyncSession, codes: Sequence[str]) -> dict[str, uuid.UUID]:
    """Known discipline codes and their ids."""
    rows = await session.execute(
        select(SportDiscipline.code, SportDiscipline.id).where(SportDiscipline.code.in_(codes))
    )
    return {r[0]: r[1] for r in rows}


async def association(session: AsyncSession, principal: Principal) -> AssociationOut:
    """The caller's school's association (404 before it is founded)."""
    return await _association_out(session, await _own_association(session, principal))


async def _own_association(
    session: AsyncSession, principal: Principal, *, lock: bool = False
) -> SportAssociation:
    statement = select(SportAssociation).where(
        school_scope(principal, SportAssociation.school_id),
        SportAssociation.school_id == principal.school_id,
    )
    return found(await session.scalar(statement.with_for_update() if lock else statement))


async def require_coordinator(session: AsyncSession, principal: Principal) -> None:
    """403 unless the caller coordinates their school's association (the teacher face)."""
    coordinator = await session.scalar(
        select(SportAssociation.id).where(
            SportAssociation.school_id == principal.school_id,
            SportAssociation.coordinator_id == principal.user_id,
        )
    )
    if coordinator is None:
        raise Forbidden("sports.not_coordinator")


async def required_association(
    session: AsyncSession, principal: Principal, *, lock: bool = False
) -> SportAssociation:
    """The association, which licences and teams need (409 before it is founded)."""
    try:
        return await _own_association(session, principal, lock=lock)
    except NotFound:
        raise Conflict("sports.no_association") from None


async def save_association(
    session: AsyncSession, principal: Principal, new: AssociationIn
) -> AssociationOut:
    """Found or update the association; its president is always the school's director."""
    president = await session.scalar(
        select(User.id).where(
            User.school_id == principal.school_id,
            User.role == Role.SCHOOL_STAFF,
            User.title == StaffTitle.DIRECTOR,
            User.is_active,
        )
    )
    if president is None:
        raise Conflict("sports.no_director")
    codes = await discipline_ids(session, new.discipline_codes)
    errors = [
        field_error(f"body.discipline_codes.{i}", "unknown discipline", "unknown_discipline")
        for i, code in enumerate(new.discipline_codes)
        if code not in codes
    ]
    if not await _is_teacher_here(session, principal, new.coordinator_id):
        errors.append(
            field_error("body.coordinator_id", "not a teacher of your school", "unknown_teacher")
        )
    if errors:
        raise InvalidInput(errors)
    found = await session.scalar(
        select(SportAssociation)
        .where(SportAssociation.school_id == principal.school_id)
        .with_for_update()
    )
    if found is None:
        found = SportAssociation(school_id=principal.school_id)
        session.add(found)
    found.name, found.founded_on = new.name, new.founded_on
    found.president_id, found.coordinator_id = president, new.coordinator_id
    await session.flush()
    await _replace_disciplines(session, found, list(codes.values()))
    return await _association_out(session, found)


async def _is_teacher_here(
    session: AsyncSession, principal: Principal, coordinator_id: uuid.UUID | None
) -> bool:
    """No coordinator, or an active teacher of the caller's school."""
    if coordinator_id is None:
        return True
    teacher = await session.scalar(
        select(User.id).where(
            User.id == coordinator_id,
            User.school_id == principal.school_id,
            User.role == Role.TEACHER,
            User.is_active,
        )
    )
    return teacher is not None


async def _replace_disciplines(
    session: AsyncSession, found: SportAssociation, ids: list[uuid.UUID]
) -> None:
    await session.execute(
        delete(SportAssociationDiscipline).where(
            SportAssociationDiscipline.school_id == found.school_id
        )
    )
    await session.execute(
        insert(SportAssociationDiscipline),
        [
            {"school_id": found.school_id, "association_id": found.id, "discipline_id": d}
            for d in set(ids)
        ],
    )


async def _association_out(session: AsyncSession, found: SportAssociation) -> AssociationOut:
    people = dict(
        (
            await session.execute(
                select(User.id, func.concat(User.first_name, " ", User.last_name)).where(
                    User.id.in_([found.president_id, found.coordinator_id])
                )
            )
        ).all()
    )
    practised = await session.scalars(
        select(SportDiscipline)
        .join(SportAssociationDiscipline)
        .where(SportAssociationDiscipline.school_id == found.school_id)
        .order_by(SportDiscipline.code)
    )
    return AssociationOut.of(
        found,
        president_name=people[found.president_id],
        coordinator_name=people.get(found.coordinator_id) if found.coordinator_id else None,
        disciplines=[DisciplineOut.model_validate(d) for d in practised],
    )


async def practised_ids(session: AsyncSession, school_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """The codes and ids of the disciplines the school's association practises."""
    rows = await session.execute(
        select(SportDiscipline.code, SportDiscipline.id)
        .join(SportAssociationDiscipline)
        .where(SportAssociationDiscipline.school_id == school_id)
    )
    return {r[0]: r[1] for r in rows}


def pupil_ref(pupil: Pupil) -> PupilRef:
    return PupilRef.model_validate(pupil)


# ---- the steering figure ---------------------------------------------------------------------


async def steering_figure(session: AsyncSession, unit: UnitOut) -> SportsFigures:
    """Licences of this year (by gender, medically fit today), schools with an association,
    competitions organised in the unit this year and their fixtures played: three statements."""
    gender = Pupil.gender
    licences = (
        await session.execute(
            select(
                func.count().label("total"),
                func.count().filter(gender == Gender.MALE).label("male"),
                func.count().filter(gender == Gender.FEMALE).label("female"),
                func.count().filter(medically_fit(school_today())).label("fit"),
            )
            .select_from(SportLicence)
            .join(Pupil, Pupil.id == SportLicence.pupil_id)
            .join(School, School.id == SportLicence.school_id)
            .where(SportLicence.school_year == current_year(), in_unit(unit))
        )
    ).one()
    associations = await session.scalar(
        select(func.count())
        .select_from(SportAssociation)
        .join(School, School.id == SportAssociation.school_id)
        .where(in_unit(unit))
    )
    competitions = (
        await session.execute(
            select(
                func.count(SportCompetition.id.distinct()).label("competitions"),
                func.count(SportFixture.id)
                .filter(SportFixture.home_score.is_not(None))
                .label("played"),
            )
            .select_from(SportCompetition)
            .outerjoin(SportFixture, SportFixture.competition_id == SportCompetition.id)
            .where(
                SportCompetition.school_year == current_year(),
                unit_within(SportCompetition, Level(unit.level.value), unit.id),
            )
        )
    ).one()
    return SportsFigures(
        licences=licences.total,
        licences_by_gender=LicencesByGender(male=licences.male, female=licences.female),
        licences_medically_fit=licences.fit,
        schools_with_association=associations or 0,
        competitions=competitions.competitions,
        fixtures_played=competitions.played,
    )
