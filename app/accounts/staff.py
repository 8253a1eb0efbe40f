"""A school's teachers: accounts opened by the school with a first-login code, their staff
file, and deactivation (which ends every login at once)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Subject, TeacherProfile
from app.accounts import codes as account_codes
from app.accounts import logins as auth
from app.accounts.models import User
from app.accounts.schemas import NewTeacherOut, SchoolTeacherOut, TeacherIn, TeacherPatch
from app.accounts.users import normalise_username, pending_account
from app.core.listing import found, found_row
from app.core.roles import Role
from app.core.security.principal import Principal
from app.errors import Conflict, invalid
from app.organisation.models import School


async def list_teachers(session: AsyncSession, principal: Principal) -> list[SchoolTeacherOut]:
    """The school's teacher accounts with their staff file, active first."""
    rows = await session.execute(
        select(User, TeacherProfile, Subject.code)
        .outerjoin(TeacherProfile, TeacherProfile.user_id == User.id)
        .outerjoin(Subject, Subject.id == TeacherProfile.specialty_subject_id)
        .where(User.role == Role.TEACHER, User.school_id == principal.school_id)
        .order_by(User.is_active.desc(), User.last_name, User.first_name)
    )
    return [_out(user, profile, code) for user, profile, code in rows]


def _out(user: User, profile: TeacherProfile | None, specialty: str | None) -> SchoolTeacherOut:
    return SchoolTeacherOut.of(
        user,
        ppr=profile.ppr if profile else None,
        rank=profile.rank if profile else None,
        specialty_code=specialty,
    )


async def _specialty(session: AsyncSession, code: str | None) -> uuid.UUID | None:
    if code is None:
        return None
    subject_id = await session.scalar(select(Subject.id).where(Subject.code == code.upper()))
    if subject_id is None:
        raise invalid("body.specialty_code", "unknown subject", "unknown_subject")
    return subject_id


async def open_teacher(
    session: AsyncSession, principal: Principal, new: TeacherIn
) -> NewTeacherOut:
    """Open a teacher's account in the school, with their staff file and a first-login code."""
    username = normalise_username(str(new.email))
    if await session.scalar(select(User.id).where(User.username == username)):
        raise Conflict()
    if await session.scalar(select(TeacherProfile.user_id).where(TeacherProfile.ppr == new.ppr)):
        raise Conflict("staff.ppr_taken")
    specialty = await _specialty(session, new.specialty_code)
    school = await session.get_one(School, principal.school_id)
    teacher = await pending_account(session, username, Role.TEACHER, new, school)
    profile = TeacherProfile(
        user_id=teacher.id,
        school_id=school.id,
        ppr=new.ppr,
        rank=new.rank,
        specialty_subject_id=specialty,
    )
    session.add(profile)
    await session.flush()
    code = await account_codes.issue_for_user(session, principal, school.id, teacher.id)
    specialty_code = new.specialty_code.upper() if new.specialty_code else None
    return NewTeacherOut(teacher=_out(teacher, profile, specialty_code), activation=code)


async def update_teacher(
    session: AsyncSession, principal: Principal, teacher_id: uuid.UUID, patch: TeacherPatch
) -> SchoolTeacherOut:
    """Correct a teacher's file, or deactivate (and reactivate) their account."""
    user, profile = await found_row(
        session,
        select(User, TeacherProfile)
        .outerjoin(TeacherProfile, TeacherProfile.user_id == User.id)
        .where(
            User.id == teacher_id,
            User.role == Role.TEACHER,
            User.school_id == principal.school_id,
        ),
    )
    changes = patch.changes()
    for field in ("first_name", "last_name"):
        if field in changes:
            setattr(user, field, changes[field])
    if profile is not None:
        if "rank" in changes:
            profile.rank = changes["rank"]
        if "specialty_code" in changes:
            profile.specialty_subject_id = await _specialty(session, changes["specialty_code"])
    if changes.get("is_active") is False and user.is_active:
        await auth.disable_user(session, user.username)
    elif changes.get("is_active") is True:
        user.is_active, user.disabled_at = True, None
    await session.flush()
    teachers = await list_teachers(session, principal)
    return found(next((t for t in teachers if t.id == teacher_id), None))
