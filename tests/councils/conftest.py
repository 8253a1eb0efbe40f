"""A collège and a lycée year's end: a 3AC class whose first pupil is the world's student
(and the world's parent's verified child), with published marks in both semesters; next
year opened, with its classes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import Pupil, SchoolClass
from app.core.roles import Role, StaffTitle
from app.family.models import GuardianLink, Kinship
from tests.factories import (
    World,
    access_token,
    assign,
    create_class,
    create_pupil,
    create_test_with_marks,
    create_user,
    ensure_current_year,
    open_next_year,
    stream,
    subject,
)

API = "/api/v1"


@dataclass
class YearEnd:
    world: World
    year: int
    next_year: int
    third: SchoolClass  # 3AC, school a1
    pupils: list[Pupil]
    streams: dict[str, str] = field(default_factory=dict)  # "TC-S" -> id
    next_classes: dict[str, SchoolClass] = field(default_factory=dict)

    def auth(self, who: str) -> dict[str, str]:
        return self.world.auth(who)


@pytest.fixture
async def year_end(session: AsyncSession, world: World) -> YearEnd:
    a1 = world.schools["a1"]
    year = await ensure_current_year(session)
    next_year = await open_next_year(session)
    third = await create_class(session, a1, level_code="3AC")
    pupils = [await create_pupil(session, third) for _ in range(4)]
    pupils[0].user_id = world.users["student"].id
    session.add(
        GuardianLink(
            parent_id=world.users["parent"].id,
            pupil_id=pupils[0].id,
            kinship=Kinship.FATHER,
            verified_at=datetime.now(UTC),
        )
    )
    maths, french = await subject(session, "MATH"), await subject(session, "FR")
    teacher = world.users["teacher"]
    await assign(session, teacher, third, maths)
    await assign(session, teacher, third, french)
    # Maths (coefficient 3) and French (3): semester 1 and 2 for the first three pupils.
    for semester, marks in ((1, ("14", "8", "10")), (2, ("16", "6", "11"))):
        values = dict(zip(pupils[:3], (Decimal(m) for m in marks), strict=True))
        await create_test_with_marks(session, third, maths, teacher, values, semester=semester)
        await create_test_with_marks(session, third, french, teacher, values, semester=semester)
    streams = {
        f"{level}-{code}": await stream(session, level, code)
        for level, code in (("TC", "S"), ("TC", "LSH"), ("1BAC", "SE"))
    }
    next_classes = {
        "TCS-1": await create_class(
            session, a1, level_code="TC", school_year=next_year, stream=streams["TC-S"]
        ),
        "TCS-2": await create_class(
            session, a1, level_code="TC", school_year=next_year, stream=streams["TC-S"]
        ),
        "3AC-1": await create_class(session, a1, level_code="3AC", school_year=next_year),
    }
    # The deputy and the secretary: posts without the councils duty.
    for title in (StaffTitle.SECRETARY, StaffTitle.DEPUTY):
        user = await create_user(session, Role.SCHOOL_STAFF, school=a1, title=title)
        world.users[title.value] = user
        world.tokens[title.value] = await access_token(session, user)
    await session.commit()
    return YearEnd(
        world=world,
        year=year,
        next_year=next_year,
        third=third,
        pupils=pupils,
        streams={name: str(s.id) for name, s in streams.items()},
        next_classes=next_classes,
    )


async def open_window(client: httpx.AsyncClient, end: YearEnd, *, wishes: bool = True) -> None:
    """The ministry opens this year's wishes window (or its re-orientation window) today."""
    today = school_today()
    past = today - timedelta(days=60)
    now = {
        "from": (today - timedelta(days=1)).isoformat(),
        "until": (today + timedelta(days=9)).isoformat(),
    }
    gone = {"from": (past - timedelta(days=9)).isoformat(), "until": past.isoformat()}
    open_, closed = (now, gone) if wishes else (gone, now)
    answer = await client.put(
        f"{API}/steering/orientation-windows",
        json={
            "school_year": end.year,
            "wishes_from": open_["from"],
            "wishes_until": open_["until"],
            "reorientation_from": closed["from"],
            "reorientation_until": closed["until"],
        },
        headers=end.auth("central_staff"),
    )
    assert answer.status_code == 200, answer.text
