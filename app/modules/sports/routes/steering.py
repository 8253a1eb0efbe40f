"""School sport for directorates, academies and the ministry: the competitions their unit
organises (entries, fixtures, results) and those of their part of the tree."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, status

from app.accounts.guards import SteeringPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.modules.sports import association as sports
from app.modules.sports import competitions as sport_competitions
from app.modules.sports import fixtures as sport_fixtures
from app.modules.sports.models import CompetitionStatus, EntryStatus
from app.modules.sports.schemas import (
    CompetitionIn,
    CompetitionOut,
    DisciplineOut,
    EntryOut,
    FixtureIn,
    FixtureOut,
    ResultIn,
    StandingRow,
)

router = APIRouter()


@router.get("/sports/disciplines", operation_id="steering-sport-disciplines")
async def disciplines(
    principal: SteeringPrincipal, session: SessionDep, page: PageParams
) -> Page[DisciplineOut]:
    """The disciplines of school sport (reference list)."""
    items, cursor = await sports.disciplines(session, limit=page.limit, after=page.position())
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/sports/competitions",
    operation_id="steering-create-sport-competition",
    status_code=status.HTTP_201_CREATED,
)
async def create_competition(
    body: CompetitionIn, principal: SteeringPrincipal, session: SessionDep
) -> CompetitionOut:
    """A competition of this school year organised by my unit; it takes entries at once."""
    return await sport_competitions.create_competition(session, principal, body)


@router.get("/sports/competitions", operation_id="steering-sport-competitions")
async def competitions(
    principal: SteeringPrincipal,
    session: SessionDep,
    page: PageParams,
    school_year: int | None = None,
    status: CompetitionStatus | None = None,
    discipline_code: str | None = None,
) -> Page[CompetitionOut]:
    """Competitions of my part of the tree and those that reach it, by start date."""
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


@router.get("/sports/competitions/{competition_id}", operation_id="steering-sport-competition")
async def competition(
    competition_id: uuid.UUID, principal: SteeringPrincipal, session: SessionDep
) -> CompetitionOut:
    """One competition, with the actions open to me if my unit organises it."""
    return await sport_competitions.competition_detail(session, principal, competition_id)


@router.get("/sports/competitions/{competition_id}/entries", operation_id="steering-sport-entries")
async def entries(
    competition_id: uuid.UUID,
    principal: SteeringPrincipal,
    session: SessionDep,
    page: PageParams,
    status: EntryStatus | None = None,
) -> Page[EntryOut]:
    """The teams entered, in the order they came."""
    items, cursor = await sport_competitions.competition_entries(
        session, principal, competition_id, status=status, limit=page.limit, after=page.position()
    )
    return Page(items=items, next_cursor=cursor)


@router.post("/sports/entries/{entry_id}/{action}", operation_id="steering-decide-sport-entry")
async def decide_entry(
    entry_id: uuid.UUID,
    action: Literal["accept", "refuse"],
    principal: SteeringPrincipal,
    session: SessionDep,
) -> EntryOut:
    """Accept or refuse an entry of a competition my unit organises."""
    return await sport_competitions.decide_entry(session, principal, entry_id, action)


@router.post(
    "/sports/competitions/{competition_id}/fixtures",
    operation_id="steering-schedule-sport-fixture",
    status_code=status.HTTP_201_CREATED,
)
async def schedule_fixture(
    competition_id: uuid.UUID, body: FixtureIn, principal: SteeringPrincipal, session: SessionDep
) -> FixtureOut:
    """Schedule a match between two accepted entries; their pupils are notified."""
    return await sport_fixtures.schedule_fixture(session, principal, competition_id, body)


@router.get(
    "/sports/competitions/{competition_id}/fixtures", operation_id="steering-sport-fixtures"
)
async def fixtures(
    competition_id: uuid.UUID,
    principal: SteeringPrincipal,
    session: SessionDep,
    page: PageParams,
    played: bool | None = None,
) -> Page[FixtureOut]:
    """The competition's fixtures in date order."""
    items, cursor = await sport_fixtures.competition_fixtures(
        session, principal, competition_id, played=played, limit=page.limit, after=page.position()
    )
    return Page(items=items, next_cursor=cursor)


@router.put("/sports/fixtures/{fixture_id}/result", operation_id="steering-record-sport-result")
async def record_result(
    fixture_id: uuid.UUID, body: ResultIn, principal: SteeringPrincipal, session: SessionDep
) -> FixtureOut:
    """Enter (or correct) the score of a fixture that has begun."""
    return await sport_fixtures.record_result(session, principal, fixture_id, body)


@router.get(
    "/sports/competitions/{competition_id}/standings", operation_id="steering-sport-standings"
)
async def standings(
    competition_id: uuid.UUID, principal: SteeringPrincipal, session: SessionDep
) -> list[StandingRow]:
    """The competition's table: played, won, drawn, lost, goals, points (3/1/0)."""
    return await sport_fixtures.standings(session, principal, competition_id)


@router.post(
    "/sports/competitions/{competition_id}/{action}",
    operation_id="steering-act-on-sport-competition",
)
async def act_on_competition(
    competition_id: uuid.UUID,
    action: Literal["close_entries", "finish", "cancel"],
    principal: SteeringPrincipal,
    session: SessionDep,
) -> CompetitionOut:
    """Close entries (fixtures may then be scheduled), finish or cancel the competition.
    (Declared last: its path would shadow `/fixtures`.)"""
    return await sport_competitions.act_on_competition(session, principal, competition_id, action)
