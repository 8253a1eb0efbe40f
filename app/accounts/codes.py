"""First logins and forgotten passwords, handled at the school as Massar does: the school
issues a one-time code on paper, and the person sets their own password with it."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil
from app.accounts.models import AccountCode, AccountCodePurpose, AuthSession, User
from app.accounts.schemas import AccountCodeOut, ParentAccountIn
from app.accounts.users import (
    PUPIL_DOMAIN,
    normalise_username,
    pending_account,
)
from app.core.roles import Role
from app.core.security.one_time_codes import hash_code, issue_code
from app.core.security.passwords import hash_password
from app.core.security.principal import Principal
from app.core.security.throttle import LoginThrottle
from app.errors import Conflict, NotAuthenticated, NotFound
from app.family.models import GuardianLink
from app.organisation.models import School
from app.organisation.scopes import school_scope

CODE_LIFETIME = timedelta(days=14)
log = logging.getLogger(__name__)


async def issue_for_pupil(
    session: AsyncSession, principal: Principal, pupil_id: uuid.UUID
) -> AccountCodeOut:
    """A code for a pupil of the school: activation (the account is opened now, with no usable
    password) or, for an account in use, a reset."""
    pupil = await session.scalar(
        select(Pupil).where(Pupil.id == pupil_id, school_scope(principal, Pupil.school_id))
    )
    if pupil is None:
        raise NotFound()
    if pupil.user_id is None:
        pupil.user_id = (await _open_pupil_account(session, pupil)).id
    return await issue_for_user(session, principal, pupil.school_id, pupil.user_id)


async def _open_pupil_account(session: AsyncSession, pupil: Pupil) -> User:
    school = await session.get_one(School, pupil.school_id)
    username = f"{pupil.massar_code.lower()}@{PUPIL_DOMAIN}"
    return await pending_account(session, username, Role.STUDENT, pupil, school)


async def open_parent_account(
    session: AsyncSession, principal: Principal, pupil_id: uuid.UUID, new: ParentAccountIn
) -> AccountCodeOut:
    """Open a parent's account, already linked to their child, with an activation code."""
    pupil = await session.scalar(
        select(Pupil).where(Pupil.id == pupil_id, school_scope(principal, Pupil.school_id))
    )
    if pupil is None:
        raise NotFound()
    username = normalise_username(str(new.email))
    if await session.scalar(select(User.id).where(User.username == username)):
        # An existing parent links a further child with a link code, not a second account.
        raise Conflict()
    parent = await pending_account(session, username, Role.PARENT, new)
    session.add(GuardianLink.verified(parent.id, pupil.id, new.kinship))
    return await issue_for_user(session, principal, pupil.school_id, parent.id)


async def issue_for_parent(
    session: AsyncSession, principal: Principal, link_id: uuid.UUID
) -> AccountCodeOut:
    """A code for the parent of a pupil of the school (through their verified link)."""
    row = (
        await session.execute(
            select(GuardianLink.parent_id, Pupil.school_id)
            .join(Pupil, Pupil.id == GuardianLink.pupil_id)
            .where(
                GuardianLink.id == link_id,
                GuardianLink.verified_at.is_not(None),
                school_scope(principal, Pupil.school_id),
            )
        )
    ).one_or_none()
    if row is None:
        raise NotFound()
    return await issue_for_user(session, principal, row.school_id, row.parent_id)


async def issue_for_user(
    session: AsyncSession, principal: Principal, school_id: uuid.UUID, user_id: uuid.UUID
) -> AccountCodeOut:
    """A fresh code for the account; earlier unused ones die."""
    user = await session.get_one(User, user_id)
    purpose = AccountCodePurpose.RESET if user.last_login_at else AccountCodePurpose.ACTIVATION
    code, expires_at = await issue_code(
        session,
        AccountCode.user_id,
        user_id,
        CODE_LIFETIME,
        school_id=school_id,
        purpose=purpose,
        issued_by=principal.user_id,
    )
    log.info(
        "account code (%s) for user %s issued by %s", purpose.value, user_id, principal.user_id
    )
    return AccountCodeOut(username=user.username, purpose=purpose, code=code, expires_at=expires_at)


async def activate(
    session: AsyncSession,
    throttle: LoginThrottle,
    client_ip: str,
    username: str,
    code: str,
    new_password: str,
) -> None:
    """Set a password with a school's code. Any wrong detail gets the same 401 and counts as a
    failed login, so codes cannot be guessed faster than passwords."""
    name = normalise_username(username)
    attempt = await throttle.begin(name, client_ip)
    row = (
        await session.execute(
            select(AccountCode, User)
            .join(User, User.id == AccountCode.user_id)
            .where(
                AccountCode.code_hash == hash_code(code),
                AccountCode.used_at.is_(None),
                AccountCode.expires_at > func.now(),
                User.username == name,
                User.is_active.is_(True),
            )
            .with_for_update(of=AccountCode)
        )
    ).one_or_none()
    if row is None:
        await throttle.failed(attempt)
        raise NotAuthenticated("auth.invalid_code")
    account_code, user = row
    account_code.used_at = datetime.now(UTC)
    async with throttle.checking(attempt):
        user.password_hash = await hash_password(new_password)
    # After a reset, whoever knew the old password is logged out everywhere.
    await session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC), revoked_reason="password_reset")
    )
    if user.role is Role.PARENT and account_code.purpose is AccountCodePurpose.RESET:
        await _hold_links_elsewhere(session, user.id, account_code.school_id)
    await throttle.succeeded(attempt)
    log.info(
        "password set with a school code (%s) for user %s", account_code.purpose.value, user.id
    )


async def _hold_links_elsewhere(
    session: AsyncSession, parent_id: uuid.UUID, school_id: uuid.UUID
) -> None:
    """A reset proves the parent to the school that issued the code, and to no other: links to
    children at other schools wait again for those schools (or a link code of theirs), so staff
    of one school cannot take over a parent's account to read a child enrolled elsewhere."""
    await session.execute(
        update(GuardianLink)
        .where(
            GuardianLink.parent_id == parent_id,
            GuardianLink.verified_at.is_not(None),
            GuardianLink.pupil_id.in_(select(Pupil.id).where(Pupil.school_id != school_id)),
        )
        .values(verified_at=None)
    )
