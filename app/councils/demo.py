"""The year's end in the demo world, through the services the apps use: last year's council of
École Al Wahda's 6AP-2 (every pupil promoted to 1AC, validated) and its rollover into this year
(the pupils are already at Collège Ibn Rochd: the report says so); this year, a 3AC class at
Ibn Rochd whose pupil D130000090 has ranked the TC streams in an open window, and at Lycée
Moulay Youssef a scientific common core pupil's September request to move to letters."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_school_year, school_today
from app.academics.models import Pupil, SchoolClass, Stream
from app.academics.reference import load_reference
from app.accounts.models import User
from app.accounts.users import NewAccount, create_account
from app.core.roles import Role
from app.core.security.principal import Principal
from app.councils import decisions, orientation, rollover
from app.councils.models import Decision, Reorientation
from app.councils.schemas import CouncilDecisionIn, WindowIn
from app.demo.acts import enrolments
from app.demo.teaching import random_pupil
from app.organisation.models import School

WAHDA_DIRECTOR = "director.other@taalim.ma"
COLLEGE_CODE = "25001A"
LYCEE_CODE = "25002B"
ORIENTED_PUPIL = "D130000090"
ORIENTED_LOGIN = "D130000090@taalim.ma"


async def seed_councils(session: AsyncSession, accounts: dict[str, User], password: str) -> None:
    """Last year's council and rollover, this year's wishes and a re-orientation request."""
    rng = random.Random(1313)  # noqa: S311  (the same demo on every machine; not a secret)
    year = await current_school_year(session)
    await _last_year_council(session, accounts[WAHDA_DIRECTOR], year - 1)
    await orientation.set_window(session, year, _window(year))
    await _wishes_in_3ac(session, rng, year, password)
    await _reorientation_request(session, rng, year)


async def _last_year_council(session: AsyncSession, director: User, last_year: int) -> None:
    principal = Principal.acting_as(director)
    sixth = await session.scalar(
        select(SchoolClass).where(
            SchoolClass.school_id == director.school_id,
            SchoolClass.school_year == last_year,
            SchoolClass.level_code == "6AP",
        )
    )
    if sixth is None:  # pragma: no cover - the history demo makes it
        return
    reference = await load_reference(session)
    pupils = (await session.scalars(decisions.council_pupils(sixth))).all()
    rows = [
        CouncilDecisionIn(pupil_id=p, decision=Decision.PROMOTED, remarks="Passe au collège.")
        for p in pupils
    ]
    await decisions.record_decisions(session, principal, sixth.id, rows, reference)
    await decisions.validate(session, principal, sixth.id, reference)
    await rollover.roll_over(session, principal, last_year)


def _window(year: int) -> WindowIn:
    """Wishes open from the first of December (from today, later in the year) to the end of
    May; re-orientation in September."""
    opens = min(date(year, 12, 1), school_today())
    closes = max(date(year + 1, 5, 31), school_today() + timedelta(days=30))
    return WindowIn(
        wishes_from=opens,
        wishes_until=closes,
        reorientation_from=date(year, 9, 1),
        reorientation_until=date(year, 10, 15),
    )


async def _school(session: AsyncSession, code: str) -> School:
    return (await session.execute(select(School).where(School.code == code))).scalar_one()


async def _class(
    session: AsyncSession,
    school: School,
    year: int,
    name: str,
    level: str,
    stream: str | None = None,
) -> SchoolClass:
    stream_id = (
        await session.scalar(
            select(Stream.id).where(Stream.level_code == level, Stream.code == stream)
        )
        if stream
        else None
    )
    school_class = SchoolClass(
        school_id=school.id, school_year=year, level_code=level, stream_id=stream_id, name=name
    )
    session.add(school_class)
    await session.flush()
    return school_class


async def _pupils(
    session: AsyncSession,
    rng: random.Random,
    school_class: SchoolClass,
    first_number: int,
    count: int,
    birth_year: int,
) -> list[Pupil]:
    pupils = [
        random_pupil(rng, school_class.school_id, f"D13{first_number + n:07d}", birth_year)
        for n in range(count)
    ]
    session.add_all(pupils)
    await session.flush()
    session.add_all(enrolments(pupils, school_class))
    await session.flush()
    return pupils


async def _wishes_in_3ac(
    session: AsyncSession, rng: random.Random, year: int, password: str
) -> None:
    """3AC-1 at Ibn Rochd; its first pupil, with an account, has ranked three TC streams."""
    college = await _school(session, COLLEGE_CODE)
    third = await _class(session, college, year, "3AC-1", "3AC")
    pupils = await _pupils(session, rng, third, 90, 8, 2011)
    account = await create_account(
        session,
        NewAccount(
            ORIENTED_LOGIN,
            password,
            Role.STUDENT,
            pupils[0].first_name,
            pupils[0].last_name,
            school_code=COLLEGE_CODE,
            first_name_ar=pupils[0].first_name_ar,
            last_name_ar=pupils[0].last_name_ar,
        ),
    )
    pupils[0].user_id = account.id
    await session.flush()
    streams = {
        s.code: s.id for s in await session.scalars(select(Stream).where(Stream.level_code == "TC"))
    }
    await orientation.save_wishes(
        session, pupils[0].id, [streams["SF"], streams["S"], streams["T"]]
    )


async def _reorientation_request(session: AsyncSession, rng: random.Random, year: int) -> None:
    """At the lycée, a TC sciences class, a TC letters class, and a pupil who asked in
    September to move from the one to the other (pending: the school decides)."""
    lycee = await _school(session, LYCEE_CODE)
    sciences = await _class(session, lycee, year, "TCS-1", "TC", "S")
    letters = await _class(session, lycee, year, "TCLSH-1", "TC", "LSH")
    asking = (await _pupils(session, rng, sciences, 110, 6, 2010))[0]
    await _pupils(session, rng, letters, 120, 4, 2010)
    # Written as it was made, in September's window (closed by now).
    session.add(
        Reorientation(
            school_id=lycee.id,
            school_year=year,
            pupil_id=asking.id,
            stream_id=letters.stream_id,
            reason="Je préfère les lettres et la philosophie.",
        )
    )
    await session.flush()
