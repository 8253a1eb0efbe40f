"""Schools, for staff at every level; each sees the part of the tree beneath them."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, status

from app.accounts.guards import StaffPrincipal, require_roles, staff_only
from app.core.db.session import SessionDep
from app.core.params import PageParams, on_the_loop
from app.core.roles import Role
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.organisation import schools
from app.organisation.schemas import SchoolIn, SchoolOut, SchoolPatch

# The guard sits on the router, so an endpoint added later cannot forget it.
router = APIRouter(prefix="/schools", tags=["schools"], dependencies=[Depends(staff_only)])


@router.get("", operation_id="schools-list")
async def list_schools(
    principal: StaffPrincipal,
    session: SessionDep,
    filters: Annotated[schools.SchoolFilters, Depends(on_the_loop(schools.SchoolFilters))],
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


# Opening, correcting and closing schools: directorates and academies, in their part of the tree.
opening = APIRouter(prefix="/schools", tags=["schools"])
UnitStaffPrincipal = Annotated[
    Principal, Depends(require_roles(Role.PROVINCE_STAFF, Role.ACADEMY_STAFF))
]
IN_SCOPE: dict[int | str, dict[str, Any]] = {404: {"description": "Not a school of yours."}}
CODE_TAKEN: dict[int | str, dict[str, Any]] = {409: {"description": "The code is taken."}}


@opening.post(
    "",
    operation_id="steering-open-school",
    status_code=status.HTTP_201_CREATED,
    responses=CODE_TAKEN,
)
async def open_school(
    new: SchoolIn, principal: UnitStaffPrincipal, session: SessionDep
) -> SchoolOut:
    """Open a school in my directorate (or, for an academy, one of its directorates)."""
    return await schools.open_school(session, principal, new)


@opening.patch(
    "/{school_id}",
    operation_id="steering-correct-school",
    responses={**IN_SCOPE, **CODE_TAKEN},
)
async def correct_school(
    school_id: uuid.UUID, patch: SchoolPatch, principal: UnitStaffPrincipal, session: SessionDep
) -> SchoolOut:
    """Correct a school's code, names, cycles, sector, area or commune."""
    return await schools.correct_school(session, principal, school_id, patch)


@opening.post("/{school_id}/close", operation_id="steering-close-school", responses=IN_SCOPE)
async def close_school(
    school_id: uuid.UUID, principal: UnitStaffPrincipal, session: SessionDep
) -> SchoolOut:
    """Close a school: its history is kept, and it takes no new enrolment."""
    return await schools.close_school(session, principal, school_id)
