"""The school's didactic equipment: inventory, movements and requests to the directorate."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status

from app.accounts.guards import SchoolStaffPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.modules.equipment import inventory as equipment
from app.modules.equipment import requests as equipment_requests
from app.modules.equipment.inventory import InventoryFilters, MovementFilters
from app.modules.equipment.models import EquipmentCondition, EquipmentRequestStatus, MovementKind
from app.modules.equipment.schemas import (
    DeliverIn,
    InventoryLineOut,
    MovementIn,
    MovementOut,
    RequestIn,
    RequestOut,
)

router = APIRouter(prefix="/equipment")


@router.get("/inventory", operation_id="school-equipment-inventory")
async def list_inventory(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    item_id: uuid.UUID | None = None,
    category_id: uuid.UUID | None = None,
    condition: EquipmentCondition | None = None,
    location: Annotated[str | None, Query(max_length=100)] = None,
    include_empty: bool = False,
) -> Page[InventoryLineOut]:
    """Our inventory lines by article code (lines at zero only with `include_empty`)."""
    filters = InventoryFilters(item_id, category_id, condition, location, include_empty)
    return await equipment.list_inventory(
        session, principal, filters, limit=page.limit, after=page.position()
    )


@router.get("/inventory/{line_id}", operation_id="school-equipment-inventory-line")
async def get_line(
    line_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> InventoryLineOut:
    """One line of our inventory."""
    return await equipment.get_line(session, principal, line_id)


@router.post(
    "/movements",
    operation_id="school-equipment-record-movement",
    status_code=status.HTTP_201_CREATED,
)
async def record_movement(
    new: MovementIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> MovementOut:
    """Record an entry, a move, a breakage or a write-off; the inventory follows at once."""
    return await equipment.record_movement(session, principal, new)


@router.get("/movements", operation_id="school-equipment-movements")
async def list_movements(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    item_id: uuid.UUID | None = None,
    kind: MovementKind | None = None,
    from_date: Annotated[date | None, Query(alias="from")] = None,
    to_date: Annotated[date | None, Query(alias="to")] = None,
) -> Page[MovementOut]:
    """Our movement history, newest first."""
    filters = MovementFilters(item_id, kind, from_date, to_date)
    return await equipment.list_movements(
        session, principal, filters, limit=page.limit, after=page.position()
    )


@router.post(
    "/requests",
    operation_id="school-equipment-submit-request",
    status_code=status.HTTP_201_CREATED,
)
async def submit_request(
    new: RequestIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> RequestOut:
    """Ask our directorate for articles of the catalogue."""
    return await equipment_requests.submit_request(session, principal, new)


@router.get("/requests", operation_id="school-equipment-requests")
async def list_requests(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    status: EquipmentRequestStatus | None = None,
) -> Page[RequestOut]:
    """Our requests, newest first."""
    return await equipment_requests.list_school_requests(
        session, principal, status, limit=page.limit, after=page.position()
    )


@router.get("/requests/{request_id}", operation_id="school-equipment-request")
async def get_request(
    request_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> RequestOut:
    """One of our requests with its lines."""
    return await equipment_requests.get_school_request(session, principal, request_id)


@router.post("/requests/{request_id}/cancel", operation_id="school-equipment-cancel-request")
async def cancel_request(
    request_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> RequestOut:
    """Withdraw a request the directorate has not answered yet."""
    return await equipment_requests.cancel(session, principal, request_id)


@router.post("/requests/{request_id}/deliver", operation_id="school-equipment-confirm-delivery")
async def confirm_delivery(
    request_id: uuid.UUID, body: DeliverIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> RequestOut:
    """Confirm we received the allocated articles: they enter our inventory."""
    return await equipment_requests.confirm_delivery(session, principal, request_id, body)
