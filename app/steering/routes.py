"""Steering: figures for directorates, academies and the ministry, on their part of the tree."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.accounts.guards import SteeringPrincipal
from app.core.db.session import SessionDep
from app.organisation import units as tree
from app.steering import overview as steering
from app.steering.figures import Period
from app.steering.schemas import UnitFigures, UnitList

router = APIRouter()


async def attendance_period(
    from_: Annotated[
        date | None,
        Query(alias="from", description="First day of attendance (default: 29 days before `to`)."),
    ] = None,
    to: Annotated[
        date | None, Query(alias="to", description="Last day of attendance (default: today).")
    ] = None,
) -> Period:
    """The attendance period the figures cover, from the query string."""
    return steering.period(from_, to)


AttendancePeriod = Annotated[Period, Depends(attendance_period)]


@router.get("/overview", operation_id="steering-overview")
async def overview(
    principal: SteeringPrincipal, session: SessionDep, when: AttendancePeriod
) -> UnitFigures:
    """The figures of my own unit: the ministry, my academy or my directorate."""
    unit = await tree.own_unit(session, principal)
    return await steering.unit_figures(session, unit, when)


@router.get("/units", operation_id="steering-units")
async def units(
    principal: SteeringPrincipal, session: SessionDep, when: AttendancePeriod
) -> UnitList:
    """The units one level down (academies, directorates or schools) with their key figures."""
    unit = await tree.own_unit(session, principal)
    return await steering.unit_list(session, unit, when)


@router.get("/units/{unit_id}", operation_id="steering-unit")
async def unit(
    unit_id: uuid.UUID, principal: SteeringPrincipal, session: SessionDep, when: AttendancePeriod
) -> UnitFigures:
    """The figures of an academy, directorate or school in my part of the tree (404 otherwise)."""
    target = await tree.find_unit(session, principal, unit_id)
    return await steering.unit_figures(session, target, when)
