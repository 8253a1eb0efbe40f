"""School-sport competitions: organised by a unit (a directorate, an academy, the ministry),
entered by schools with their teams, played as team-against-team fixtures whose scores make
the standings (in `sport_fixtures`, with what a pupil sees of them).

Reads (`owned_visible`): a competition of the caller's part of the tree or of a unit above
it. Management (`owned_by`): the organising unit only. A school enters the competitions that
reach it (`owned_above`)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_school_year
from app.core.listing import found, found_row, page_of, where_given
from app.core.ownership import managed, owned_above, owned_by, owned_visible, owner_place
from app.core.pagination import PageRequest
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.core.workflow import Workflow, move
from app.errors import Conflict, ProblemError, invalid
from app.modules.sports import association as sports
from app.modules.sports import teams as sport_teams
from app.modules.sports.models import (
    CompetitionStatus,
    EntryStatus,
    SportCompetition,
    SportDiscipline,
    SportEntry,
    SportTeam,
)
from app.modules.sports.schemas import CompetitionIn, CompetitionOut, EntryOut
from app.organisation.models import School

COMPETITION_FLOW = Workflow(
    {
        "close_entries": move(CompetitionStatus.OPEN, CompetitionStatus.RUNNING),
        "finish": move(CompetitionStatus.RUNNING, CompetitionStatus.FINISHED),
        "cancel": move(
            {CompetitionStatus.OPEN, CompetitionStatus.RUNNING}, CompetitionStatus.CANCELLED
        ),
    }
)
# The organiser accepts or refuses; the school may withdraw an entry not yet accepted.
ENTRY_FLOW = Workflow(
    {
        "accept": move(EntryStatus.PENDING, EntryStatus.ACCEPTED),
        "refuse": move(EntryStatus.PENDING, EntryStatus.REFUSED),
    }
)
SCHOOL_ENTRY_FLOW = Workflow({"withdraw": move(EntryStatus.PENDING, EntryStatus.WITHDRAWN)})
# ---- competitions ----------------------------------------------------------------------------


def _competitions(principal: Principal) -> Select[*tuple[Any, ...]]:
    return (
        select(
            SportCompetition,
            SportDiscipline.code.label("discipline_code"),
            owned_by(principal, SportCompetition).label("mine"),
        )
        .join(SportDiscipline, SportDiscipline.id == SportCompetition.discipline_id)
        .where(owned_visible(principal, SportCompetition))
    )


def _competition_out(row: Any) -> CompetitionOut:
    competition = row.SportCompetition
    return CompetitionOut.of(
        competition,
        discipline_code=row.discipline_code,
        actions=COMPETITION_FLOW.actions(competition.status) if row.mine else [],
    )


async def create_competition(
    session: AsyncSession, principal: Principal, new: CompetitionIn
) -> CompetitionOut:
    """A competition of this school year, organised by the caller's unit."""
    discipline = (await sports.discipline_ids(session, [new.discipline_code])).get(
        new.discipline_code
    )
    if discipline is None:
        raise invalid("body.discipline_code", "unknown discipline", "unknown_discipline")
    competition = SportCompetition(
        **owner_place(principal),
        **new.model_dump(exclude={"discipline_code"}),
        school_year=await current_school_year(session),
        discipline_id=discipline,
        created_by=principal.user_id,
    )
    session.add(competition)
    await session.flush()
    return await competition_detail(session, principal, competition.id)


async def competition_detail(
    session: AsyncSession, principal: Principal, competition_id: uuid.UUID
) -> CompetitionOut:
    """A competition the caller may see (404 otherwise)."""
    row = await found_row(
        session, _competitions(principal).where(SportCompetition.id == competition_id)
    )
    return _competition_out(row)


async def list_competitions(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    *,
    school_year: int | None,
    status: CompetitionStatus | None,
    discipline_code: str | None,
) -> Page[CompetitionOut]:
    """Competitions the caller may see, of a year (this one by default), by start date."""
    year = school_year or await current_school_year(session)
    statement = where_given(
        _competitions(principal).where(SportCompetition.school_year == year),
        {SportCompetition.status: status, SportDiscipline.code: discipline_code},
    )
    keys = (SportCompetition.starts_on, SportCompetition.id)
    return await page_of(session, statement, keys, page, _competition_out)


async def managed_competition(
    session: AsyncSession, principal: Principal, competition_id: uuid.UUID
) -> SportCompetition:
    """A competition the caller's unit organises, locked (404 for any other)."""
    return await managed(
        session, principal, SportCompetition, SportCompetition.id == competition_id
    )


async def act_on_competition(
    session: AsyncSession, principal: Principal, competition_id: uuid.UUID, action: str
) -> CompetitionOut:
    """Close entries, finish or cancel a competition the caller organises."""
    competition = await managed_competition(session, principal, competition_id)
    competition.status = COMPETITION_FLOW.next(competition.status, action)
    await session.flush()
    return await competition_detail(session, principal, competition.id)


def require_running(competition: SportCompetition) -> None:
    if competition.status is not CompetitionStatus.RUNNING:
        raise ProblemError(409, "sports.not_running", kind="competition-not-running")


# ---- entries ---------------------------------------------------------------------------------


def _entries() -> Select[*tuple[Any, ...]]:
    return (
        select(
            SportEntry,
            SportCompetition.name.label("competition_name"),
            SportTeam.name.label("team_name"),
            School.code.label("school_code"),
        )
        .join(SportCompetition, SportCompetition.id == SportEntry.competition_id)
        .join(SportTeam, SportTeam.id == SportEntry.team_id)
        .join(School, School.id == SportEntry.school_id)
    )


