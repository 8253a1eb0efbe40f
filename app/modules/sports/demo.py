"""Demo of school sport in the directorate of Rabat: the association sportive of Collège Ibn
Rochd (25001A, football and athletics) with its licences and a cadets football team that
includes the demo pupil D130000001; a tronc-commun class and a team at Lycée Moulay Youssef
(25002B); and the directorate's championship between them, two matches played and one to
come. Written through the services the apps use."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_school_year, school_today
from app.academics.models import Enrolment, Gender, Pupil, SchoolClass, SchoolYear
from app.accounts.models import User
from app.accounts.users import NewAccount, create_account
from app.core.roles import Role, StaffTitle
from app.core.security.principal import Principal
from app.modules.sports import association as sports
from app.modules.sports import competitions as sport_competitions
from app.modules.sports import fixtures as sport_fixtures
from app.modules.sports import licences as sport_licences
from app.modules.sports import teams as sport_teams
from app.modules.sports.models import SportCategory
from app.modules.sports.schemas import (
    AssociationIn,
    CompetitionIn,
    FixtureIn,
    LicenceIn,
    ResultIn,
    TeamIn,
)

DIRECTOR = "director.demo@taalim.ma"
COORDINATOR = "teacher.demo@taalim.ma"
PROVINCE = "province.demo@men.gov.ma"
LYCEE_DIRECTOR = "director.lycee@taalim.ma"
LYCEE_CODE = "25002B"
DEMO_PUPIL_CODE = "D130000001"  # enrolled by the demo world's school life
TEAM_SIZE = 10
CATEGORY = SportCategory.CADETS


# A fictitious pupil of a school: the random generator, the school, a Massar code, a birth year.
PupilMaker = Callable[[random.Random, uuid.UUID, str, int], Pupil]


async def seed_sports(
    session: AsyncSession, accounts: dict[str, User], password: str, new_pupil: PupilMaker
) -> None:
    """The two associations, their licences and teams, and the championship (the lycée's
    pupils drawn by `new_pupil`, the demo world's maker)."""
    rng = random.Random(2025)  # noqa: S311  (the same demo on every machine; not a secret)
    certificate = await _certificate_day(session)
    demo_pupil = await session.scalar(select(Pupil).where(Pupil.massar_code == DEMO_PUPIL_CODE))
    assert demo_pupil is not None, "seed_teaching enrols the demo pupil first"
    gender = demo_pupil.gender
    college = Principal.acting_as(accounts[DIRECTOR])
    await sports.save_association(
        session,
        college,
        AssociationIn(
            name="Association sportive du Collège Ibn Rochd",
            founded_on=date(2009, 10, 5),
            coordinator_id=accounts[COORDINATOR].id,
            discipline_codes=["FOOT", "ATHLE"],
        ),
    )
    players = [demo_pupil, *await _classmates(session, demo_pupil)]
    team_a = await _licensed_team(
        session, college, players, certificate, "Ibn Rochd cadets", with_pending=2
    )
    lycee_director = await create_account(
        session,
        NewAccount(
            LYCEE_DIRECTOR,
            password,
            Role.SCHOOL_STAFF,
            "Rachid",
            "El Fassi",
            title=StaffTitle.DIRECTOR,
            school_code=LYCEE_CODE,
        ),
    )
    lycee = Principal.acting_as(lycee_director)
    await sports.save_association(
        session,
        lycee,
        AssociationIn(
            name="Association sportive du Lycée Moulay Youssef",
            founded_on=date(1998, 11, 2),
            discipline_codes=["FOOT", "BASKET", "ATHLE"],
        ),
    )
    assert lycee_director.school_id is not None  # a school account
    lycee_pupils = await _tronc_commun(session, rng, new_pupil, lycee_director.school_id, gender)
    team_b = await _licensed_team(
        session, lycee, lycee_pupils, certificate, "Moulay Youssef cadets", with_pending=0
    )
    await _championship(session, accounts, (college, team_a), (lycee, team_b), gender)


async def _certificate_day(session: AsyncSession) -> date:
    """A certificate of this school year, a few weeks old when possible."""
    start = await session.scalar(select(SchoolYear.starts_on).where(SchoolYear.is_current))
    assert start is not None  # the demo world opened its year first
    return max(start, school_today() - timedelta(days=21))


async def _classmates(session: AsyncSession, pupil: Pupil) -> list[Pupil]:
    return list(
        await session.scalars(
            select(Pupil)
            .where(
                Pupil.school_id == pupil.school_id,
                Pupil.gender == pupil.gender,
                Pupil.id != pupil.id,
            )
            .order_by(Pupil.massar_code)
            .limit(TEAM_SIZE + 1)
        )
    )


async def _licensed_team(
    session: AsyncSession,
    principal: Principal,
    pupils: list[Pupil],
    certificate: date,
    name: str,
    *,
    with_pending: int,
) -> uuid.UUID:
    """Licence the pupils (the last `with_pending` still owe their certificate) and make a
    cadets football team of those who are fit."""
    fit, pending = pupils[: len(pupils) - with_pending], pupils[len(pupils) - with_pending :]
    rows = [
        LicenceIn(
            pupil_id=p.id,
            discipline_codes=["FOOT", "ATHLE"] if i % 3 == 0 else ["FOOT"],
            medical_certificate_on=certificate,
        )
        for i, p in enumerate(fit)
    ]
    rows += [LicenceIn(pupil_id=p.id, discipline_codes=["ATHLE"]) for p in pending]
    saved = await sport_licences.save_licences(session, principal, rows)
    team = await sport_teams.create_team(
        session,
        principal,
        TeamIn(name=name, discipline_code="FOOT", category=CATEGORY, gender=pupils[0].gender),
    )
    members = [lic.id for lic in saved.licences if lic.pupil.id in {p.id for p in fit}]
    await sport_teams.set_members(session, principal, team.id, members[:TEAM_SIZE])
    return team.id


async def _tronc_commun(
    session: AsyncSession,
    rng: random.Random,
    new_pupil: PupilMaker,
    school_id: uuid.UUID,
    gender: Gender,
) -> list[Pupil]:
    """A tronc-commun class at the lycée; its pupils of the demo pupil's gender."""
    year = await current_school_year(session)
    school_class = SchoolClass(school_id=school_id, school_year=year, level_code="TC", name="TC-1")
    session.add(school_class)
    await session.flush()
    # Born so as to turn 16 in the season's second calendar year: cadets.
    pupils = [
        new_pupil(rng, school_id, f"M13{200001 + i:07d}", year - 15) for i in range(TEAM_SIZE * 2)
    ]
    session.add_all(pupils)
    await session.flush()
    first_day = await session.get_one(SchoolYear, year)
    session.add_all(
        Enrolment(
            pupil_id=p.id,
            class_id=school_class.id,
            school_id=school_id,
            school_year=year,
            enrolled_on=first_day.starts_on,
        )
        for p in pupils
    )
    await session.flush()
    return [p for p in pupils if p.gender == gender][:TEAM_SIZE]


async def _championship(
    session: AsyncSession,
    accounts: dict[str, User],
    home: tuple[Principal, uuid.UUID],
    away: tuple[Principal, uuid.UUID],
    gender: Gender,
) -> None:
    """The directorate's championship: both teams entered and accepted, two matches played
    and the return match to come."""
    province = Principal.acting_as(accounts[PROVINCE])
    today = school_today()
    competition = await sport_competitions.create_competition(
        session,
        province,
        CompetitionIn(
            name="Championnat provincial de football scolaire – cadets",
            discipline_code="FOOT",
            category=CATEGORY,
            gender=gender,
            starts_on=today - timedelta(days=30),
            ends_on=today + timedelta(days=90),
        ),
    )
    entries = []
    for principal, team_id in (home, away):
        entry = await sport_competitions.enter_team(session, principal, competition.id, team_id)
        await sport_competitions.decide_entry(session, province, entry.id, "accept")
        entries.append(entry.id)
    await sport_competitions.act_on_competition(session, province, competition.id, "close_entries")
    matches = (
        (entries[0], entries[1], -14, "Stade annexe Moulay Abdellah", (2, 1)),
        (entries[1], entries[0], -7, "Terrain du Lycée Moulay Youssef", (1, 1)),
        (entries[0], entries[1], 6, "Terrain du Collège Ibn Rochd", None),
    )
    for number, (h, a, days, place, score) in enumerate(matches, start=1):
        kickoff = datetime.combine(today + timedelta(days=days), time(15, 0), UTC)
        fixture = await sport_fixtures.schedule_fixture(
            session,
            province,
            competition.id,
            FixtureIn(
                home_entry_id=h,
                away_entry_id=a,
                scheduled_at=kickoff,
                place=place,
                round=f"Journée {number}",
            ),
        )
        if score is not None:
            await sport_fixtures.record_result(
                session, province, fixture.id, ResultIn(home_score=score[0], away_score=score[1])
            )
