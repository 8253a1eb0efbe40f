"""School sport at the school (sport scolaire): the association sportive, pupils' licences,
teams, and the school's entries in the competitions that reach it."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.accounts.guards import SchoolStaffPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.modules.sports import association as sports
from app.modules.sports import competitions as sport_competitions
from app.modules.sports import fixtures as sport_fixtures
from app.modules.sports import licences as sport_licences
from app.modules.sports import teams as sport_teams
from app.modules.sports.models import CompetitionStatus, EntryStatus
from app.modules.sports.schemas import (
    AssociationIn,
    AssociationOut,
    CompetitionOut,
    DisciplineOut,
    EntryIn,
    EntryOut,
    FixtureOut,
    LicenceOut,
    LicencesIn,
    LicencesOut,
    Squads,
    StandingRow,
    TeamDetail,
    TeamIn,
    TeamMembersIn,
    TeamOut,
)

router = APIRouter(prefix="/sports")


@router.get("/disciplines", operation_id="school-sport-disciplines")
async def disciplines(
    principal: SchoolStaffPrincipal, session: SessionDep, page: PageParams
) -> Page[DisciplineOut]:
    """The disciplines of school sport (reference list)."""
    items, cursor = await sports.disciplines(session, limit=page.limit, after=page.position())
    return Page(items=items, next_cursor=cursor)


@router.get("/association", operation_id="school-sport-association")
async def association(principal: SchoolStaffPrincipal, session: SessionDep) -> AssociationOut:
    """Our association sportive scolaire (404 before it is founded)."""
    return await sports.association(session, principal)


@router.put("/association", operation_id="school-save-sport-association")
async def save_association(
    body: AssociationIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> AssociationOut:
    """Found or update our association and the disciplines it practises; the director
    presides it."""
    return await sports.save_association(session, principal, body)


@router.get("/licences", operation_id="school-sport-licences")
async def licences(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    filters: Squads,
) -> Page[LicenceOut]:
    """Our pupils' licences of a school year (this one by default), by licence number."""
    items, cursor = await sport_licences.list_licences(
        session,
        principal,
        filters,
        limit=page.limit,
        after=page.position(),
    )
    return Page(items=items, next_cursor=cursor)


@router.post("/licences", operation_id="school-save-sport-licences")
async def save_licences(
    body: LicencesIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> LicencesOut:
    """Licence pupils for this school year in bulk (all rows or none; a replay changes
    nothing). Category by birth year; certificate dates in the future are refused."""
    return await sport_licences.save_licences(session, principal, body.licences)


@router.get("/licences/{licence_id}", operation_id="school-sport-licence")
async def licence(
    licence_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> LicenceOut:
    """One of our licences."""
    return await sport_licences.licence(session, principal, licence_id)


@router.get("/teams", operation_id="school-sport-teams")
async def teams(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    filters: Squads,
) -> Page[TeamOut]:
    """Our teams of a school year (this one by default), by name."""
    items, cursor = await sport_teams.list_teams(
        session,
        principal,
        filters,
        limit=page.limit,
        after=page.position(),
    )
    return Page(items=items, next_cursor=cursor)


@router.post("/teams", operation_id="school-create-sport-team", status_code=status.HTTP_201_CREATED)
async def create_team(
    body: TeamIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> TeamDetail:
    """A team of this school year in a discipline our association practises."""
    return await sport_teams.create_team(session, principal, body)


@router.get("/teams/{team_id}", operation_id="school-sport-team")
async def team(
    team_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> TeamDetail:
    """One of our teams and its pupils."""
    return await sport_teams.team_detail(session, principal, team_id)


@router.put("/teams/{team_id}/members", operation_id="school-set-sport-team-members")
async def set_members(
    team_id: uuid.UUID, body: TeamMembersIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> TeamDetail:
    """Replace the team's pupils with these licences (licensed in the discipline, of the
    team's gender, of its category or younger)."""
    return await sport_teams.set_members(session, principal, team_id, body.licence_ids)


@router.get("/competitions", operation_id="school-sport-competitions")
async def competitions(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    school_year: int | None = None,
    status: CompetitionStatus | None = None,
    discipline_code: str | None = None,
) -> Page[CompetitionOut]:
    """Competitions that reach our school (ours, our directorate's, academy's, national)."""
    items, cursor = await sport_competitions.list_competitions(
        session,
        principal,
        school_year=school_year,
        status=status,
        discipline_code=discipline_code,
        limit=page.limit,
        after=page.position(),
    )
    return Page(items=items, next_cursor=cursor)


@router.get("/competitions/{competition_id}", operation_id="school-sport-competition")
async def competition(
    competition_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> CompetitionOut:
    """A competition that reaches our school."""
    return await sport_competitions.competition_detail(session, principal, competition_id)


@router.post(
    "/competitions/{competition_id}/entries",
    operation_id="school-enter-sport-competition",
    status_code=status.HTTP_201_CREATED,
)
async def enter(
    competition_id: uuid.UUID, body: EntryIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> EntryOut:
    """Enter one of our teams; refused (422, naming them) while a pupil lacks a licence in
    the discipline or a medical certificate valid until the competition's last day."""
    return await sport_competitions.enter_team(session, principal, competition_id, body.team_id)


@router.get("/competitions/{competition_id}/fixtures", operation_id="school-sport-fixtures")
async def fixtures(
    competition_id: uuid.UUID,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    played: bool | None = None,
) -> Page[FixtureOut]:
    """The fixtures of a competition that reaches our school, in date order."""
    items, cursor = await sport_fixtures.competition_fixtures(
        session, principal, competition_id, played=played, limit=page.limit, after=page.position()
    )
    return Page(items=items, next_cursor=cursor)


@router.get("/competitions/{competition_id}/standings", operation_id="school-sport-standings")
async def standings(
    competition_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> list[StandingRow]:
    """The competition's table (3 points a win, 1 a draw)."""
    return await sport_fixtures.standings(session, principal, competition_id)


@router.get("/entries", operation_id="school-sport-entries")
async def entries(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    status: EntryStatus | None = None,
) -> Page[EntryOut]:
    """Our entries in competitions, newest first."""
    items, cursor = await sport_competitions.school_entries(
        session, principal, status=status, limit=page.limit, after=page.position()
    )
    return Page(items=items, next_cursor=cursor)


@router.post("/entries/{entry_id}/withdraw", operation_id="school-withdraw-sport-entry")
async def withdraw_entry(
    entry_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> EntryOut:
    """Withdraw an entry the organiser has not answered yet."""
    return await sport_competitions.withdraw_entry(session, principal, entry_id)
