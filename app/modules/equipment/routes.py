"""Didactic equipment, each endpoint written once for the faces that serve it: the school's
staff (`/school/equipment`: inventory, movements, requests to the directorate), directorates,
academies and the ministry (`/steering/equipment`: the requests of their schools, the
directorate's answers, the shortages report), and every member of staff (`/equipment`: the
national catalogue). The face's router guards the role; the services apply each caller's
scope."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from app.accounts.guards import CurrentPrincipal, DirectoratePrincipal, MinistryPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.routing import RouteGroup, face_routes
from app.core.schemas import Page
from app.modules.equipment import catalogue as equipment_catalogue
from app.modules.equipment import inventory as equipment
from app.modules.equipment import requests as equipment_requests
from app.modules.equipment import shortages as equipment_shortages
from app.modules.equipment.models import EquipmentRequestStatus
from app.modules.equipment.schemas import (
    AllocateIn,
    CatalogueItemIn,
    CatalogueItemOut,
    CategoryOut,
    DeliverIn,
    EquipmentRequestRefusal,
    Inventory,
    InventoryLineOut,
    MovementIn,
    MovementOut,
    Movements,
    RequestIn,
    RequestOut,
    ShortageRow,
)

EquipmentFace = Literal["school", "steering"]


def equipment_routes(face: EquipmentFace) -> APIRouter:
    """The equipment endpoints of one face, with its operation ids."""
    return face_routes(face, _FACE_ROUTES[face], prefix="/equipment")


def catalogue_routes() -> APIRouter:
    """The national catalogue, the same for every member of staff: schools choose from it,
    directorates allocate from it, the ministry adds to it."""
    router = APIRouter()

    @router.get("/categories", operation_id="equipment-categories")
    async def list_categories(session: SessionDep, page: PageParams) -> Page[CategoryOut]:
        """The catalogue's categories, by code."""
        return await equipment_catalogue.list_categories(session, page)

    @router.get("/catalogue", operation_id="equipment-catalogue")
    async def list_catalogue(
        session: SessionDep,
        page: PageParams,
        category_id: uuid.UUID | None = None,
        q: Annotated[str | None, Query(min_length=2, max_length=100)] = None,
    ) -> Page[CatalogueItemOut]:
        """Articles of the catalogue by code; `q` searches the code and the names."""
        return await equipment_catalogue.list_catalogue(
            session, page, category_id=category_id, search=q
        )

    @router.post(
        "/catalogue",
        operation_id="equipment-add-catalogue-item",
        status_code=status.HTTP_201_CREATED,
    )
    async def add_item(
        new: CatalogueItemIn, principal: MinistryPrincipal, session: SessionDep
    ) -> CatalogueItemOut:
        """Add an article to the national catalogue (the ministry's staff only)."""
        return await equipment_catalogue.add_catalogue_item(session, principal, new)

    return router


# ---- the school: inventory, movements, requests ----------------------------------------------


