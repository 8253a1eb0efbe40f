"""Records owned by a unit (see `app.models.units`): made by a unit, and fetched for a change
by their owner."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.models.enums import Level
from app.models.units import OwnedByUnit
from app.security.principal import Principal, owned_by

Owned = TypeVar("Owned", bound=OwnedByUnit)


def owner_place(principal: Principal) -> dict[str, Any]:
    """The caller's unit as the owner columns of a new record (null below its level)."""
    level = principal.level
    return {
        "owner_level": level,
        "school_id": principal.school_id if level is Level.SCHOOL else None,
        "province_id": principal.province_id if level in (Level.SCHOOL, Level.PROVINCE) else None,
        "academy_id": principal.academy_id if level is not Level.CENTRAL else None,
    }


async def managed(
    session: AsyncSession, principal: Principal, model: type[Owned], *where: ColumnElement[bool]
) -> Owned:
    """The record my unit owns, locked for the change; 404 for any other, exactly like one
    that does not exist."""
    record = await session.scalar(
        select(model).where(owned_by(principal, model), *where).with_for_update()
    )
    if record is None:
        raise NotFound()
    return record
