"""The shortages report of a steering unit: for each directorate beneath it (each school, for
a directorate), the school year's quantities requested, allocated and delivered, and the
requests still open. One grouped statement per page, whatever the number of schools."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.listing import page_of
from app.core.pagination import PageRequest
from app.core.roles import Level
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.modules.equipment.inventory import OPEN_REQUESTS, in_current_year
from app.modules.equipment.models import EquipmentRequest, EquipmentRequestLine
from app.modules.equipment.models import EquipmentRequestStatus as Status
from app.modules.equipment.schemas import ShortageRow
from app.organisation.models import Province, School


async def shortages(
    session: AsyncSession,
    principal: Principal,
    item_id: uuid.UUID | None,
    page: PageRequest,
) -> Page[ShortageRow]:
    """For each directorate in my part of the tree (each school for a directorate): this
    school year's quantities requested, allocated and delivered, and the requests still open.
    One grouped statement per page."""
    unit: type[School] | type[Province] = School if principal.level is Level.PROVINCE else Province
    statement = _shortage_statement(principal, unit, item_id)
    return await page_of(session, statement, (unit.code, unit.id), page, _shortage_out)


def _shortage_out(row: Any) -> ShortageRow:
    return ShortageRow.of(row, unit_id=row.id)


def _shortage_statement(
    principal: Principal, unit: type[School] | type[Province], item_id: uuid.UUID | None
) -> Select[Any]:
    request, line = EquipmentRequest, EquipmentRequestLine
    this_year = in_current_year(request.submitted_at)
    given = request.status.in_([Status.ALLOCATED, Status.DELIVERED])
    statement = select(
        unit.id,
        unit.code,
        unit.name_fr,
        unit.name_ar,
        _total(line.quantity, this_year).label("requested"),
        _total(line.allocated_quantity, this_year, given).label("allocated"),
        _total(line.allocated_quantity, this_year, request.status == Status.DELIVERED).label(
            "delivered"
        ),
        func.count(request.id.distinct())
        .filter(request.status.in_(OPEN_REQUESTS), line.id.is_not(None))
        .label("open_requests"),
    )
    if unit is Province:
        statement = statement.select_from(Province).outerjoin(
            School, School.province_id == Province.id
        )
    else:
        statement = statement.select_from(School)
    line_join = and_(line.request_id == request.id, line.school_id == request.school_id)
    if item_id is not None:
        line_join = and_(line_join, line.item_id == item_id)
    statement = (
        statement.outerjoin(
            request, and_(request.school_id == School.id, request.status != Status.CANCELLED)
        )
        .outerjoin(line, line_join)
        .where(_shortage_scope(principal, unit))
        .group_by(unit.id, unit.code, unit.name_fr, unit.name_ar)
    )
    return statement


def _total(column: Any, *conditions: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(column).filter(*conditions), 0)


def _shortage_scope(principal: Principal, unit: type[School] | type[Province]) -> Any:
    match principal.level:
        case Level.PROVINCE:
            return School.province_id == principal.province_id
        case Level.ACADEMY:
            return Province.academy_id == principal.academy_id
        case _:
            return true()
