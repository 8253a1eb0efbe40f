"""School sport (sport scolaire), each endpoint written once for the faces that serve it:
school staff (`/school/sports`: the association sportive, licences, teams, and the school's
entries in the competitions that reach it), the teacher who coordinates the association
(`/teacher/sports`: the association, its licences and teams; other teachers get 403), and
directorates, academies and the ministry (`/steering/sports`: the competitions their unit
organises, with entries, fixtures and results), and a pupil's record (`/student/sports`,
`/parent/children/{child_id}/sports`). The face's router guards the role; the services apply
each caller's scope.

(No `from __future__ import annotations`: the pupil's view is built with a dependency the face
passes, and FastAPI must resolve its annotations when the route is made.)
"""

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response, status

from app.academics.calendar import NEEDS_CURRENT_YEAR
from app.academics.schemas import SchoolYearQuery
from app.accounts.guards import CurrentPrincipal
from app.core.caching import cached_read, conditional_json
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.routing import IdResolver, RouteGroup, face_routes
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
    CompetitionIn,
    CompetitionOut,
    DisciplineOut,
    EntryIn,
    EntryOut,
    FixtureIn,
    FixtureOut,
    LicenceOut,
    LicencesIn,
    LicencesOut,
    PupilSportsOut,
    ResultIn,
    Squads,
    StandingRow,
    TeamDetail,
    TeamIn,
    TeamMembersIn,
    TeamOut,
)

SportFace = Literal["school", "steering", "teacher"]


async def coordinator(principal: CurrentPrincipal, session: SessionDep) -> None:
    """The caller coordinates their school's association (403 otherwise)."""
    await sports.require_coordinator(session, principal)


def sport_routes(face: SportFace) -> APIRouter:
    """The school-sport endpoints of one face, with its operation ids."""
    checks = [Depends(coordinator)] if face == "teacher" else []
    return face_routes(face, _FACE_ROUTES[face], prefix="/sports", dependencies=checks)


def sports_view(operation_prefix: str, resolve_pupil: IdResolver) -> APIRouter:
    """`GET /sports` for a face whose `resolve_pupil` picks the pupil (the pupil app: their
    own record; the parent app: a verified child)."""
    router = APIRouter()
    PupilId = Annotated[uuid.UUID, Depends(resolve_pupil)]  # noqa: N806  (a type alias)

    @cached_read(router, "/sports", f"{operation_prefix}-sports", PupilSportsOut)
    async def pupil_sports(request: Request, pupil_id: PupilId, session: SessionDep) -> Response:
        """The pupil's sport licences, teams of this year and their upcoming fixtures."""
        return conditional_json(request, await sport_fixtures.pupil_sports(session, pupil_id))

    return router


def _disciplines(router: APIRouter, face: str) -> None:
    @router.get("/disciplines", operation_id=f"{face}-sport-disciplines")
    async def disciplines(session: SessionDep, page: PageParams) -> Page[DisciplineOut]:
        """The disciplines of school sport (reference list)."""
        return await sports.disciplines(session, page)


def _association(router: APIRouter, face: str) -> None:
    @router.get("/association", operation_id=f"{face}-sport-association")
    async def association(principal: CurrentPrincipal, session: SessionDep) -> AssociationOut:
        """The school's association sportive scolaire (404 before it is founded)."""
        return await sports.association(session, principal)


def _founding(router: APIRouter, face: str) -> None:
    @router.put("/association", operation_id=f"{face}-save-sport-association")
    async def save_association(
        body: AssociationIn, principal: CurrentPrincipal, session: SessionDep
    ) -> AssociationOut:
        """Found or update our association and the disciplines it practises; the director
        presides it."""
        return await sports.save_association(session, principal, body)


def _licences(router: APIRouter, face: str) -> None:
    @router.get("/licences", operation_id=f"{face}-sport-licences", responses=NEEDS_CURRENT_YEAR)
    async def licences(
        principal: CurrentPrincipal, session: SessionDep, page: PageParams, filters: Squads
    ) -> Page[LicenceOut]:
        """The school's licences of a school year (this one by default), by licence number."""
        return await sport_licences.list_licences(session, principal, filters, page)


