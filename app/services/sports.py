"""School sport at the school: the association sportive, pupils' licences and teams; what a
pupil (or their parent) sees of it; and the module's steering figure.

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
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, insert, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error, invalid
from app.models.accounts import User
from app.models.classes import Pupil
from app.models.enums import Gender, Level, Role, StaffTitle
from app.models.organisation import School
from app.models.sports import (
    SportAssociation,
    SportAssociationDiscipline,
    SportCategory,
    SportCompetition,
    SportDiscipline,
    SportFixture,
    SportLicence,
    SportLicenceDiscipline,
    SportTeam,
    SportTeamMember,
)
from app.schemas.people import PupilRef
from app.schemas.sports import (
    AssociationIn,
    AssociationOut,
    DisciplineOut,
    LicenceIn,
    LicenceOut,
    LicencesByGender,
    LicencesOut,
    SportsFigures,
    TeamDetail,
    TeamIn,
    TeamMember,
    TeamOut,
)
from app.schemas.steering import UnitOut
from app.security.principal import Principal, school_scope, unit_within
from app.services.calendar import current_school_year, current_year, school_today
from app.services.listing import keyset_page, where_given
from app.services.steering_figures import in_unit

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


def medical_valid_until(certificate_on: date | None, school_year: int) -> date | None:
    """The last day the certificate counts for a licence of `school_year`, if it ever does."""
    if certificate_on is None or certificate_on < date(school_year, 9, 1):
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
        certificate >= func.make_date(SportLicence.school_year, 9, 1),
        certificate > year_before(day),
        certificate <= day,
    )


# ---- disciplines and the association ---------------------------------------------------------


async def disciplines(
    session: AsyncSession, *, limit: int, after: dict[str, Any] | None
) -> tuple[list[DisciplineOut], str | None]:
    """The reference list of school-sport disciplines."""
    rows, cursor = await keyset_page(
        session,
        select(SportDiscipline),
        (SportDiscipline.code, SportDiscipline.id),
        limit=limit,
        after=after,
    )
    return [DisciplineOut.model_validate(r[0]) for r in rows], cursor


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
    found = await session.scalar(statement.with_for_update() if lock else statement)
    if found is None:
        raise NotFound()
    return found


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
    return AssociationOut(
        id=found.id,
        school_id=found.school_id,
        name=found.name,
        founded_on=found.founded_on,
        president_id=found.president_id,
        president_name=people[found.president_id],
        coordinator_id=found.coordinator_id,
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


# ---- licences --------------------------------------------------------------------------------


def _licence_codes() -> Any:
    """The licence's discipline codes, sorted (every licence has at least one)."""
    return (
        select(func.array_agg(aggregate_order_by(SportDiscipline.code, SportDiscipline.code)))
        .join(SportLicenceDiscipline)
        .where(SportLicenceDiscipline.licence_id == SportLicence.id)
        .correlate(SportLicence)
        .scalar_subquery()
    )


def _licences(today: date) -> Select[*tuple[Any, ...]]:
    return select(
        SportLicence,
        Pupil,
        _licence_codes().label("codes"),
        medically_fit(today).label("fit"),
    ).join(Pupil, Pupil.id == SportLicence.pupil_id)


def pupil_ref(pupil: Pupil) -> PupilRef:
    return PupilRef.model_validate(pupil)


def _licence_out(row: Any) -> LicenceOut:
    licence, pupil = row.SportLicence, row.Pupil
    return LicenceOut(
        id=licence.id,
        number=licence.number,
        school_year=licence.school_year,
        pupil=pupil_ref(pupil),
        gender=pupil.gender,
        birth_date=pupil.birth_date,
        category=licence.category,
        discipline_codes=row.codes or [],
        medical_certificate_on=licence.medical_certificate_on,
        medically_fit=row.fit,
        medical_valid_until=medical_valid_until(
            licence.medical_certificate_on, licence.school_year
        ),
    )


async def list_licences(
    session: AsyncSession,
    principal: Principal,
    *,
    school_year: int | None,
    discipline_code: str | None,
    category: SportCategory | None,
    gender: Gender | None,
    limit: int,
    after: dict[str, Any] | None,
) -> tuple[list[LicenceOut], str | None]:
    """The school's licences of a year (this one by default), by licence number."""
    year = school_year or await current_school_year(session)
    statement = _licences(school_today()).where(
        school_scope(principal, SportLicence.school_id), SportLicence.school_year == year
    )
    statement = where_given(statement, {SportLicence.category: category, Pupil.gender: gender})
    if discipline_code is not None:
        statement = statement.where(
            exists()
            .where(
                SportLicenceDiscipline.licence_id == SportLicence.id,
                SportLicenceDiscipline.discipline_id == SportDiscipline.id,
                SportDiscipline.code == discipline_code,
            )
            .correlate(SportLicence)
        )
    rows, cursor = await keyset_page(
        session, statement, (SportLicence.number, SportLicence.id), limit=limit, after=after
    )
    return [_licence_out(r) for r in rows], cursor


