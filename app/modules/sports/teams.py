"""A school's teams: one per discipline, category and gender and school year, made of pupils
licensed in the discipline."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Exists, Select, delete, exists, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_school_year, school_today
from app.academics.models import Pupil
from app.core.listing import found, found_row, page_of, where_given
from app.core.pagination import PageRequest
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.errors import Conflict, InvalidInput, ProblemError, field_error, invalid
from app.modules.sports.association import (
    CATEGORY_ORDER,
    medically_fit,
    practised_ids,
    pupil_ref,
    required_association,
)
from app.modules.sports.models import (
    CompetitionStatus,
    EntryStatus,
    SportCompetition,
    SportDiscipline,
    SportEntry,
    SportLicence,
    SportLicenceDiscipline,
    SportTeam,
    SportTeamMember,
)
from app.modules.sports.schemas import SquadFilter, TeamDetail, TeamIn, TeamMember, TeamOut
from app.organisation.models import School
from app.organisation.scopes import school_scope

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
    return TeamOut.of(
        team, school_code=row.school_code, discipline_code=row.discipline_code, members=row.members
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
        **new.model_dump(exclude={"discipline_code"}),
    )
    session.add(team)
    await session.flush()
    return await team_detail(session, principal, team.id)


async def list_teams(
    session: AsyncSession,
    principal: Principal,
    filters: SquadFilter,
    page: PageRequest,
) -> Page[TeamOut]:
    """The school's teams of a year (this one by default), by name."""
    year = filters.school_year or await current_school_year(session)
    statement = teams_statement().where(
        school_scope(principal, SportTeam.school_id), SportTeam.school_year == year
    )
    statement = where_given(
        statement,
        {
            SportDiscipline.code: filters.discipline_code,
            SportTeam.category: filters.category,
            SportTeam.gender: filters.gender,
        },
    )
    return await page_of(session, statement, (SportTeam.name, SportTeam.id), page, team_out)


async def team_detail(
    session: AsyncSession, principal: Principal, team_id: uuid.UUID
) -> TeamDetail:
    """A team of the caller's school and its pupils (404 for another school's)."""
    row = await found_row(
        session,
        teams_statement().where(
            SportTeam.id == team_id, school_scope(principal, SportTeam.school_id)
        ),
    )
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
    team = found(
        await session.scalar(
            select(SportTeam)
            .where(SportTeam.id == team_id, school_scope(principal, SportTeam.school_id))
            .with_for_update()
        )
    )
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
    await _check_entered_team(session, team)
    return await team_detail(session, principal, team.id)


def _covers(discipline_id: uuid.UUID) -> Exists:
    """The licence covers the discipline (correlated to `sport_licences`)."""
    return (
        exists()
        .where(
            SportLicenceDiscipline.licence_id == SportLicence.id,
            SportLicenceDiscipline.discipline_id == discipline_id,
        )
        .correlate(SportLicence)
    )


async def _eligible_licences(
    session: AsyncSession, team: SportTeam, licence_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Any]:
    """The team school's licences of the team's year among `licence_ids`, with what the
    membership rules need."""
    covers = _covers(team.discipline_id)
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


async def _check_entered_team(session: AsyncSession, team: SportTeam) -> None:
    """A team entered in a competition still under way keeps to the entry rule: every pupil
    fit until the last day of the latest such competition (the change is refused otherwise)."""
    latest = await session.scalar(
        select(func.max(SportCompetition.ends_on))
        .join(SportEntry, SportEntry.competition_id == SportCompetition.id)
        .where(
            SportEntry.team_id == team.id,
            SportEntry.status.in_([EntryStatus.PENDING, EntryStatus.ACCEPTED]),
            SportCompetition.status.in_([CompetitionStatus.OPEN, CompetitionStatus.RUNNING]),
        )
    )
    if latest is not None:
        await check_pupils_fit(session, team, latest, "body.licence_ids")


async def check_pupils_fit(session: AsyncSession, team: SportTeam, on: date, field: str) -> None:
    """422 unless the team has pupils and each is licensed in the discipline and fit on `on`
    (entering a competition, or changing a team that is entered in one)."""
    covers = _covers(team.discipline_id)
    rows = list(
        await session.execute(
            select(Pupil, covers.label("covers"), medically_fit(on).label("fit"))
            .select_from(SportTeamMember)
            .join(SportLicence, SportLicence.id == SportTeamMember.licence_id)
            .join(Pupil, Pupil.id == SportLicence.pupil_id)
            .where(SportTeamMember.team_id == team.id)
            .order_by(Pupil.last_name, Pupil.first_name)
        )
    )
    if not rows:
        raise invalid(field, "the team has no pupils", "empty_team")
    unfit = [r for r in rows if not (r.covers and r.fit)]
    if unfit:
        raise ProblemError(
            422,
            "sports.pupils_not_fit",
            kind="pupils-not-fit",
            errors=[_unfit_error(r, field) for r in unfit],
            extensions={"pupils": [pupil_ref(r.Pupil).model_dump(mode="json") for r in unfit]},
        )


def _unfit_error(row: Any, field: str) -> dict[str, Any]:
    pupil = row.Pupil
    who = f"{pupil.first_name} {pupil.last_name} ({pupil.massar_code})"
    if not row.covers:
        return field_error(field, f"{who}: not licensed in the discipline", "not_licensed")
    return field_error(field, f"{who}: no valid medical certificate", "medical_certificate")
