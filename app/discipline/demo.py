"""Discipline's part of the demo world: the discipline office of Collège Ibn Rochd (its own
login) recorded an incident in the courtyard a week ago, and the director's formal warning of
D130000001, whose parent has a login (`parent.demo@taalim.ma`) and was notified."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import Pupil
from app.accounts.models import User
from app.accounts.users import NewAccount, create_account
from app.core.roles import Role, StaffTitle
from app.core.security.principal import Principal
from app.discipline import incidents, sanctions
from app.discipline.models import IncidentKind, IncidentPlace, SanctionKind
from app.discipline.schemas import IncidentIn, SanctionIn
from app.organisation.models import School

DISCIPLINE_OFFICE = "surveillance.demo@taalim.ma"
DIRECTOR = "director.demo@taalim.ma"
PUPIL = "D130000001"


async def seed_discipline(session: AsyncSession, users: dict[str, User], password: str) -> None:
    """The discipline office's login, an incident and one sanction."""
    school_code = await session.scalar(
        select(School.code).where(School.id == users[DIRECTOR].school_id)
    )
    office = await create_account(
        session,
        NewAccount(
            DISCIPLINE_OFFICE,
            password,
            Role.SCHOOL_STAFF,
            "Rachid",
            "Lahlou",
            title=StaffTitle.DISCIPLINE_OFFICE,
            school_code=school_code,
        ),
    )
    pupil = await session.scalar(select(Pupil.id).where(Pupil.massar_code == PUPIL))
    assert pupil is not None  # the teaching demo enrols them
    recorder = Principal.acting_as(office)
    today = school_today()
    incident = await incidents.record_incident(
        session,
        recorder,
        IncidentIn(
            occurred_on=today - timedelta(days=7),
            place=IncidentPlace.COURTYARD,
            kind=IncidentKind.DISRESPECT,
            description="Propos irrespectueux envers un surveillant pendant la récréation.",
            pupil_ids=[pupil],
        ),
    )
    await sanctions.record_sanction(
        session,
        recorder,
        incident.id,
        SanctionIn(
            pupil_id=pupil, kind=SanctionKind.FORMAL_WARNING, decided_on=today - timedelta(days=5)
        ),
    )
