"""Didactic equipment for steering staff: the requests of the schools under them, the
directorate's answers, and the shortages report."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from app.accounts.guards import SteeringPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.modules.equipment import requests as equipment_requests
from app.modules.equipment import shortages as equipment_shortages
from app.modules.equipment.models import EquipmentRequestStatus
from app.modules.equipment.schemas import (
    AllocateIn,
    DeliverIn,
    EquipmentRequestRefusal,
    RequestOut,
    ShortageRow,
)

router = APIRouter()


@router.get("/equipment/requests", operation_id="steering-equipment-requests")
async def list_requests(
    principal: SteeringPrincipal,
    session: SessionDep,
    page: PageParams,
    status: EquipmentRequestStatus | None = None,
    school_id: uuid.UUID | None = None,
) -> Page[RequestOut]:
    """Requests of the schools in my part of the tree, newest first."""
    return await equipment_requests.list_steering_requests(
        session, principal, status, school_id, limit=page.limit, after=page.position()
    )


@router.get("/equipment/requests/{request_id}", operation_id="steering-equipment-request")
async def get_request(
    request_id: uuid.UUID, principal: SteeringPrincipal, session: SessionDep
) -> RequestOut:
    """One request with its lines."""
    return await equipment_requests.get_steering_request(session, principal, request_id)


@router.post(
    "/equipment/requests/{request_id}/allocate", operation_id="steering-equipment-allocate"
)
async def allocate(
    request_id: uuid.UUID, body: AllocateIn, principal: SteeringPrincipal, session: SessionDep
) -> RequestOut:
    """Give each line its allocated quantity (the school's own directorate only)."""
    return await equipment_requests.allocate(session, principal, request_id, body)


@router.post("/equipment/requests/{request_id}/refuse", operation_id="steering-equipment-refuse")
async def refuse(
    request_id: uuid.UUID,
    body: EquipmentRequestRefusal,
    principal: SteeringPrincipal,
    session: SessionDep,
) -> RequestOut:
    """Refuse a request, with a comment (the school's own directorate only)."""
    return await equipment_requests.refuse(session, principal, request_id, body.comment)


@router.post("/equipment/requests/{request_id}/deliver", operation_id="steering-equipment-deliver")
async def deliver(
    request_id: uuid.UUID, body: DeliverIn, principal: SteeringPrincipal, session: SessionDep
) -> RequestOut:
    """Record the delivery: the allocated articles enter the school's inventory."""
    return await equipment_requests.deliver(session, principal, request_id, body)


@router.get("/equipment/shortages", operation_id="steering-equipment-shortages")
async def shortages(
    principal: SteeringPrincipal,
    session: SessionDep,
    page: PageParams,
    item_id: uuid.UUID | None = None,
) -> Page[ShortageRow]:
    """Per directorate under me (per school for a directorate): this school year's
    quantities requested, allocated and delivered, and the requests still open."""
    return await equipment_shortages.shortages(
        session, principal, item_id, limit=page.limit, after=page.position()
    )
