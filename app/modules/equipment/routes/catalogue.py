"""The national catalogue of didactic equipment, one face for every member of staff: schools
choose from it, directorates allocate from it, the ministry adds to it."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from app.accounts.guards import StaffPrincipal, staff_only
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.modules.equipment import catalogue as equipment_catalogue
from app.modules.equipment.schemas import CatalogueItemIn, CatalogueItemOut, CategoryOut

router = APIRouter(prefix="/equipment", tags=["equipment"], dependencies=[Depends(staff_only)])


@router.get("/categories", operation_id="equipment-categories")
async def list_categories(
    principal: StaffPrincipal, session: SessionDep, page: PageParams
) -> Page[CategoryOut]:
    """The catalogue's categories, by code."""
    return await equipment_catalogue.list_categories(
        session, principal, limit=page.limit, after=page.position()
    )


@router.get("/catalogue", operation_id="equipment-catalogue")
async def list_catalogue(
    principal: StaffPrincipal,
    session: SessionDep,
    page: PageParams,
    category_id: uuid.UUID | None = None,
    q: Annotated[str | None, Query(min_length=2, max_length=100)] = None,
) -> Page[CatalogueItemOut]:
    """Articles of the catalogue by code; `q` searches the code and the names."""
    return await equipment_catalogue.list_catalogue(
        session,
        principal,
        category_id=category_id,
        search=q,
        limit=page.limit,
        after=page.position(),
    )


@router.post(
    "/catalogue", operation_id="equipment-add-catalogue-item", status_code=status.HTTP_201_CREATED
)
async def add_item(
    new: CatalogueItemIn, principal: StaffPrincipal, session: SessionDep
) -> CatalogueItemOut:
    """Add an article to the national catalogue (the ministry's staff only)."""
    return await equipment_catalogue.add_catalogue_item(session, principal, new)
