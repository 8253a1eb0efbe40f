"""Fixtures of school-sport competitions (team against team, a date, a place, a score), the
standings computed from them, and what a pupil (or their parent) sees: licences, teams and
upcoming matches. Scopes as in `sport_competitions`."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.academics.calendar import current_year
from app.academics.models import Pupil
from app.core.listing import found, page_of
from app.core.ownership import owned_by
from app.core.pagination import PageRequest
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.errors import InvalidInput, ProblemError, field_error
from app.messaging.models import NotificationCategory
from app.messaging.notifications import NotificationTexts, notify
from app.modules.sports import competitions as sport_competitions
from app.modules.sports import licences as sport_licences
from app.modules.sports import teams as sport_teams
from app.modules.sports.models import (
    CompetitionStatus,
    EntryStatus,
    SportCompetition,
    SportEntry,
    SportFixture,
    SportLicence,
    SportTeam,
    SportTeamMember,
)
from app.modules.sports.schemas import FixtureIn, FixtureOut, PupilSportsOut, ResultIn, StandingRow
from app.organisation.models import School
from app.settings import get_settings

UPCOMING_FIXTURES = 20

_home, _away = aliased(SportEntry, name="home"), aliased(SportEntry, name="away")
_home_team, _away_team = aliased(SportTeam, name="home_team"), aliased(SportTeam, name="away_team")
_home_school, _away_school = (
    aliased(School, name="home_school"),
    aliased(School, name="away_school"),
)


# ---- fixtures and standings ------------------------------------------------------------------


def _fixtures() -> Select[*tuple[Any, ...]]:
    return (
        select(
            SportFixture,
            SportCompetition.name.label("competition_name"),
            _home_team.name.label("home_team"),
            _home_school.code.label("home_school_code"),
            _away_team.name.label("away_team"),
            _away_school.code.label("away_school_code"),
        )
        .join(SportCompetition, SportCompetition.id == SportFixture.competition_id)
        .join(_home, _home.id == SportFixture.home_entry_id)
        .join(_home_team, _home_team.id == _home.team_id)
        .join(_home_school, _home_school.id == _home.school_id)
        .join(_away, _away.id == SportFixture.away_entry_id)
        .join(_away_team, _away_team.id == _away.team_id)
        .join(_away_school, _away_school.id == _away.school_id)
    )


def _fixture_out(row: Any) -> FixtureOut:
    fixture = row.SportFixture
    return FixtureOut.of(fixture, **row._mapping, played=fixture.home_score is not None)


async def _fixture(session: AsyncSession, fixture_id: uuid.UUID) -> FixtureOut:
    return _fixture_out(
        (await session.execute(_fixtures().where(SportFixture.id == fixture_id))).one()
    )


async def schedule_fixture(
    session: AsyncSession, principal: Principal, competition_id: uuid.UUID, new: FixtureIn
) -> FixtureOut:
    """A match between two accepted entries, within the competition's dates; the pupils of
    both teams are told."""
    competition = await sport_competitions.managed_competition(session, principal, competition_id)
    sport_competitions.require_running(competition)
    accepted = set(
        await session.scalars(
            select(SportEntry.id).where(
                SportEntry.competition_id == competition.id,
                SportEntry.status == EntryStatus.ACCEPTED,
                SportEntry.id.in_([new.home_entry_id, new.away_entry_id]),
            )
        )
    )
    errors = [
        field_error(f"body.{name}", "not an accepted entry of this competition", "unknown_entry")
        for name, entry_id in (
            ("home_entry_id", new.home_entry_id),
            ("away_entry_id", new.away_entry_id),
        )
        if entry_id not in accepted
    ]
    day = new.scheduled_at.astimezone(sports_zone()).date()
    if not competition.starts_on <= day <= competition.ends_on:
        errors.append(
            field_error("body.scheduled_at", "outside the competition's dates", "out_of_range")
        )
    if errors:
        raise InvalidInput(errors)
    fixture = SportFixture(competition_id=competition.id, **new.model_dump())
    session.add(fixture)
    await session.flush()
    out = await _fixture(session, fixture.id)
    await _tell_players(session, out)
    return out


async def _tell_players(session: AsyncSession, fixture: FixtureOut) -> None:
    """Notify the pupils (with an account) of both teams that a match is scheduled."""
    players = await session.scalars(
        select(Pupil.user_id)
        .join(SportLicence, SportLicence.pupil_id == Pupil.id)
        .join(SportTeamMember, SportTeamMember.licence_id == SportLicence.id)
        .join(SportEntry, SportEntry.team_id == SportTeamMember.team_id)
        .where(
            SportEntry.id.in_([fixture.home_entry_id, fixture.away_entry_id]),
            Pupil.user_id.is_not(None),
        )
    )
    when = fixture.scheduled_at.astimezone(sports_zone())
    match = f"{fixture.home_team} – {fixture.away_team}"
    texts = NotificationTexts(
        title_ar="مباراة مبرمجة",
        title_fr="Match programmé",
        body_ar=f"{match}، يوم {when:%d/%m/%Y} على الساعة {when:%H:%M}، {fixture.place}",
        body_fr=f"{match}, le {when:%d/%m/%Y} à {when:%H:%M}, {fixture.place}",
    )
    data = {"fixture_id": str(fixture.id), "competition_id": str(fixture.competition_id)}
    await notify(
        session, [u for u in players if u is not None], NotificationCategory.SPORTS, texts, data
    )


async def record_result(
    session: AsyncSession, principal: Principal, fixture_id: uuid.UUID, result: ResultIn
) -> FixtureOut:
    """The score of a fixture already begun, in a running competition the caller organises
    (a correction replaces it; the audit log keeps both)."""
    fixture = found(
        await session.scalar(
            select(SportFixture)
            .join(SportCompetition, SportCompetition.id == SportFixture.competition_id)
            .where(SportFixture.id == fixture_id, owned_by(principal, SportCompetition))
            .with_for_update(of=SportFixture)
        )
    )
    sport_competitions.require_running(
        await session.get_one(SportCompetition, fixture.competition_id)
    )
    if fixture.scheduled_at > datetime.now(UTC):
        raise ProblemError(409, "sports.not_played_yet", kind="fixture-not-played-yet")
    fixture.home_score, fixture.away_score = result.home_score, result.away_score
    await session.flush()
    return await _fixture(session, fixture.id)


async def competition_fixtures(
    session: AsyncSession,
    principal: Principal,
    competition_id: uuid.UUID,
    page: PageRequest,
    *,
    played: bool | None,
) -> Page[FixtureOut]:
    """The fixtures of a competition the caller may see, in date order."""
    await sport_competitions.competition_detail(session, principal, competition_id)
    statement = _fixtures().where(SportFixture.competition_id == competition_id)
    if played is not None:
        score = SportFixture.home_score
        statement = statement.where(score.is_not(None) if played else score.is_(None))
    keys = (SportFixture.scheduled_at, SportFixture.id)
    return await page_of(session, statement, keys, page, _fixture_out)


async def standings(
    session: AsyncSession, principal: Principal, competition_id: uuid.UUID
) -> list[StandingRow]:
    """The table of a competition the caller may see, in one statement: every accepted
    entry, 3 points a win and 1 a draw, ranked by points, goal difference, goals scored."""
    await sport_competitions.competition_detail(session, principal, competition_id)
    played = SportFixture.home_score.is_not(None)
    of_competition = SportFixture.competition_id == competition_id
    sides = union_all(
        select(
            SportFixture.home_entry_id.label("entry_id"),
            SportFixture.home_score.label("scored"),
            SportFixture.away_score.label("conceded"),
        ).where(of_competition, played),
        select(
            SportFixture.away_entry_id.label("entry_id"),
            SportFixture.away_score.label("scored"),
            SportFixture.home_score.label("conceded"),
        ).where(of_competition, played),
    ).subquery("sides")
    scored, conceded = sides.c.scored, sides.c.conceded
    won = func.count().filter(scored > conceded)
    drawn = func.count().filter(scored == conceded)
    goals_for = func.coalesce(func.sum(scored), 0)
    goals_against = func.coalesce(func.sum(conceded), 0)
    points = 3 * won + drawn
    rank_by = (points.desc(), (goals_for - goals_against).desc(), goals_for.desc())
    statement = (
        select(
            func.rank().over(order_by=rank_by).label("rank"),
            SportEntry.id.label("entry_id"),
            SportTeam.name.label("team_name"),
            School.code.label("school_code"),
            func.count(sides.c.entry_id).label("played"),
            won.label("won"),
            drawn.label("drawn"),
            func.count().filter(scored < conceded).label("lost"),
            goals_for.label("goals_for"),
            goals_against.label("goals_against"),
            (goals_for - goals_against).label("goal_difference"),
            points.label("points"),
        )
        .select_from(SportEntry)
        .join(SportTeam, SportTeam.id == SportEntry.team_id)
        .join(School, School.id == SportEntry.school_id)
        .outerjoin(sides, sides.c.entry_id == SportEntry.id)
        .where(
            SportEntry.competition_id == competition_id, SportEntry.status == EntryStatus.ACCEPTED
        )
        .group_by(SportEntry.id, SportTeam.name, School.code)
        .order_by(*rank_by, SportTeam.name)
    )
    return [StandingRow.model_validate(r._mapping) for r in await session.execute(statement)]


def sports_zone() -> ZoneInfo:
    """Fixtures are dated and announced in school-local time."""
    return ZoneInfo(get_settings().school_timezone)


# ---- the pupil's view (pupil app and parent app) ---------------------------------------------


async def pupil_sports(session: AsyncSession, pupil_id: uuid.UUID) -> PupilSportsOut:
    """A pupil's licences (newest year first), teams of this year and upcoming fixtures; the
    face has already checked that the caller may see this pupil."""
    licences = await sport_licences.licences_of_pupil(session, pupil_id)
    teams = [
        sport_teams.team_out(r)
        for r in await session.execute(
            sport_teams.teams_statement()
            .join(SportTeamMember, SportTeamMember.team_id == SportTeam.id)
            .join(SportLicence, SportLicence.id == SportTeamMember.licence_id)
            .where(SportLicence.pupil_id == pupil_id, SportTeam.school_year == current_year())
            .order_by(SportTeam.name)
        )
    ]
    team_ids = [t.id for t in teams]
    upcoming = await session.execute(
        _fixtures()
        .where(
            or_(_home.team_id.in_(team_ids), _away.team_id.in_(team_ids)),
            SportFixture.scheduled_at >= datetime.now(UTC),
            SportCompetition.status != CompetitionStatus.CANCELLED,
        )
        .order_by(SportFixture.scheduled_at, SportFixture.id)
        .limit(UPCOMING_FIXTURES)
    )
    return PupilSportsOut(
        licences=licences, teams=teams, upcoming_fixtures=[_fixture_out(r) for r in upcoming]
    )
