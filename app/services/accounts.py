"""Accounts: creation (CLI, demo, imports later) and the caller's own profile."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.errors import Conflict, NotFound, ProblemError
from app.models.accounts import User
from app.models.enums import ROLE_LEVEL, Level, Role, StaffTitle
from app.models.organisation import Academy, Province, School
from app.schemas.common import SchoolRef, UnitRef
from app.schemas.me import App, MeOut
from app.security.passwords import hash_password
from app.security.principal import Principal

PUPIL_DOMAIN = "taalim.ma"
MASSAR_CODE = re.compile(r"^[A-Z][0-9]{9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 8

APPS_BY_ROLE: dict[Role, list[App]] = {
    Role.STUDENT: [App.MOUTAMADRIS],
    Role.PARENT: [App.WALI],
    Role.TEACHER: [App.MOUDARIS],
    Role.SCHOOL_STAFF: [App.BACK_OFFICE],
    Role.PROVINCE_STAFF: [App.BACK_OFFICE],
    Role.ACADEMY_STAFF: [App.BACK_OFFICE],
    Role.CENTRAL_STAFF: [App.BACK_OFFICE],
}


def normalise_username(username: str) -> str:
    return username.strip().lower()


def check_username(username: str, role: Role) -> str:
    """Pupils log in as `<MassarCode>@taalim.ma`; everyone else with an email address."""
    username = normalise_username(username)
    if role is Role.STUDENT:
        local, _, domain = username.partition("@")
        if domain != PUPIL_DOMAIN or not MASSAR_CODE.match(local.upper()):
            raise _invalid("username", "a pupil's login is <MassarCode>@taalim.ma")
    elif not _EMAIL.match(username):
        raise _invalid("username", "the login must be an email address")
    return username


@dataclass(frozen=True, slots=True)
class NewAccount:
    username: str
    password: str
    role: Role
    first_name: str
    last_name: str
    title: StaffTitle | None = None
    school_code: str | None = None
    province_code: str | None = None
    academy_code: str | None = None
    first_name_ar: str | None = None
    last_name_ar: str | None = None


async def create_account(session: AsyncSession, new: NewAccount) -> User:
    """Create an account at the place in the hierarchy its role requires."""
    username = check_username(new.username, new.role)
    if len(new.password) < MIN_PASSWORD_LENGTH:
        raise _invalid("password", f"at least {MIN_PASSWORD_LENGTH} characters")
    if (new.role is Role.SCHOOL_STAFF) != (new.title is not None):
        raise _invalid("title", "school staff have a title, and only they do")
    if await session.scalar(select(User.id).where(User.username == username)):
        raise Conflict()
    school_id, province_id, academy_id = await _place(session, new)
    user = User(
        username=username,
        password_hash=await hash_password(new.password),
        role=new.role,
        title=new.title,
        first_name=new.first_name,
        last_name=new.last_name,
        first_name_ar=new.first_name_ar,
        last_name_ar=new.last_name_ar,
        school_id=school_id,
        province_id=province_id,
        academy_id=academy_id,
    )
    session.add(user)
    await session.flush()
    return user


Place = tuple[uuid.UUID | None, uuid.UUID | None, uuid.UUID | None]


async def _place(session: AsyncSession, new: NewAccount) -> Place:
    """(school_id, province_id, academy_id) for the account's level, from the codes given."""
    match ROLE_LEVEL[new.role]:
        case Level.SCHOOL:
            row = (
                await session.execute(
                    select(School.id, School.province_id, School.academy_id).where(
                        School.code == _required(new.school_code, "school_code")
                    )
                )
            ).one_or_none()
            if row is None:
                raise _invalid("school_code", "no such school")
            return row.id, row.province_id, row.academy_id
        case Level.PROVINCE:
            prow = (
                await session.execute(
                    select(Province.id, Province.academy_id).where(
                        Province.code == _required(new.province_code, "province_code")
                    )
                )
            ).one_or_none()
            if prow is None:
                raise _invalid("province_code", "no such directorate")
            return None, prow.id, prow.academy_id
        case Level.ACADEMY:
            academy_id = await session.scalar(
                select(Academy.id).where(
                    Academy.code == _required(new.academy_code, "academy_code")
                )
            )
            if academy_id is None:
                raise _invalid("academy_code", "no such academy")
            return None, None, academy_id
        case _:
            return None, None, None


async def get_me(session: AsyncSession, principal: Principal) -> MeOut:
    """The caller's account with the names of its school, directorate and academy."""
    province = aliased(Province)
    academy = aliased(Academy)
    row = (
        await session.execute(
            select(User, School, province, academy)
            .outerjoin(School, School.id == User.school_id)
            .outerjoin(province, province.id == User.province_id)
            .outerjoin(academy, academy.id == User.academy_id)
            .where(User.id == principal.user_id)
        )
    ).one_or_none()
    if row is None:
        raise NotFound()
    user, school, prov, acad = row
    return MeOut(
        id=user.id,
        username=user.username,
        role=user.role,
        title=user.title,
        level=ROLE_LEVEL[user.role],
        first_name=user.first_name,
        last_name=user.last_name,
        first_name_ar=user.first_name_ar,
        last_name_ar=user.last_name_ar,
        school=SchoolRef.model_validate(school) if school else None,
        province=UnitRef.model_validate(prov) if prov else None,
        academy=UnitRef.model_validate(acad) if acad else None,
        apps=APPS_BY_ROLE[user.role],
    )


def _required(value: str | None, field: str) -> str:
    if not value:
        raise _invalid(field, "required for this role")
    return value


def _invalid(field: str, message: str) -> ProblemError:
    return ProblemError(
        422,
        "error.validation",
        kind="validation",
        errors=[{"field": field, "message": message, "code": "invalid"}],
    )
