"""Who may see which pupil outside the school: the pupil themself, and parents whose link to
the pupil is verified. Linking uses a one-time code the pupil's school issues."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_year
from app.academics.models import Enrolment, Pupil, SchoolClass, Stream
from app.accounts.models import User
from app.accounts.schemas import PupilRef
from app.core.db.prepared import Prepared, ReadConnection
from app.core.listing import found
from app.core.security.one_time_codes import hash_code, issue_code
from app.core.security.principal import Principal
from app.errors import NotFound, ProblemError
from app.family.models import GuardianLink, LinkAttempt, LinkCode
from app.family.pupil_records import CLASS_REF_COLUMNS, class_ref
from app.family.schemas import Child, LinkChildIn, LinkCodeOut
from app.organisation.models import School
from app.organisation.scopes import school_scope

CODE_LIFETIME = timedelta(days=30)
# Guessing a code: at most this many failures per parent account in the window.
MAX_FAILED_LINKS = 5
FAILED_LINK_WINDOW = timedelta(minutes=15)


# The reads every pupil and parent view starts with, compiled once and prepared.
_OWN_PUPIL = Prepared(select(Pupil.id).where(Pupil.user_id == bindparam("user_id")))
_VERIFIED_CHILD = Prepared(
    select(GuardianLink.pupil_id).where(
        GuardianLink.parent_id == bindparam("parent_id"),
        GuardianLink.pupil_id == bindparam("pupil_id"),
        GuardianLink.verified_at.is_not(None),
    )
)


async def own_pupil(db: ReadConnection, principal: Principal) -> uuid.UUID:
    """The pupil record of the calling pupil account."""
    pupil_id: uuid.UUID | None = await _OWN_PUPIL.fetchval(db, user_id=principal.user_id)
    return found(pupil_id)


async def child_of(db: ReadConnection, principal: Principal, child_id: uuid.UUID) -> uuid.UUID:
    """The child if the caller's link to them is verified; 404 for anyone else's child."""
    linked: uuid.UUID | None = await _VERIFIED_CHILD.fetchval(
        db, parent_id=principal.user_id, pupil_id=child_id
    )
    return found(linked)


# The child switcher, with each child's class this year (one current class per pupil and year).
_CHILDREN = Prepared(
    select(
        *(getattr(Pupil, name) for name in PupilRef.model_fields),
        GuardianLink.kinship,
        School.name_fr.label("school_name_fr"),
        School.name_ar.label("school_name_ar"),
        *CLASS_REF_COLUMNS,
    )
    .join(GuardianLink, GuardianLink.pupil_id == Pupil.id)
    .join(School, School.id == Pupil.school_id)
    .outerjoin(
        Enrolment,
        (Enrolment.pupil_id == Pupil.id)
        & (Enrolment.school_year == current_year())
        & Enrolment.left_on.is_(None),
    )
    .outerjoin(SchoolClass, SchoolClass.id == Enrolment.class_id)
    .outerjoin(Stream, Stream.id == SchoolClass.stream_id)
    .where(GuardianLink.parent_id == bindparam("parent_id"), GuardianLink.verified_at.is_not(None))
    .order_by(Pupil.birth_date)
)


async def children(db: ReadConnection, principal: Principal) -> list[Child]:
    """The child switcher: every verified child, with their school and class."""
    rows = await _CHILDREN.fetch(db, parent_id=principal.user_id)
    return [Child.of_record(row, school_class=class_ref(row)) for row in rows]


async def issue_link_code(
    session: AsyncSession, principal: Principal, pupil_id: uuid.UUID
) -> LinkCodeOut:
    """A new one-time code for a pupil of the caller's school (earlier unused codes die)."""
    school_id = await session.scalar(
        select(Pupil.school_id).where(
            Pupil.id == pupil_id, school_scope(principal, Pupil.school_id)
        )
    )
    if school_id is None:
        raise NotFound()
    code, expires_at = await issue_code(
        session,
        LinkCode.pupil_id,
        pupil_id,
        CODE_LIFETIME,
        school_id=school_id,
        issued_by=principal.user_id,
    )
    return LinkCodeOut(pupil_id=pupil_id, code=code, expires_at=expires_at)


class TooManyAttempts(ProblemError):
    def __init__(self) -> None:
        retry = str(int(FAILED_LINK_WINDOW.total_seconds()))
        super().__init__(
            429,
            "family.too_many_attempts",
            kind="too-many-attempts",
            headers={"Retry-After": retry},
        )


class LinkRefused(ProblemError):
    """One answer for every wrong field, so the code, the Massar code and the birth date
    cannot be guessed one at a time."""

    def __init__(self) -> None:
        super().__init__(422, "family.link_refused", kind="link-refused")


async def link_child(session: AsyncSession, principal: Principal, request: LinkChildIn) -> Child:
    """Link a child with their Massar code, birth date and the school's one-time code.

    A failure is recorded and committed by the caller even though the request fails, so the
    throttle counts it.
    """
    # One attempt at a time per parent, so the count below sees every attempt before this one
    # (attempts sent at once would otherwise all read the same count and all get a try).
    await session.execute(select(User.id).where(User.id == principal.user_id).with_for_update())
    since = datetime.now(UTC) - FAILED_LINK_WINDOW
    failures = await session.scalar(
        select(func.count()).where(
            LinkAttempt.parent_id == principal.user_id, LinkAttempt.attempted_at >= since
        )
    )
    if (failures or 0) >= MAX_FAILED_LINKS:
        raise TooManyAttempts()
    match = (
        await session.execute(
            select(LinkCode.id, Pupil.id)
            .join(Pupil, Pupil.id == LinkCode.pupil_id)
            .where(
                LinkCode.code_hash == hash_code(request.link_code),
                LinkCode.used_at.is_(None),
                LinkCode.expires_at > func.now(),
                Pupil.massar_code == request.massar_code.upper(),
                Pupil.birth_date == request.birth_date,
            )
            .with_for_update(of=LinkCode)
        )
    ).one_or_none()
    if match is None:
        session.add(LinkAttempt(parent_id=principal.user_id))
        await session.flush()
        raise LinkRefused()
    code_id, pupil_id = match
    await session.execute(
        update(LinkCode)
        .where(LinkCode.id == code_id)
        .values(used_at=func.now(), used_by=principal.user_id)
    )
    existing = await session.scalar(
        select(GuardianLink).where(
            GuardianLink.parent_id == principal.user_id, GuardianLink.pupil_id == pupil_id
        )
    )
    if existing is None:
        session.add(GuardianLink.verified(principal.user_id, pupil_id, request.kinship))
    else:
        existing.kinship = request.kinship
        existing.verified_at = datetime.now(UTC)
    await session.flush()
    return next(c for c in await children(session, principal) if c.id == pupil_id)


async def unlink_child(session: AsyncSession, principal: Principal, child_id: uuid.UUID) -> None:
    """Remove the caller's link to a child."""
    await child_of(session, principal, child_id)
    await session.execute(
        delete(GuardianLink).where(
            GuardianLink.parent_id == principal.user_id, GuardianLink.pupil_id == child_id
        )
    )