def _inventory(router: APIRouter, face: str) -> None:
    @router.get("/inventory", operation_id=f"{face}-equipment-inventory")
    async def list_inventory(
        principal: CurrentPrincipal, session: SessionDep, filters: Inventory, page: PageParams
    ) -> Page[InventoryLineOut]:
        """Our inventory lines by article code (lines at zero only with `include_empty`)."""
        return await equipment.list_inventory(session, principal, filters, page)

    @router.get("/inventory/{line_id}", operation_id=f"{face}-equipment-inventory-line")
    async def get_line(
        line_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> InventoryLineOut:
        """One line of our inventory."""
        return await equipment.get_line(session, principal, line_id)

    @router.post(
        "/movements",
        operation_id=f"{face}-equipment-record-movement",
        status_code=status.HTTP_201_CREATED,
    )
    async def record_movement(
        new: MovementIn, principal: CurrentPrincipal, session: SessionDep
    ) -> MovementOut:
        """Record an entry, a move, a breakage or a write-off; the inventory follows at once."""
        return await equipment.record_movement(session, principal, new)

    @router.get("/movements", operation_id=f"{face}-equipment-movements")
    async def list_movements(
        principal: CurrentPrincipal, session: SessionDep, filters: Movements, page: PageParams
    ) -> Page[MovementOut]:
        """Our movement history, newest first."""
        return await equipment.list_movements(session, principal, filters, page)


def _asking(router: APIRouter, face: str) -> None:
    @router.post(
        "/requests",
        operation_id=f"{face}-equipment-submit-request",
        status_code=status.HTTP_201_CREATED,
    )
    async def submit_request(
        new: RequestIn, principal: CurrentPrincipal, session: SessionDep
    ) -> RequestOut:
        """Ask our directorate for articles of the catalogue."""
        return await equipment_requests.submit_request(session, principal, new)

    @router.get("/requests", operation_id=f"{face}-equipment-requests")
    async def list_requests(
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        status: EquipmentRequestStatus | None = None,
    ) -> Page[RequestOut]:
        """Our requests, newest first."""
        return await equipment_requests.list_requests(session, principal, page, status=status)


def _receiving(router: APIRouter, face: str) -> None:
    @router.post("/requests/{request_id}/cancel", operation_id=f"{face}-equipment-cancel-request")
    async def cancel_request(
        request_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> RequestOut:
        """Withdraw a request the directorate has not answered yet."""
        return await equipment_requests.cancel(session, principal, request_id)

    @router.post(
        "/requests/{request_id}/deliver", operation_id=f"{face}-equipment-confirm-delivery"
    )
    async def confirm_delivery(
        request_id: uuid.UUID, body: DeliverIn, principal: CurrentPrincipal, session: SessionDep
    ) -> RequestOut:
        """Confirm we received the allocated articles: they enter our inventory."""
        return await equipment_requests.confirm_delivery(session, principal, request_id, body)


# ---- a request, on both faces ----------------------------------------------------------------


def _request(router: APIRouter, face: str) -> None:
    @router.get("/requests/{request_id}", operation_id=f"{face}-equipment-request")
    async def get_request(
        request_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> RequestOut:
        """One request with its lines: of my school, or of a school in my part of the tree."""
        return await equipment_requests.get_request(session, principal, request_id)


# ---- steering: the schools' requests, the directorate's answers, shortages -------------------


def _following(router: APIRouter, face: str) -> None:
    @router.get("/requests", operation_id=f"{face}-equipment-requests")
    async def list_requests(
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        status: EquipmentRequestStatus | None = None,
        school_id: uuid.UUID | None = None,
    ) -> Page[RequestOut]:
        """Requests of the schools in my part of the tree, newest first."""
        return await equipment_requests.list_requests(
            session, principal, page, status=status, school_id=school_id
        )


def _answering(router: APIRouter, face: str) -> None:
    @router.post("/requests/{request_id}/allocate", operation_id=f"{face}-equipment-allocate")
    async def allocate(
        request_id: uuid.UUID,
        body: AllocateIn,
        principal: DirectoratePrincipal,
        session: SessionDep,
    ) -> RequestOut:
        """Give each line its allocated quantity (the school's own directorate only)."""
        return await equipment_requests.allocate(session, principal, request_id, body)

    @router.post("/requests/{request_id}/refuse", operation_id=f"{face}-equipment-refuse")
    async def refuse(
        request_id: uuid.UUID,
        body: EquipmentRequestRefusal,
        principal: DirectoratePrincipal,
        session: SessionDep,
    ) -> RequestOut:
        """Refuse a request, with a comment (the school's own directorate only)."""
        return await equipment_requests.refuse(session, principal, request_id, body.comment)

    @router.post("/requests/{request_id}/deliver", operation_id=f"{face}-equipment-deliver")
    async def deliver(
        request_id: uuid.UUID, body: DeliverIn, principal: DirectoratePrincipal, session: SessionDep
    ) -> RequestOut:
        """Record the delivery: the allocated articles enter the school's inventory."""
        return await equipment_requests.deliver(session, principal, request_id, body)

    @router.get("/shortages", operation_id=f"{face}-equipment-shortages")
    async def shortages(
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        item_id: uuid.UUID | None = None,
    ) -> Page[ShortageRow]:
        """Per directorate under me (per school for a directorate): this school year's
        quantities requested, allocated and delivered, and the requests still open."""
        return await equipment_shortages.shortages(session, principal, item_id, page)


_FACE_ROUTES: dict[EquipmentFace, tuple[RouteGroup, ...]] = {
    "school": (_inventory, _asking, _request, _receiving),
    "steering": (_following, _request, _answering),
}