async def licence(session: AsyncSession, principal: Principal, licence_id: uuid.UUID) -> LicenceOut:
    """One licence of the caller's school (404 for another school's)."""
    row = (
        await session.execute(
            _licences(school_today()).where(
                SportLicence.id == licence_id, school_scope(principal, SportLicence.school_id)
            )
        )
    ).one_or_none()
    if row is None:
        raise NotFound()
    return _licence_out(row)


async def save_licences(
    session: AsyncSession, principal: Principal, rows: Sequence[LicenceIn]
) -> LicencesOut:
    """Licence pupils for this school year, all rows or none: a pupil without a licence gets
    one (numbered here), a licensed pupil's disciplines and certificate are updated, and an
    identical row changes nothing, so a replayed request answers the same."""
    found = await required_association(session, principal, lock=True)  # numbers one at a time
    year = await current_school_year(session)
    practised = await practised_ids(session, found.school_id)
    pupils = {
        p.id: p
        for p in await session.scalars(
            select(Pupil).where(
                Pupil.id.in_([r.pupil_id for r in rows]), Pupil.school_id == found.school_id
            )
        )
    }
    _check_licence_rows(rows, pupils, practised)
    existing = await _existing_licences(session, found.school_id, year, list(pupils))
    changed: dict[uuid.UUID, set[uuid.UUID]] = {}
    created = updated = 0
    next_number = await _licence_count(session, found.school_id, year) + 1
    school_code = await session.scalar(select(School.code).where(School.id == found.school_id))
    for row in rows:
        wanted = {practised[c] for c in row.discipline_codes}
        current = existing.get(row.pupil_id)
        if current is None:
            licence = SportLicence(
                id=uuid.uuid4(),
                school_id=found.school_id,
                school_year=year,
                pupil_id=row.pupil_id,
                number=f"{year}-{school_code}-{next_number:04d}",
                category=category_for(pupils[row.pupil_id].birth_date, year),
                medical_certificate_on=row.medical_certificate_on,
            )
            session.add(licence)
            next_number += 1
            created += 1
            changed[licence.id] = wanted
            continue
        licence, held = current
        if held == wanted and licence.medical_certificate_on == row.medical_certificate_on:
            continue
        licence.medical_certificate_on = row.medical_certificate_on
        changed[licence.id] = wanted
        updated += 1
    await session.flush()
    await _replace_licence_disciplines(session, found.school_id, changed)
    outs = await _licences_of(session, found.school_id, year, [r.pupil_id for r in rows])
    return LicencesOut(
        created=created, updated=updated, unchanged=len(rows) - created - updated, licences=outs
    )


def _check_licence_rows(
    rows: Sequence[LicenceIn], pupils: dict[uuid.UUID, Pupil], practised: dict[str, uuid.UUID]
) -> None:
    """Every faulty row and field, at once."""
    errors, seen, today = [], set(), school_today()
    for i, row in enumerate(rows):
        where = f"body.licences.{i}"
        if row.pupil_id not in pupils:
            errors.append(
                field_error(f"{where}.pupil_id", "not a pupil of your school", "unknown_pupil")
            )
        elif row.pupil_id in seen:
            errors.append(field_error(f"{where}.pupil_id", "pupil listed twice", "duplicate"))
        seen.add(row.pupil_id)
        errors += [
            field_error(
                f"{where}.discipline_codes.{j}",
                "not a discipline of your association",
                "unknown_discipline",
            )
            for j, code in enumerate(row.discipline_codes)
            if code not in practised
        ]
        if row.medical_certificate_on is not None and row.medical_certificate_on > today:
            errors.append(
                field_error(f"{where}.medical_certificate_on", "date in the future", "future_date")
            )
    if errors:
        raise InvalidInput(errors)


