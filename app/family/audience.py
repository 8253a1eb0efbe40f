"""Whom news about pupils reaches: the pupils' own accounts and their verified parents."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import CompoundSelect, Select, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil
from app.family.models import GuardianLink

# A select may yield NULLs (an exam's results include independent candidates, who are no
# pupils): `IN` passes over them.
Pupils = Select[uuid.UUID] | Select[uuid.UUID | None] | Sequence[uuid.UUID]


def parent_accounts(pupils: Pupils) -> Select[uuid.UUID]:
    """The accounts of the pupils' verified parents."""
    return select(GuardianLink.parent_id).where(
        GuardianLink.pupil_id.in_(pupils), GuardianLink.verified_at.is_not(None)
    )


async def family_accounts(session: AsyncSession, pupils: Pupils) -> list[uuid.UUID]:
    """The accounts of the pupils (those who have one) and of their verified parents."""
    own = select(Pupil.user_id).where(Pupil.id.in_(pupils), Pupil.user_id.is_not(None))
    accounts: CompoundSelect[uuid.UUID] = union(own, parent_accounts(pupils))
    return list(await session.scalars(select(accounts.subquery().c[0])))
