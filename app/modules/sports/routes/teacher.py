"""School sport for the teacher who coordinates the school's association sportive: the
association, its licences, and the teams they compose. Other teachers get 403."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, status

from app.accounts.guards import TeacherPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.modules.sports import association as sports
from app.modules.sports import licences as sport_licences
from app.modules.sports import teams as sport_teams
from app.modules.sports.schemas import (
    AssociationOut,
    LicenceOut,
    Squads,
    TeamDetail,
    TeamIn,
    TeamMembersIn,
    TeamOut,
)


async def coordinator(principal: TeacherPrincipal, session: SessionDep) -> None:
    """The caller coordinates their school's association (403 otherwise)."""
    await sports.require_coordinator(session, principal)


router = APIRouter(prefix="/sports", dependencies=[Depends(coordinator)])


@router.get("/association", operation_id="teacher-sport-association")
async def association(principal: TeacherPrincipal, session: SessionDep) -> AssociationOut:
    """The association I coordinate."""
    return await sports.association(session, principal)


@router.get("/licences", operation_id="teacher-sport-licences")
async def licences(
    principal: TeacherPrincipal,
    session: SessionDep,
    page: PageParams,
    filters: Squads,
) -> Page[LicenceOut]:
    """The school's licences of a year (this one by default), by licence number."""
    items, cursor = await sport_licences.list_licences(
        session,
        principal,
        filters,
        limit=page.limit,
        after=page.position(),
    )
    return Page(items=items, next_cursor=cursor)


@router.get("/teams", operation_id="teacher-sport-teams")
async def teams(
    principal: TeacherPrincipal,
    session: SessionDep,
    page: PageParams,
    filters: Squads,
) -> Page[TeamOut]:
    """The school's teams of a year (this one by default), by name."""
    items, cursor = await sport_teams.list_teams(
        session,
        principal,
        filters,
        limit=page.limit,
        after=page.position(),
    )
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/teams", operation_id="teacher-create-sport-team", status_code=status.HTTP_201_CREATED
)
async def create_team(body: TeamIn, principal: TeacherPrincipal, session: SessionDep) -> TeamDetail:
    """A team of this school year in a discipline the association practises."""
    return await sport_teams.create_team(session, principal, body)


@router.get("/teams/{team_id}", operation_id="teacher-sport-team")
async def team(team_id: uuid.UUID, principal: TeacherPrincipal, session: SessionDep) -> TeamDetail:
    """A team of the school and its pupils."""
    return await sport_teams.team_detail(session, principal, team_id)


@router.put("/teams/{team_id}/members", operation_id="teacher-set-sport-team-members")
async def set_members(
    team_id: uuid.UUID, body: TeamMembersIn, principal: TeacherPrincipal, session: SessionDep
) -> TeamDetail:
    """Compose the team from licences (same rules as the school's face)."""
    return await sport_teams.set_members(session, principal, team_id, body.licence_ids)
