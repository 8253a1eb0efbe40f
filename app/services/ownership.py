"""Records owned by a unit (see `app.models.units`), fetched for a change by their owner."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.models.units import OwnedByUnit
from app.security.principal import Principal, owned_by

Owned = TypeVar("Owned", bound=OwnedByUnit)


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
