"""Didactic equipment: each school's inventory and the movements that change it, and the
steering figure. The catalogue is in `equipment_catalogue`, requests to the directorate in
`equipment_requests`.

The inventory changes only through movements: each one is a row (audited by the trigger) and
its lines are updated in the same transaction, the line taken from under a row lock, so the
quantity never goes below zero (the CHECK on the table is the last guard)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, DateTime, Select, and_, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.academics.calendar import school_today
from app.academics.models import SchoolYear
from app.core.listing import found_row, page_of, where_given
from app.core.pagination import PageRequest
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.errors import InvalidInput, field_error, invalid
from app.modules.equipment.catalogue import catalogue_items, item_ref
from app.modules.equipment.models import (
    EquipmentCondition,
    EquipmentItem,
    EquipmentMovement,
    EquipmentRequest,
    EquipmentRequestLine,
    EquipmentRequestStatus,
    InventoryLine,
    MovementKind,
)
from app.modules.equipment.schemas import (
    EquipmentFigures,
    InventoryFilter,
    InventoryLineOut,
    LinePlace,
    MovementFilter,
    MovementIn,
    MovementOut,
)
from app.organisation.models import School
from app.organisation.schemas import UnitOut
from app.organisation.units import in_unit
from app.settings import get_settings

OPEN_REQUESTS = (EquipmentRequestStatus.SUBMITTED, EquipmentRequestStatus.ALLOCATED)
_LINE_KEY = ["school_id", "item_id", "condition", "location"]


# ---- inventory ------------------------------------------------------------------------------


def _line_out(line: InventoryLine, item: EquipmentItem) -> InventoryLineOut:
    return InventoryLineOut.of(line, item=item_ref(item))


def _lines(principal: Principal) -> Select[InventoryLine, EquipmentItem]:
    return (
        select(InventoryLine, EquipmentItem)
        .join(EquipmentItem, EquipmentItem.id == InventoryLine.item_id)
        .where(InventoryLine.school_id == principal.school_id)
    )


async def list_inventory(
    session: AsyncSession,
    principal: Principal,
    filters: InventoryFilter,
    page: PageRequest,
) -> Page[InventoryLineOut]:
    """My school's inventory lines by article code and place; emptied lines only when asked
    for."""
    statement = where_given(
        _lines(principal),
        {
            InventoryLine.item_id: filters.item_id,
            EquipmentItem.category_id: filters.category_id,
            InventoryLine.condition: filters.condition,
            InventoryLine.location: filters.location,
        },
    )
    if not filters.include_empty:
        statement = statement.where(InventoryLine.quantity > 0)
    keys = (EquipmentItem.code, InventoryLine.location, InventoryLine.condition, InventoryLine.id)
    return await page_of(session, statement, keys, page, lambda r: _line_out(*r))


async def get_line(
    session: AsyncSession, principal: Principal, line_id: uuid.UUID
) -> InventoryLineOut:
    """One line of my school's inventory (404 for another school's)."""
    row = await found_row(
        session,
        _lines(principal)
        .where(InventoryLine.id == line_id)
        .execution_options(populate_existing=True),
    )
    return _line_out(*row)


# ---- movements ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Receipt:
    """Articles that enter a school's inventory at one place and condition."""

    item_id: uuid.UUID
    quantity: int
    condition: EquipmentCondition
    location: str
    acquired_on: date


async def add_to_lines(
    session: AsyncSession, school_id: uuid.UUID, receipts: Sequence[Receipt]
) -> dict[tuple[uuid.UUID, EquipmentCondition, str], uuid.UUID]:
    """Add the receipts to their lines (created when missing) in one statement; each line's
    id by (article, condition, place). The upsert locks the rows it touches."""
    rows = [
        {
            "id": uuid.uuid4(),
            "school_id": school_id,
            "item_id": r.item_id,
            "condition": r.condition,
            "location": r.location,
            "acquired_on": r.acquired_on,
            "quantity": r.quantity,
        }
        for r in receipts
    ]
    upsert = insert(InventoryLine).values(rows)
    statement = upsert.on_conflict_do_update(
        index_elements=_LINE_KEY,
        set_={
            "quantity": InventoryLine.quantity + upsert.excluded.quantity,
            "acquired_on": func.coalesce(InventoryLine.acquired_on, upsert.excluded.acquired_on),
            "updated_at": func.now(),
        },
    ).returning(
        InventoryLine.id, InventoryLine.item_id, InventoryLine.condition, InventoryLine.location
    )
    result = await session.execute(statement)
    return {(r.item_id, EquipmentCondition(r.condition), r.location): r.id for r in result}


