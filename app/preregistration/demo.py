"""Pre-registration in the demo world: École Al Wahda (Salé) takes registrations for 1AP next
year, and a parent who signed up online (`wali.preinscription@example.ma`) has asked for a
place for their daughter; the request waits for the school."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Gender
from app.accounts.users import NewAccount, create_account
from app.core.roles import Role
from app.family.models import Kinship
from app.organisation.models import School
from app.preregistration.models import (
    ContactKind,
    Preregistration,
    RegistrationOpening,
    Signup,
)
from app.preregistration.openings import next_school_year
from app.preregistration.registrations import ENTRY_AGE

DEMO_SCHOOL = "25101C"  # École Al Wahda, primary, commune of Tabriquet
DEMO_PARENT = "wali.preinscription@example.ma"
DEMO_CIN = "AE123456"


async def seed_preregistration(session: AsyncSession, password: str) -> None:
    """Open Al Wahda's registrations for next year, with one pending request in them."""
    school_id = await session.scalar(select(School.id).where(School.code == DEMO_SCHOOL))
    assert school_id is not None
    year = await next_school_year(session)
    session.add(RegistrationOpening(school_id=school_id, school_year=year, is_open=True))
    parent = await create_account(
        session, NewAccount(DEMO_PARENT, password, Role.PARENT, "Khadija", "Amrani")
    )
    # The parent signed up with their email address, as the public sign-up does it.
    now = datetime.now(UTC)
    session.add(
        Signup(
            contact_kind=ContactKind.EMAIL,
            contact=DEMO_PARENT,
            cin=DEMO_CIN,
            first_name=parent.first_name,
            last_name=parent.last_name,
            expires_at=now,
            attempts=1,
            verified_at=now,
            user_id=parent.id,
        )
    )
    session.add(
        Preregistration(
            school_id=school_id,
            school_year=year,
            parent_id=parent.id,
            kinship=Kinship.MOTHER,
            first_name="Salma",
            last_name="Amrani",
            first_name_ar="سلمى",
            last_name_ar="العمراني",
            birth_date=date(year - ENTRY_AGE, 5, 21),
            birth_place="Salé",
            gender=Gender.FEMALE,
        )
    )
    await session.flush()
