"""The school's control over which parent accounts see which of its pupils: approve a pending
link, or revoke one."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil
from app.accounts.models import User
from app.core.listing import found_row
from app.core.security.principal import Principal
from app.errors import NotFound
from app.family.models import GuardianLink
from app.family.schemas import GuardianLinkOut
from app.organisation.scopes import school_scope

LIST_LIMIT = 200
log = logging.getLogger(__name__)


def _links(principal: Principal) -> Select[GuardianLink, User, Pupil]:
    """Links to the pupils of the caller's school, with the parent and the pupil."""
    return (
        select(GuardianLink, User, Pupil)
        .join(User, User.id == GuardianLink.parent_id)
        .join(Pupil, Pupil.id == GuardianLink.pupil_id)
        .where(school_scope(principal, Pupil.school_id))
    )


def _out(link: GuardianLink, parent: User, pupil: Pupil) -> GuardianLinkOut:
    return GuardianLinkOut.of(
        link,
        parent_name=f"{parent.first_name} {parent.last_name}",
        parent_username=parent.username,
        massar_code=pupil.massar_code,
        pupil_name=f"{pupil.first_name} {pupil.last_name}",
    )


async def list_links(
    session: AsyncSession, principal: Principal, *, pending: bool | None, pupil_id: uuid.UUID | None
) -> list[GuardianLinkOut]:
    """The school's guardian links, pending first, optionally one pupil's."""
    statement = _links(principal)
    if pending is not None:
        statement = statement.where(
            GuardianLink.verified_at.is_(None) if pending else GuardianLink.verified_at.is_not(None)
        )
    if pupil_id is not None:
        statement = statement.where(GuardianLink.pupil_id == pupil_id)
    rows = await session.execute(
        statement.order_by(GuardianLink.verified_at.nulls_first(), GuardianLink.created_at).limit(
            LIST_LIMIT
        )
    )
    return [_out(link, parent, pupil) for link, parent, pupil in rows]


async def approve_link(
    session: AsyncSession, principal: Principal, link_id: uuid.UUID
) -> GuardianLinkOut:
    """Verify a pending link: the parent sees the child from now on."""
    link, parent, pupil = await found_row(
        session, _links(principal).where(GuardianLink.id == link_id)
    )
    if link.verified_at is None:
        link.verified_at = datetime.now(UTC)
        await session.flush()
        log.info("guardian link %s approved by %s", link.id, principal.user_id)
    return _out(link, parent, pupil)


async def revoke_link(session: AsyncSession, principal: Principal, link_id: uuid.UUID) -> None:
    """Remove a link: the parent no longer sees the child (404 on every child route)."""
    in_scope = await session.scalar(
        select(GuardianLink.id)
        .join(Pupil, Pupil.id == GuardianLink.pupil_id)
        .where(GuardianLink.id == link_id, school_scope(principal, Pupil.school_id))
    )
    if in_scope is None:
        raise NotFound()
    await session.execute(delete(GuardianLink).where(GuardianLink.id == link_id))
    log.info("guardian link %s revoked by %s", link_id, principal.user_id)
