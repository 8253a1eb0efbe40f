"""Plain async factories for tests: rows inserted through the session under test."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.accounts import AuthSession, User
from app.models.enums import Area, Role, Sector, StaffTitle
from app.models.organisation import Province, School
from app.security.passwords import hash_password
from app.security.tokens import TokenSubject, get_token_codec

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)
_password_hash: str | None = None


async def password_hash() -> str:
    """One real argon2 hash of PASSWORD, computed once per run."""
    global _password_hash
    if _password_hash is None:
        _password_hash = await hash_password(PASSWORD)
    return _password_hash


async def create_school(
    session: AsyncSession, *, province_code: str, code: str | None = None, **fields: object
) -> School:
    province = (
        await session.execute(select(Province).where(Province.code == province_code))
    ).scalar_one()
    n = next(_counter)
    school = School(
        code=code or f"T{n:05d}X",
        name_fr=f"École test {n}",
        name_ar=f"مدرسة اختبار {n}",
        cycles=["college"],
        sector=Sector.PUBLIC,
        area=Area.URBAN,
        province_id=province.id,
        academy_id=province.academy_id,
        **fields,
    )
    session.add(school)
    await session.flush()
    return school


async def create_user(
    session: AsyncSession,
    role: Role,
    *,
    school: School | None = None,
    province: Province | None = None,
    academy_id: object = None,
    title: StaffTitle | None = None,
    username: str | None = None,
    is_active: bool = True,
) -> User:
    n = next(_counter)
    if role is Role.SCHOOL_STAFF and title is None:
        title = StaffTitle.DIRECTOR
    if username is None:
        username = f"x{n:09d}@taalim.ma" if role is Role.STUDENT else f"user{n}@taalim.ma"
    user = User(
        username=username.lower(),
        password_hash=await password_hash(),
        role=role,
        title=title,
        first_name="Test",
        last_name=f"User{n}",
        school_id=school.id if school else None,
        province_id=school.province_id if school else (province.id if province else None),
        academy_id=(
            school.academy_id if school else (province.academy_id if province else academy_id)
        ),
        is_active=is_active,
    )
    session.add(user)
    await session.flush()
    return user


async def access_token(session: AsyncSession, user: User) -> str:
    """A valid access token for `user`, on a new login session (no password round trip)."""
    login = AuthSession(user_id=user.id)
    session.add(login)
    await session.flush()
    subject = TokenSubject(
        user_id=user.id,
        role=user.role,
        school_id=user.school_id,
        province_id=user.province_id,
        academy_id=user.academy_id,
    )
    return get_token_codec().issue_access_token(subject, login.id).token


@dataclass
class World:
    """Schools across two directorates of one academy and one of another academy, and a
    caller of every role.

    school_a1, school_a2: directorate P1 (RSK-RABAT); school_b: P2 (RSK-SALE), same academy;
    school_c: P3 (CS-ANFA), another academy.
    """

    schools: dict[str, School] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


async def build_world(session: AsyncSession) -> World:
    world = World()
    provinces = {
        p.code: p
        for p in (
            await session.execute(
                select(Province).where(Province.code.in_(["RSK-RABAT", "RSK-SALE", "CS-ANFA"]))
            )
        ).scalars()
    }
    world.schools = {
        "a1": await create_school(session, province_code="RSK-RABAT"),
        "a2": await create_school(session, province_code="RSK-RABAT"),
        "b": await create_school(session, province_code="RSK-SALE"),
        "c": await create_school(session, province_code="CS-ANFA"),
    }
    a1, c = world.schools["a1"], world.schools["c"]
    world.users = {
        "student": await create_user(session, Role.STUDENT, school=a1),
        "parent": await create_user(session, Role.PARENT),
        "teacher": await create_user(session, Role.TEACHER, school=a1),
        "school_staff": await create_user(session, Role.SCHOOL_STAFF, school=a1),
        "other_school_staff": await create_user(session, Role.SCHOOL_STAFF, school=c),
        "province_staff": await create_user(
            session, Role.PROVINCE_STAFF, province=provinces["RSK-RABAT"]
        ),
        "academy_staff": await create_user(
            session, Role.ACADEMY_STAFF, academy_id=provinces["RSK-RABAT"].academy_id
        ),
        "central_staff": await create_user(session, Role.CENTRAL_STAFF),
    }
    world.tokens = {name: await access_token(session, u) for name, u in world.users.items()}
    return world
