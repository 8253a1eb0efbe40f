"""Importing a school's teachers from a spreadsheet or CSV (PPR, names, email, rank,
specialty): new teachers get an account and a first-login code, known ones are updated, every
row is checked, nothing is written unless all are valid, and the same file twice changes nothing.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import anyio.to_thread
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Subject, TeacherProfile
from app.academics.schemas import (
    ImportRowError,
    NewTeacherCode,
    TeacherImportReport,
    refused_rows,
)
from app.accounts.codes import CODE_LIFETIME
from app.accounts.models import AccountCode, AccountCodePurpose, User
from app.accounts.users import names_of, normalise_username, school_place, unusable_password_hash
from app.core.roles import Role
from app.core.security.one_time_codes import hash_code, new_code
from app.core.security.principal import Principal
from app.core.tabular import TableRow, normalise, read_table
from app.organisation.models import School

COLUMNS = {
    "ppr": "PPR",
    "last_name": "Nom",
    "first_name": "Prénom",
    "email": "Email",
    "rank": "Grade",
    "specialty": "Spécialité",
}
PPR = re.compile(r"^[0-9]{5,12}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class TeacherRow:
    row: int
    ppr: str
    email: str
    first_name: str
    last_name: str
    rank: str
    specialty: str | None


async def import_teachers(
    session: AsyncSession, principal: Principal, content: bytes
) -> TeacherImportReport:
    """Create or update the file's teachers in the caller's school."""
    table = await anyio.to_thread.run_sync(read_table, content, COLUMNS["ppr"])
    subjects = set((await session.scalars(select(Subject.code))).all())
    rows, errors = _parse(table, subjects)
    known = {
        p.ppr: (p, u)
        for p, u in await session.execute(
            select(TeacherProfile, User)
            .join(User, User.id == TeacherProfile.user_id)
            .where(TeacherProfile.ppr.in_([r.ppr for r in rows]))
        )
    }
    taken = set(
        (
            await session.scalars(
                select(User.username).where(User.username.in_([r.email for r in rows]))
            )
        ).all()
    )
    for r in rows:
        profile_user = known.get(r.ppr)
        if profile_user and profile_user[1].school_id != principal.school_id:
            errors.append(
                _error(r.row, r.ppr, "ppr", "a teacher of another school", "other_school")
            )
        elif not profile_user and r.email in taken:
            errors.append(
                _error(r.row, r.ppr, "email", "this email already has an account", "email_taken")
            )
    if errors:
        raise refused_rows(errors)
    return await _apply(session, principal, rows, known, len(table))


def _error(row: int, ppr: str | None, key: str, message: str, code: str) -> ImportRowError:
    return ImportRowError(row=row, massar_code=ppr, column=COLUMNS[key], message=message, code=code)


def _parse(
    table: list[TableRow], subjects: set[str]
) -> tuple[list[TeacherRow], list[ImportRowError]]:
    rows: list[TeacherRow] = []
    errors: list[ImportRowError] = []
    seen: set[str] = set()
    for line in table:
        cell = {k: str(line.values.get(normalise(h)) or "").strip() for k, h in COLUMNS.items()}
        ppr = cell["ppr"]
        if not PPR.match(ppr):
            errors.append(
                _error(line.number, ppr or None, "ppr", "expected 5 to 12 digits", "ppr_format")
            )
        elif ppr in seen:
            errors.append(
                _error(line.number, ppr, "ppr", "this teacher appears twice", "duplicate")
            )
        seen.add(ppr)
        email = normalise_username(cell["email"])
        if not EMAIL.match(email):
            errors.append(
                _error(line.number, ppr, "email", "expected an email address", "email_format")
            )
        specialty = cell["specialty"].upper() or None
        if specialty and specialty not in subjects:
            errors.append(
                _error(line.number, ppr, "specialty", "unknown subject code", "unknown_subject")
            )
        errors += [
            _error(line.number, ppr, k, "required", "missing")
            for k in ("last_name", "first_name", "rank")
            if not cell[k]
        ]
        rows.append(
            TeacherRow(
                line.number,
                ppr,
                email,
                cell["first_name"],
                cell["last_name"],
                cell["rank"],
                specialty,
            )
        )
    return rows, errors


async def _apply(
    session: AsyncSession,
    principal: Principal,
    rows: list[TeacherRow],
    known: dict[str, tuple[TeacherProfile, User]],
    rows_read: int,
) -> TeacherImportReport:
    subject_ids = dict((await session.execute(select(Subject.code, Subject.id))).all())
    updated = 0
    for r in rows:
        if r.ppr not in known:
            continue
        profile, user = known[r.ppr]
        specialty = subject_ids.get(r.specialty) if r.specialty else None
        current = (user.first_name, user.last_name, profile.rank, profile.specialty_subject_id)
        if current != (r.first_name, r.last_name, r.rank, specialty):
            user.first_name, user.last_name = r.first_name, r.last_name
            profile.rank, profile.specialty_subject_id = r.rank, specialty
            updated += 1
    new_rows = [r for r in rows if r.ppr not in known]
    created = await _open_accounts(session, principal, new_rows, subject_ids)
    await session.flush()
    return TeacherImportReport(
        rows_read=rows_read,
        created=len(created),
        updated=updated,
        unchanged=len(rows) - len(created) - updated,
        activation_codes=created,
        errors=[],
    )


async def _open_accounts(
    session: AsyncSession,
    principal: Principal,
    rows: list[TeacherRow],
    subject_ids: dict[str, uuid.UUID],
) -> list[NewTeacherCode]:
    """Accounts, staff files and first-login codes for new teachers, added in bulk."""
    if not rows:
        return []
    school = await session.get_one(School, principal.school_id)
    # One random, never-revealed password hash for the whole import: nobody can log in with it,
    # and hashing it once keeps a 300-teacher import from costing 300 argon2 runs.
    unusable = await unusable_password_hash()
    expires_at = datetime.now(UTC) + CODE_LIFETIME
    users = [
        User(
            id=uuid.uuid4(),
            username=r.email,
            password_hash=unusable,
            role=Role.TEACHER,
            **names_of(r),
            **school_place(school),
        )
        for r in rows
    ]
    session.add_all(users)
    await session.flush()
    codes = [new_code() for _ in rows]
    session.add_all(
        TeacherProfile(
            user_id=u.id,
            school_id=school.id,
            ppr=r.ppr,
            rank=r.rank,
            specialty_subject_id=subject_ids.get(r.specialty) if r.specialty else None,
        )
        for u, r in zip(users, rows, strict=True)
    )
    session.add_all(
        AccountCode(
            school_id=school.id,
            user_id=u.id,
            purpose=AccountCodePurpose.ACTIVATION,
            code_hash=hash_code(code),
            issued_by=principal.user_id,
            expires_at=expires_at,
        )
        for u, code in zip(users, codes, strict=True)
    )
    return [
        NewTeacherCode(ppr=r.ppr, username=u.username, code=code)
        for r, u, code in zip(rows, users, codes, strict=True)
    ]
