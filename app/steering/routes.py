"""Steering: figures for directorates, academies and the ministry, on their part of the tree."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts.guards import SteeringPrincipal
from app.core.db.session import SessionDep
from app.organisation import units as tree
from app.steering import overview as steering
from app.steering.schemas import UnitFigures, UnitList

router = APIRouter()

FromDate = Annotated[
    date | None,
    Query(alias="from", description="First day of attendance (default: 29 days before `to`)."),
]
ToDate = Annotated[
    date | None, Query(alias="to", description="Last day of attendance (default: today).")
]


@router.get("/overview", operation_id="steering-overview")
async def overview(
    principal: SteeringPrincipal, session: SessionDep, from_: FromDate = None, to: ToDate = None
) -> UnitFigures:
    """The figures of my own unit: the ministry, my academy or my directorate."""
    when = steering.period(from_, to)
    unit = await tree.own_unit(session, principal)
    return await steering.unit_figures(session, unit, when)


@router.get("/units", operation_id="steering-units")
async def units(
    principal: SteeringPrincipal, session: SessionDep, from_: FromDate = None, to: ToDate = None
) -> UnitList:
    """The units one level down (academies, directorates or schools) with their key figures."""
    when = steering.period(from_, to)
    unit = await tree.own_unit(session, principal)
    return await steering.unit_list(session, unit, when)


@router.get("/units/{unit_id}", operation_id="steering-unit")
async def unit(
    unit_id: uuid.UUID,
    principal: SteeringPrincipal,
    session: SessionDep,
    from_: FromDate = None,
    to: ToDate = None,
) -> UnitFigures:
    """The figures of an academy, directorate or school in my part of the tree (404 otherwise)."""
    when = steering.period(from_, to)
    target = await tree.find_unit(session, principal, unit_id)
    return await steering.unit_figures(session, target, when)
