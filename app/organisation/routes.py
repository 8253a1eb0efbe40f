"""Schools, for staff at every level; each sees the part of the tree beneath them."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from app.accounts.guards import StaffPrincipal, staff_only
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.organisation import schools
from app.organisation.schemas import SchoolOut

# The guard sits on the router, so an endpoint added later cannot forget it.
router = APIRouter(prefix="/schools", tags=["schools"], dependencies=[Depends(staff_only)])


@router.get("", operation_id="schools-list")
async def list_schools(
    principal: StaffPrincipal,
    session: SessionDep,
    filters: Annotated[schools.SchoolFilters, Depends()],
    page: PageParams,
) -> Page[SchoolOut]:
    """Schools in my scope, by code; filters apply inside the scope."""
    return await schools.list_schools(session, principal, page, filters)


@router.get("/{school_id}", operation_id="schools-get")
async def get_school(
    school_id: uuid.UUID, principal: StaffPrincipal, session: SessionDep
) -> SchoolOut:
    """One school in my scope (404 for any other)."""
    return await schools.get_school(session, principal, school_id)