def _licensing(router: APIRouter, face: str) -> None:
    @router.post("/licences", operation_id=f"{face}-save-sport-licences")
    async def save_licences(
        body: LicencesIn, principal: CurrentPrincipal, session: SessionDep
    ) -> LicencesOut:
        """Licence pupils for this school year in bulk (all rows or none; a replay changes
        nothing). Category by birth year; certificate dates in the future are refused."""
        return await sport_licences.save_licences(session, principal, body.licences)

    @router.get("/licences/{licence_id}", operation_id=f"{face}-sport-licence")
    async def licence(
        licence_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> LicenceOut:
        """One of our licences."""
        return await sport_licences.licence(session, principal, licence_id)


def _teams(router: APIRouter, face: str) -> None:
    @router.get("/teams", operation_id=f"{face}-sport-teams", responses=NEEDS_CURRENT_YEAR)
    async def teams(
        principal: CurrentPrincipal, session: SessionDep, page: PageParams, filters: Squads
    ) -> Page[TeamOut]:
        """The school's teams of a school year (this one by default), by name."""
        return await sport_teams.list_teams(session, principal, filters, page)

    @router.post(
        "/teams", operation_id=f"{face}-create-sport-team", status_code=status.HTTP_201_CREATED
    )
    async def create_team(
        body: TeamIn, principal: CurrentPrincipal, session: SessionDep
    ) -> TeamDetail:
        """A team of this school year in a discipline the association practises."""
        return await sport_teams.create_team(session, principal, body)

    @router.get("/teams/{team_id}", operation_id=f"{face}-sport-team")
    async def team(
        team_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> TeamDetail:
        """A team of the school and its pupils."""
        return await sport_teams.team_detail(session, principal, team_id)

    @router.put("/teams/{team_id}/members", operation_id=f"{face}-set-sport-team-members")
    async def set_members(
        team_id: uuid.UUID, body: TeamMembersIn, principal: CurrentPrincipal, session: SessionDep
    ) -> TeamDetail:
        """Replace the team's pupils with these licences (licensed in the discipline, of the
        team's gender, of its category or younger)."""
        return await sport_teams.set_members(session, principal, team_id, body.licence_ids)


def _competitions(router: APIRouter, face: str) -> None:
    @router.get(
        "/competitions", operation_id=f"{face}-sport-competitions", responses=NEEDS_CURRENT_YEAR
    )
    async def competitions(
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        school_year: SchoolYearQuery = None,
        status: CompetitionStatus | None = None,
        discipline_code: str | None = None,
    ) -> Page[CompetitionOut]:
        """Competitions of my part of the tree and those that reach it (a school's: its own,
        its directorate's, its academy's and national ones), by start date."""
        return await sport_competitions.list_competitions(
            session,
            principal,
            page,
            school_year=school_year,
            status=status,
            discipline_code=discipline_code,
        )

    @router.get("/competitions/{competition_id}", operation_id=f"{face}-sport-competition")
    async def competition(
        competition_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> CompetitionOut:
        """A competition I may see, with the actions open to me if my unit organises it."""
        return await sport_competitions.competition_detail(session, principal, competition_id)

    @router.get("/competitions/{competition_id}/fixtures", operation_id=f"{face}-sport-fixtures")
    async def fixtures(
        competition_id: uuid.UUID,
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        played: bool | None = None,
    ) -> Page[FixtureOut]:
        """The fixtures of a competition I may see, in date order."""
        return await sport_fixtures.competition_fixtures(
            session, principal, competition_id, page, played=played
        )

    @router.get("/competitions/{competition_id}/standings", operation_id=f"{face}-sport-standings")
    async def standings(
        competition_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> list[StandingRow]:
        """The competition's table: played, won, drawn, lost, goals, points (3 a win, 1 a
        draw)."""
        return await sport_fixtures.standings(session, principal, competition_id)


def _entering(router: APIRouter, face: str) -> None:
    @router.post(
        "/competitions/{competition_id}/entries",
        operation_id=f"{face}-enter-sport-competition",
        status_code=status.HTTP_201_CREATED,
    )
    async def enter(
        competition_id: uuid.UUID, body: EntryIn, principal: CurrentPrincipal, session: SessionDep
    ) -> EntryOut:
        """Enter one of our teams; refused (422, naming them) while a pupil lacks a licence in
        the discipline or a medical certificate valid until the competition's last day."""
        return await sport_competitions.enter_team(session, principal, competition_id, body.team_id)

    @router.get("/entries", operation_id=f"{face}-sport-entries")
    async def entries(
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        status: EntryStatus | None = None,
    ) -> Page[EntryOut]:
        """Our entries in competitions, newest first."""
        return await sport_competitions.school_entries(session, principal, page, status=status)

    @router.post("/entries/{entry_id}/withdraw", operation_id=f"{face}-withdraw-sport-entry")
    async def withdraw_entry(
        entry_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> EntryOut:
        """Withdraw an entry the organiser has not answered yet."""
        return await sport_competitions.withdraw_entry(session, principal, entry_id)


def _organising(router: APIRouter, face: str) -> None:
    @router.post(
        "/competitions",
        operation_id=f"{face}-create-sport-competition",
        status_code=status.HTTP_201_CREATED,
    )
    async def create_competition(
        body: CompetitionIn, principal: CurrentPrincipal, session: SessionDep
    ) -> CompetitionOut:
        """A competition of this school year organised by my unit; it takes entries at once."""
        return await sport_competitions.create_competition(session, principal, body)

    @router.get("/competitions/{competition_id}/entries", operation_id=f"{face}-sport-entries")
    async def entries(
        competition_id: uuid.UUID,
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        status: EntryStatus | None = None,
    ) -> Page[EntryOut]:
        """The teams entered, in the order they came."""
        return await sport_competitions.competition_entries(
            session, principal, competition_id, page, status=status
        )

    @router.post("/entries/{entry_id}/{action}", operation_id=f"{face}-decide-sport-entry")
    async def decide_entry(
        entry_id: uuid.UUID,
        action: Literal["accept", "refuse"],
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> EntryOut:
        """Accept or refuse an entry of a competition my unit organises."""
        return await sport_competitions.decide_entry(session, principal, entry_id, action)

    @router.post(
        "/competitions/{competition_id}/fixtures",
        operation_id=f"{face}-schedule-sport-fixture",
        status_code=status.HTTP_201_CREATED,
    )
    async def schedule_fixture(
        competition_id: uuid.UUID,
        body: FixtureIn,
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> FixtureOut:
        """Schedule a match between two accepted entries; their pupils are notified."""
        return await sport_fixtures.schedule_fixture(session, principal, competition_id, body)

    @router.put("/fixtures/{fixture_id}/result", operation_id=f"{face}-record-sport-result")
    async def record_result(
        fixture_id: uuid.UUID, body: ResultIn, principal: CurrentPrincipal, session: SessionDep
    ) -> FixtureOut:
        """Enter (or correct) the score of a fixture that has begun."""
        return await sport_fixtures.record_result(session, principal, fixture_id, body)

    @router.post(
        "/competitions/{competition_id}/{action}",
        operation_id=f"{face}-act-on-sport-competition",
    )
    async def act_on_competition(
        competition_id: uuid.UUID,
        action: Literal["close_entries", "finish", "cancel"],
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> CompetitionOut:
        """Close entries (fixtures may then be scheduled), finish or cancel the competition.
        (Added last: its path would shadow `/fixtures`.)"""
        return await sport_competitions.act_on_competition(
            session, principal, competition_id, action
        )


_FACE_ROUTES: dict[SportFace, tuple[RouteGroup, ...]] = {
    "school": (
        _disciplines,
        _association,
        _founding,
        _licences,
        _licensing,
        _teams,
        _competitions,
        _entering,
    ),
    "teacher": (_association, _licences, _teams),
    "steering": (_disciplines, _competitions, _organising),
}