async def _take(session: AsyncSession, principal: Principal, new: MovementIn) -> InventoryLine:
    """Lock my school's line and take the movement's quantity from it (422 when it holds
    fewer, or when a breakage names pieces already broken)."""
    line = await session.scalar(
        select(InventoryLine)
        .where(InventoryLine.id == new.line_id, InventoryLine.school_id == principal.school_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if line is None:
        raise invalid("body.line_id", "not a line of your school's inventory", "unknown_line")
    if new.kind is MovementKind.BROKEN and line.condition is EquipmentCondition.BROKEN:
        raise invalid("body.line_id", "these articles are already broken", "already_broken")
    if new.kind is MovementKind.MOVED and new.location == line.location:
        raise invalid("body.location", "the articles are already there", "same_location")
    if line.quantity < new.quantity:
        raise invalid(
            "body.quantity",
            f"only {line.quantity} left on this line: the inventory cannot go below zero",
            "insufficient_quantity",
        )
    line.quantity -= new.quantity
    await session.flush()
    return line


def _check_movement(new: MovementIn, today: date) -> list[dict[str, Any]]:
    """The fields each kind needs and those it must not have."""
    errors = []
    received = new.kind is MovementKind.RECEIVED
    needs = {
        "item_id": received,
        "line_id": not received,
        "location": new.kind in (MovementKind.RECEIVED, MovementKind.MOVED),
    }
    allowed = {
        "item_id": received,
        "line_id": not received,
        "location": new.kind is not MovementKind.WRITTEN_OFF,
        "condition": received,
        "acquired_on": received,
    }
    for name, required in needs.items():
        if required and getattr(new, name) is None:
            errors.append(field_error(f"body.{name}", f"required for {new.kind}", "required"))
    for name, ok in allowed.items():
        if not ok and getattr(new, name) is not None:
            errors.append(field_error(f"body.{name}", f"not used for {new.kind}", "not_allowed"))
    for name in ("occurred_on", "acquired_on"):
        day = getattr(new, name)
        if day is not None and day > today:
            errors.append(field_error(f"body.{name}", "must not be in the future", "future"))
    return errors


async def record_movement(
    session: AsyncSession, principal: Principal, new: MovementIn
) -> MovementOut:
    """Record one movement of my school's equipment and apply it to the inventory."""
    today = school_today()
    errors = _check_movement(new, today)
    if errors:
        raise InvalidInput(errors)
    occurred_on = new.occurred_on or today
    if new.kind is MovementKind.RECEIVED:
        movement = await _receive(session, principal, new, occurred_on)
    else:
        movement = await _move_out(session, principal, new, occurred_on)
    session.add(movement)
    await session.flush()
    return await get_movement(session, principal, movement.id)


async def _receive(
    session: AsyncSession, principal: Principal, new: MovementIn, occurred_on: date
) -> EquipmentMovement:
    assert new.item_id is not None
    assert new.location is not None
    assert principal.school_id is not None
    if not await catalogue_items(session, [new.item_id]):
        raise invalid("body.item_id", "not an article of the catalogue", "unknown_item")
    condition = new.condition or EquipmentCondition.NEW
    receipt = Receipt(
        new.item_id, new.quantity, condition, new.location, new.acquired_on or occurred_on
    )
    lines = await add_to_lines(session, principal.school_id, [receipt])
    return _movement(
        principal, new, occurred_on, new.item_id, None, lines[new.item_id, condition, new.location]
    )


async def _move_out(
    session: AsyncSession, principal: Principal, new: MovementIn, occurred_on: date
) -> EquipmentMovement:
    """Take from the line, then (a move or a breakage) add to the target line."""
    assert new.line_id is not None
    assert principal.school_id is not None
    source = await _take(session, principal, new)
    if new.kind is MovementKind.WRITTEN_OFF:
        return _movement(principal, new, occurred_on, source.item_id, source.id, None)
    condition, location = source.condition, new.location or source.location
    if new.kind is MovementKind.BROKEN:
        condition = EquipmentCondition.BROKEN
    receipt = Receipt(
        source.item_id, new.quantity, condition, location, source.acquired_on or occurred_on
    )
    lines = await add_to_lines(session, principal.school_id, [receipt])
    target = lines[source.item_id, condition, location]
    return _movement(principal, new, occurred_on, source.item_id, source.id, target)


def _movement(
    principal: Principal,
    new: MovementIn,
    occurred_on: date,
    item_id: uuid.UUID,
    source: uuid.UUID | None,
    target: uuid.UUID | None,
) -> EquipmentMovement:
    assert principal.school_id is not None
    return EquipmentMovement(
        id=uuid.uuid4(),
        school_id=principal.school_id,
        item_id=item_id,
        kind=new.kind,
        quantity=new.quantity,
        from_line_id=source,
        to_line_id=target,
        occurred_on=occurred_on,
        note=new.note,
        recorded_by=principal.user_id,
    )


_source = aliased(InventoryLine, name="source_line")
_target = aliased(InventoryLine, name="target_line")


_MovementRow = Select[EquipmentMovement, EquipmentItem, InventoryLine, InventoryLine]


def _movements(school: ColumnElement[bool]) -> _MovementRow:
    return (
        select(EquipmentMovement, EquipmentItem, _source, _target)
        .join(EquipmentItem, EquipmentItem.id == EquipmentMovement.item_id)
        .outerjoin(_source, _source.id == EquipmentMovement.from_line_id)
        .outerjoin(_target, _target.id == EquipmentMovement.to_line_id)
        .where(school)
    )


def _place(line: InventoryLine | None) -> LinePlace | None:
    if line is None:
        return None
    return LinePlace(line_id=line.id, condition=line.condition, location=line.location)


def _movement_out(
    movement: EquipmentMovement,
    item: EquipmentItem,
    source: InventoryLine | None,
    target: InventoryLine | None,
) -> MovementOut:
    return MovementOut.of(
        movement,
        item=item_ref(item),
        source=_place(source),
        target=_place(target),
        recorded_at=movement.created_at,
    )


async def get_movement(
    session: AsyncSession, principal: Principal, movement_id: uuid.UUID
) -> MovementOut:
    """One movement of my school."""
    statement = _movements(EquipmentMovement.school_id == principal.school_id).where(
        EquipmentMovement.id == movement_id
    )
    row = await found_row(session, statement.execution_options(populate_existing=True))
    return _movement_out(*row)


async def list_movements(
    session: AsyncSession,
    principal: Principal,
    filters: MovementFilter,
    page: PageRequest,
) -> Page[MovementOut]:
    """My school's movement history, newest first, filtered by article, kind and dates."""
    if filters.from_date and filters.to_date and filters.from_date > filters.to_date:
        raise invalid("query.from", "must not be after `to`", "dates_order")
    statement = where_given(
        _movements(EquipmentMovement.school_id == principal.school_id),
        {EquipmentMovement.item_id: filters.item_id, EquipmentMovement.kind: filters.kind},
    )
    if filters.from_date:
        statement = statement.where(EquipmentMovement.occurred_on >= filters.from_date)
    if filters.to_date:
        statement = statement.where(EquipmentMovement.occurred_on <= filters.to_date)
    keys = (EquipmentMovement.occurred_on, EquipmentMovement.created_at, EquipmentMovement.id)
    return await page_of(
        session, statement, keys, page, lambda r: _movement_out(*r), descending=True
    )


# ---- steering figure ------------------------------------------------------------------------


def in_current_year(at: Any) -> ColumnElement[bool]:
    """A timestamp within the current school year (school-local days): compared with the
    year's bounds as instants, computed once per statement, so the index order is kept and
    no row's timestamp is converted."""
    zone = get_settings().school_timezone

    def bound(day: Any) -> Any:
        moment = func.timezone(zone, func.cast(day, DateTime()))
        return select(moment).where(SchoolYear.is_current).scalar_subquery()

    return and_(at >= bound(SchoolYear.starts_on), at < bound(SchoolYear.ends_on + 1))


async def steering_figure(session: AsyncSession, unit: UnitOut) -> EquipmentFigures:
    """The unit's inventory by condition and its requests, in two statements."""
    condition = InventoryLine.condition
    stock = (
        await session.execute(
            select(
                func.coalesce(
                    func.sum(InventoryLine.quantity).filter(
                        condition.in_([EquipmentCondition.NEW, EquipmentCondition.GOOD])
                    ),
                    0,
                ).label("new_or_good"),
                func.coalesce(
                    func.sum(InventoryLine.quantity).filter(condition == EquipmentCondition.WORN),
                    0,
                ).label("worn"),
                func.coalesce(
                    func.sum(InventoryLine.quantity).filter(condition == EquipmentCondition.BROKEN),
                    0,
                ).label("broken"),
            )
            .select_from(InventoryLine)
            .join(School, School.id == InventoryLine.school_id)
            .where(in_unit(unit))
        )
    ).one()
    requests = (await session.execute(_request_figures(unit))).one()
    return EquipmentFigures.model_validate({**stock._mapping, **requests._mapping})


def _request_figures(unit: UnitOut) -> Select[int, int, int | None]:
    status = EquipmentRequest.status
    return (
        select(
            func.count(EquipmentRequest.id.distinct())
            .filter(status.in_(OPEN_REQUESTS))
            .label("open_requests"),
            func.coalesce(
                func.sum(EquipmentRequestLine.quantity).filter(
                    status != EquipmentRequestStatus.CANCELLED,
                    in_current_year(EquipmentRequest.submitted_at),
                ),
                0,
            ).label("requested_this_year"),
            func.coalesce(
                func.sum(EquipmentRequestLine.allocated_quantity).filter(
                    status == EquipmentRequestStatus.DELIVERED,
                    in_current_year(EquipmentRequest.delivered_at),
                ),
                0,
            ).label("delivered_this_year"),
        )
        .select_from(EquipmentRequest)
        .join(
            EquipmentRequestLine,
            and_(
                EquipmentRequestLine.request_id == EquipmentRequest.id,
                EquipmentRequestLine.school_id == EquipmentRequest.school_id,
            ),
        )
        .join(School, School.id == EquipmentRequest.school_id)
        .where(in_unit(unit))
    )
