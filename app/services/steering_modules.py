"""The back-office modules' figures on the steering overview: each module's service computes
its own for a unit (`unit`: the ministry, an academy, a directorate or a school), in a fixed
number of statements whatever the number of schools."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.schemas.steering import ModuleFigures, UnitOut
from app.services import sports


async def module_figures(session: AsyncSession, unit: UnitOut) -> ModuleFigures:
    return ModuleFigures(
        sports=await sports.steering_figure(session, unit),
    )