async def _existing_licences(
    session: AsyncSession, school_id: uuid.UUID, year: int, pupil_ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[SportLicence, set[uuid.UUID]]]:
    licences = {
        lic.id: lic
        for lic in await session.scalars(
            select(SportLicence)
            .where(
                SportLicence.school_id == school_id,
                SportLicence.school_year == year,
                SportLicence.pupil_id.in_(pupil_ids),
            )
            .with_for_update()
        )
    }
    held: dict[uuid.UUID, set[uuid.UUID]] = {id_: set() for id_ in licences}
    for licence_id, discipline_id in await session.execute(
        select(SportLicenceDiscipline.licence_id, SportLicenceDiscipline.discipline_id).where(
            SportLicenceDiscipline.licence_id.in_(list(licences))
        )
    ):
        held[licence_id].add(discipline_id)
    return {lic.pupil_id: (lic, held[lic.id]) for lic in licences.values()}


async def _licence_count(session: AsyncSession, school_id: uuid.UUID, year: int) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(SportLicence)
        .where(SportLicence.school_id == school_id, SportLicence.school_year == year)
    )
    return count or 0


async def _replace_licence_disciplines(
    session: AsyncSession, school_id: uuid.UUID, changed: dict[uuid.UUID, set[uuid.UUID]]
) -> None:
    if not changed:
        return
    await session.execute(
        delete(SportLicenceDiscipline).where(
            SportLicenceDiscipline.school_id == school_id,
            SportLicenceDiscipline.licence_id.in_(list(changed)),
        )
    )
    await session.execute(
        insert(SportLicenceDiscipline),
        [
            {"school_id": school_id, "licence_id": licence_id, "discipline_id": d}
            for licence_id, wanted in changed.items()
            for d in wanted
        ],
    )


async def _licences_of(
    session: AsyncSession, school_id: uuid.UUID, year: int, pupil_ids: list[uuid.UUID]
) -> list[LicenceOut]:
    rows = await session.execute(
        _licences(school_today())
        .where(
            SportLicence.school_id == school_id,
            SportLicence.school_year == year,
            SportLicence.pupil_id.in_(pupil_ids),
        )
        .order_by(SportLicence.number)
    )
    return [_licence_out(r) for r in rows]


# ---- teams -----------------------------------------------------------------------------------


def _member_count() -> Any:
    return (
        select(func.count())
        .where(SportTeamMember.team_id == SportTeam.id)
        .correlate(SportTeam)
        .scalar_subquery()
    )


def teams_statement() -> Select[*tuple[Any, ...]]:
    """Teams with their school code, discipline code and member count."""
    return (
        select(
            SportTeam,
            School.code.label("school_code"),
            SportDiscipline.code.label("discipline_code"),
            _member_count().label("members"),
        )
        .join(School, School.id == SportTeam.school_id)
        .join(SportDiscipline, SportDiscipline.id == SportTeam.discipline_id)
    )


def team_out(row: Any) -> TeamOut:
    team = row.SportTeam
    return TeamOut(
        id=team.id,
        school_id=team.school_id,
        school_code=row.school_code,
        school_year=team.school_year,
        name=team.name,
        discipline_code=row.discipline_code,
        category=team.category,
        gender=team.gender,
        members=row.members,
    )


async def create_team(session: AsyncSession, principal: Principal, new: TeamIn) -> TeamDetail:
    """A team of this school year in a discipline the association practises."""
    found = await required_association(session, principal)
    discipline = (await practised_ids(session, found.school_id)).get(new.discipline_code)
    if discipline is None:
        raise invalid(
            "body.discipline_code", "not a discipline of your association", "unknown_discipline"
        )
    year = await current_school_year(session)
    duplicate = await session.scalar(
        select(SportTeam.id).where(
            SportTeam.school_id == found.school_id,
            SportTeam.school_year == year,
            SportTeam.discipline_id == discipline,
            SportTeam.category == new.category,
            SportTeam.gender == new.gender,
        )
    )
    if duplicate is not None:
        raise Conflict("sports.team_exists")
    team = SportTeam(
        school_id=found.school_id,
        school_year=year,
        discipline_id=discipline,
        category=new.category,
        gender=new.gender,
        name=new.name,
    )
    session.add(team)
    await session.flush()
    return await team_detail(session, principal, team.id)


async def list_teams(
    session: AsyncSession,
    principal: Principal,
    *,
    school_year: int | None,
    discipline_code: str | None,
    category: SportCategory | None,
    gender: Gender | None,
    limit: int,
    after: dict[str, Any] | None,
) -> tuple[list[TeamOut], str | None]:
    """The school's teams of a year (this one by default), by name."""
    year = school_year or await current_school_year(session)
    statement = teams_statement().where(
        school_scope(principal, SportTeam.school_id), SportTeam.school_year == year
    )
    statement = where_given(
        statement,
        {
            SportDiscipline.code: discipline_code,
            SportTeam.category: category,
            SportTeam.gender: gender,
        },
    )
    rows, cursor = await keyset_page(
        session, statement, (SportTeam.name, SportTeam.id), limit=limit, after=after
    )
    return [team_out(r) for r in rows], cursor


