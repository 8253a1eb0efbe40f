"""Accounts: creation (CLI, demo, imports later) and the caller's own profile."""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass
from typing import TypeVar

from asyncpg import Record
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.accounts.schemas import App, MeOut
from app.core.db.prepared import Prepared, ReadConnection
from app.core.roles import ROLE_LEVEL, Level, Role, StaffTitle
from app.core.schemas import SchoolRef, UnitRef
from app.core.security.passwords import hash_password
from app.core.security.principal import Principal
from app.errors import Conflict, NotFound, invalid
from app.organisation.models import Academy, Province, School

U = TypeVar("U", bound=UnitRef)

PUPIL_DOMAIN = "taalim.ma"
MASSAR_CODE = re.compile(r"^[A-Z][0-9]{9}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 8
_NAMES = ("first_name", "last_name", "first_name_ar", "last_name_ar")

APPS_BY_ROLE: dict[Role, list[App]] = {
    Role.STUDENT: [App.MOUTAMADRIS],
    Role.PARENT: [App.WALI],
    Role.TEACHER: [App.MOUDARIS],
    Role.SCHOOL_STAFF: [App.BACK_OFFICE],
    Role.PROVINCE_STAFF: [App.BACK_OFFICE],
    Role.ACADEMY_STAFF: [App.BACK_OFFICE],
    Role.CENTRAL_STAFF: [App.BACK_OFFICE],
}


def names_of(person: object) -> dict[str, str | None]:
    """A person's names as an account holds them (the Arabic ones when the person has them)."""
    return {name: getattr(person, name, None) for name in _NAMES}


def school_place(school: School) -> dict[str, uuid.UUID]:
    """The columns that put an account at its school's place in the tree."""
    return {
        "school_id": school.id,
        "province_id": school.province_id,
        "academy_id": school.academy_id,
    }


async def unusable_password_hash() -> str:
    """The hash of a random password nobody is told: the account is usable only once its
    owner sets a password with an activation code."""
    return await hash_password(secrets.token_urlsafe(32))


async def pending_account(
    session: AsyncSession, username: str, role: Role, person: object, school: School | None = None
) -> User:
    """A new account for `person` (at `school`, if given), added to the session: usable once
    its owner sets a password with an activation code."""
    account = User(
        username=username,
        password_hash=await unusable_password_hash(),
        role=role,
        **names_of(person),
        **(school_place(school) if school else {}),
    )
    session.add(account)
    await session.flush()
    return account


def normalise_username(username: str) -> str:
    return username.strip().lower()


def check_username(username: str, role: Role) -> str:
    """Pupils log in as `<MassarCode>@taalim.ma`; everyone else with an email address."""
    username = normalise_username(username)
    if role is Role.STUDENT:
        local, _, domain = username.partition("@")
        if domain != PUPIL_DOMAIN or not MASSAR_CODE.match(local.upper()):
            raise invalid("username", "a pupil's login is <MassarCode>@taalim.ma")
    elif not EMAIL.match(username):
        raise invalid("username", "the login must be an email address")
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
        raise invalid("password", f"at least {MIN_PASSWORD_LENGTH} characters")
    if (new.role is Role.SCHOOL_STAFF) != (new.title is not None):
        raise invalid("title", "school staff have a title, and only they do")
    if await session.scalar(select(User.id).where(User.username == username)):
        raise Conflict()
    school_id, province_id, academy_id = await _place(session, new)
    user = User(
        username=username,
        password_hash=await hash_password(new.password),
        role=new.role,
        title=new.title,
        **names_of(new),
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
                raise invalid("school_code", "no such school")
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
                raise invalid("province_code", "no such directorate")
            return None, prow.id, prow.academy_id
        case Level.ACADEMY:
            academy_id = await session.scalar(
                select(Academy.id).where(
                    Academy.code == _required(new.academy_code, "academy_code")
                )
            )
            if academy_id is None:
                raise invalid("academy_code", "no such academy")
            return None, None, academy_id
        case _:
            return None, None, None


# Built and compiled once: the app reads it at every start.
_UNIT_COLUMNS = ("id", "code", "name_fr", "name_ar")
_province = aliased(Province, name="province")
_academy = aliased(Academy, name="academy")
_ME = Prepared(
    select(
        User.id,
        User.username,
        User.role,
        User.title,
        User.first_name,
        User.last_name,
        User.first_name_ar,
        User.last_name_ar,
        *(
            getattr(unit, column).label(f"{prefix}_{column}")
            for prefix, unit in (("school", School), ("province", _province), ("academy", _academy))
            for column in _UNIT_COLUMNS
        ),
    )
    .outerjoin(School, School.id == User.school_id)
    .outerjoin(_province, _province.id == User.province_id)
    .outerjoin(_academy, _academy.id == User.academy_id)
    .where(User.id == bindparam("user_id"))
)


async def get_me(db: ReadConnection, principal: Principal) -> MeOut:
    """The caller's account with the names of its school, directorate and academy.

    Opened at every app start: one prepared statement, read column by column.
    """
    row = await _ME.fetchrow(db, user_id=principal.user_id)
    if row is None:
        raise NotFound()
    role = Role(row["role"])
    return MeOut.of_record(
        row,
        level=ROLE_LEVEL[role],
        school=_unit(row, "school", SchoolRef),
        province=_unit(row, "province", UnitRef),
        academy=_unit(row, "academy", UnitRef),
        apps=APPS_BY_ROLE[role],
    )


def _unit(values: Record, prefix: str, model: type[U]) -> U | None:
    """The `<prefix>_id/code/name_fr/name_ar` columns of a row as a reference, if present."""
    if values[f"{prefix}_id"] is None:
        return None
    return model(**{column: values[f"{prefix}_{column}"] for column in _UNIT_COLUMNS})


def _required(value: str | None, field: str) -> str:
    if not value:
        raise invalid(field, "required for this role")
    return value