def _entry_out(row: Any, flow: Workflow[EntryStatus]) -> EntryOut:
    entry = row.SportEntry
    return EntryOut.of(entry, **row._mapping, actions=flow.actions(entry.status))


async def _entry(
    session: AsyncSession, entry_id: uuid.UUID, flow: Workflow[EntryStatus]
) -> EntryOut:
    return _entry_out(
        (await session.execute(_entries().where(SportEntry.id == entry_id))).one(), flow
    )


async def enter_team(
    session: AsyncSession, principal: Principal, competition_id: uuid.UUID, team_id: uuid.UUID
) -> EntryOut:
    """Enter one of the school's teams in a competition that reaches the school, while it
    takes entries. Every pupil of the team must hold a licence in the discipline with a
    medical certificate valid until the competition's last day (422 naming those who do not)."""
    competition = found(
        await session.scalar(
            select(SportCompetition).where(
                SportCompetition.id == competition_id, owned_above(principal, SportCompetition)
            )
        )
    )
    if competition.status is not CompetitionStatus.OPEN:
        raise ProblemError(409, "sports.entries_closed", kind="entries-closed")
    team = await session.scalar(
        select(SportTeam).where(SportTeam.id == team_id, SportTeam.school_id == principal.school_id)
    )
    if team is None:
        raise invalid("body.team_id", "not a team of your school", "unknown_team")
    _check_team_fits(team, competition)
    await sport_teams.check_pupils_fit(session, team, competition.ends_on, "body.team_id")
    entry = await session.scalar(
        select(SportEntry)
        .where(
            SportEntry.school_id == team.school_id,
            SportEntry.competition_id == competition.id,
            SportEntry.team_id == team.id,
        )
        .with_for_update()
    )
    if entry is not None and entry.status in (EntryStatus.PENDING, EntryStatus.ACCEPTED):
        raise Conflict("sports.already_entered")
    if entry is None:
        entry = SportEntry(
            school_id=team.school_id,
            competition_id=competition.id,
            team_id=team.id,
            entered_by=principal.user_id,
        )
        session.add(entry)
    # A refused or withdrawn team may enter again, once it has put things right.
    entry.status, entry.entered_by = EntryStatus.PENDING, principal.user_id
    await session.flush()
    return await _entry(session, entry.id, SCHOOL_ENTRY_FLOW)


def _check_team_fits(team: SportTeam, competition: SportCompetition) -> None:
    if (team.school_year, team.discipline_id, team.category, team.gender) != (
        competition.school_year,
        competition.discipline_id,
        competition.category,
        competition.gender,
    ):
        raise invalid(
            "body.team_id",
            "the team's year, discipline, category or gender is not the competition's",
            "team_mismatch",
        )


async def school_entries(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    *,
    status: EntryStatus | None,
) -> Page[EntryOut]:
    """The caller's school's entries, newest first."""
    statement = where_given(
        _entries().where(SportEntry.school_id == principal.school_id), {SportEntry.status: status}
    )
    keys = (SportEntry.created_at, SportEntry.id)
    return await page_of(
        session, statement, keys, page, lambda r: _entry_out(r, SCHOOL_ENTRY_FLOW), descending=True
    )


async def withdraw_entry(
    session: AsyncSession, principal: Principal, entry_id: uuid.UUID
) -> EntryOut:
    """Withdraw one of the school's entries before the organiser accepts it."""
    entry = found(
        await session.scalar(
            select(SportEntry)
            .where(SportEntry.id == entry_id, SportEntry.school_id == principal.school_id)
            .with_for_update()
        )
    )
    entry.status = SCHOOL_ENTRY_FLOW.next(entry.status, "withdraw")
    await session.flush()
    return await _entry(session, entry.id, SCHOOL_ENTRY_FLOW)


async def competition_entries(
    session: AsyncSession,
    principal: Principal,
    competition_id: uuid.UUID,
    page: PageRequest,
    *,
    status: EntryStatus | None,
) -> Page[EntryOut]:
    """The entries of a competition the caller may see, in the order they came."""
    await competition_detail(session, principal, competition_id)
    statement = where_given(
        _entries().where(SportEntry.competition_id == competition_id), {SportEntry.status: status}
    )
    flow = ENTRY_FLOW if await _is_organiser(session, principal, competition_id) else Workflow({})
    keys = (SportEntry.created_at, SportEntry.id)
    return await page_of(session, statement, keys, page, lambda r: _entry_out(r, flow))


async def _is_organiser(
    session: AsyncSession, principal: Principal, competition_id: uuid.UUID
) -> bool:
    found = await session.scalar(
        select(SportCompetition.id).where(
            SportCompetition.id == competition_id, owned_by(principal, SportCompetition)
        )
    )
    return found is not None


async def decide_entry(
    session: AsyncSession, principal: Principal, entry_id: uuid.UUID, action: str
) -> EntryOut:
    """Accept or refuse an entry of a competition the caller organises, while it takes entries
    (once running, its fixtures are drawn from the accepted teams)."""
    entry, status = await found_row(
        session,
        select(SportEntry, SportCompetition.status)
        .join(SportCompetition, SportCompetition.id == SportEntry.competition_id)
        .where(SportEntry.id == entry_id, owned_by(principal, SportCompetition))
        # The competition too: closing its entries waits for this decision, or comes first.
        .with_for_update(of=[SportEntry, SportCompetition]),
    )
    if status is not CompetitionStatus.OPEN:
        raise ProblemError(409, "sports.entries_closed", kind="entries-closed")
    entry.status = ENTRY_FLOW.next(entry.status, action)
    await session.flush()
    return await _entry(session, entry.id, ENTRY_FLOW)
