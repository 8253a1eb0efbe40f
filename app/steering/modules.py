"""The back-office modules' figures on the steering overview: each module's service computes
its own for a unit (`unit`: the ministry, an academy, a directorate or a school), in a fixed
number of statements whatever the number of schools."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.modules.diagnostics import evaluation as diagnostics
from app.modules.equipment import inventory as equipment
from app.modules.partnerships import agreements as partnerships
from app.modules.school_projects import figures as school_projects_figures
from app.modules.sports import association as sports
from app.modules.trainings import programmes as trainings
from app.modules.websites import steering as websites_steering
from app.organisation.schemas import UnitOut
from app.steering.schemas import ModuleFigures


async def module_figures(session: AsyncSession, unit: UnitOut) -> ModuleFigures:
    return ModuleFigures(
        school_projects=await school_projects_figures.steering_figure(session, unit),
        trainings=await trainings.steering_figure(session, unit),
        equipment=await equipment.steering_figure(session, unit),
        diagnostics=await diagnostics.steering_figure(session, unit),
        partnerships=await partnerships.steering_figure(session, unit),
        sports=await sports.steering_figure(session, unit),
        websites=await websites_steering.steering_figure(session, unit),
    )