async def team_detail(
    session: AsyncSession, principal: Principal, team_id: uuid.UUID
) -> TeamDetail:
    """A team of the caller's school and its pupils (404 for another school's)."""
    row = (
        await session.execute(
            teams_statement().where(
                SportTeam.id == team_id, school_scope(principal, SportTeam.school_id)
            )
        )
    ).one_or_none()
    if row is None:
        raise NotFound()
    members = await session.execute(
        select(SportLicence, Pupil, medically_fit(school_today()).label("fit"))
        .join(SportTeamMember, SportTeamMember.licence_id == SportLicence.id)
        .join(Pupil, Pupil.id == SportLicence.pupil_id)
        .where(SportTeamMember.team_id == team_id)
        .order_by(Pupil.last_name, Pupil.first_name, Pupil.id)
    )
    pupils = [
        TeamMember(
            licence_id=m.SportLicence.id,
            licence_number=m.SportLicence.number,
            pupil=pupil_ref(m.Pupil),
            category=m.SportLicence.category,
            medically_fit=m.fit,
        )
        for m in members
    ]
    return TeamDetail(**team_out(row).model_dump(), pupils=pupils)


async def set_members(
    session: AsyncSession, principal: Principal, team_id: uuid.UUID, licence_ids: list[uuid.UUID]
) -> TeamDetail:
    """Replace the team's pupils: licensed this year in the team's discipline, of its gender,
    and of its category or a younger one (surclassement); all or none."""
    team = await session.scalar(
        select(SportTeam)
        .where(SportTeam.id == team_id, school_scope(principal, SportTeam.school_id))
        .with_for_update()
    )
    if team is None:
        raise NotFound()
    eligible = await _eligible_licences(session, team, licence_ids)
    errors = [
        field_error(f"body.licence_ids.{i}", message, code)
        for i, licence_id in enumerate(licence_ids)
        if (problem := _member_problem(eligible.get(licence_id), team)) is not None
        for message, code in [problem]
    ]
    if len(set(licence_ids)) != len(licence_ids):
        errors.append(field_error("body.licence_ids", "a licence is listed twice", "duplicate"))
    if errors:
        raise InvalidInput(errors)
    await session.execute(delete(SportTeamMember).where(SportTeamMember.team_id == team.id))
    if licence_ids:
        await session.execute(
            insert(SportTeamMember),
            [
                {"school_id": team.school_id, "team_id": team.id, "licence_id": i}
                for i in licence_ids
            ],
        )
    return await team_detail(session, principal, team.id)


async def _eligible_licences(
    session: AsyncSession, team: SportTeam, licence_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Any]:
    """The team school's licences of the team's year among `licence_ids`, with what the
    membership rules need."""
    covers = (
        exists()
        .where(
            SportLicenceDiscipline.licence_id == SportLicence.id,
            SportLicenceDiscipline.discipline_id == team.discipline_id,
        )
        .correlate(SportLicence)
    )
    rows = await session.execute(
        select(SportLicence.id, SportLicence.category, Pupil.gender, covers.label("covers"))
        .join(Pupil, Pupil.id == SportLicence.pupil_id)
        .where(
            SportLicence.id.in_(licence_ids),
            SportLicence.school_id == team.school_id,
            SportLicence.school_year == team.school_year,
        )
    )
    return {r.id: r for r in rows}


def _member_problem(licence: Any, team: SportTeam) -> tuple[str, str] | None:
    if licence is None:
        return "not a licence of your school for the team's year", "unknown_licence"
    if not licence.covers:
        return "the licence does not cover the team's discipline", "discipline_not_licensed"
    if licence.gender != team.gender:
        return "the pupil's gender is not the team's", "wrong_gender"
    if CATEGORY_ORDER.index(licence.category) > CATEGORY_ORDER.index(team.category):
        return "the pupil is too old for the team's category", "wrong_category"
    return None


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


async def licences_of_pupil(session: AsyncSession, pupil_id: uuid.UUID) -> list[LicenceOut]:
    """A pupil's licences, newest school year first (the face has checked who may see them)."""
    rows = await session.execute(
        _licences(school_today())
        .where(SportLicence.pupil_id == pupil_id)
        .order_by(SportLicence.school_year.desc(), SportLicence.number)
    )
    return [_licence_out(r) for r in rows]
