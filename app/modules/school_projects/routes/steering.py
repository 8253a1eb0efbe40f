"""Steering's face on integrated school projects (PEI): directorates, academies and the
ministry follow the PEIs of their schools; the school's own directorate approves or returns."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts.guards import SteeringPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.modules.school_projects import steering as steering_projects
from app.modules.school_projects.models import ProjectStatus
from app.modules.school_projects.schemas import (
    CommentIn,
    ProjectItem,
    ProjectOut,
    ProjectReturn,
    ProjectSummary,
    ReviewOut,
)

router = APIRouter()

SchoolYear = Annotated[int | None, Query(ge=2000, le=2100, description="e.g. 2025 for 2025/2026.")]


@router.get("/projects", operation_id="steering-projects")
async def list_projects(
    principal: SteeringPrincipal,
    session: SessionDep,
    page: PageParams,
    status: ProjectStatus | None = None,
    school_year: SchoolYear = None,
    province_id: uuid.UUID | None = None,
) -> Page[ProjectItem]:
    """The PEIs of the schools in my part of the tree, by school code."""
    items, next_cursor = await steering_projects.steering_projects(
        session,
        principal,
        status=status,
        school_year=school_year,
        province_id=province_id,
        limit=page.limit,
        after=page.position(),
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get("/projects/summary", operation_id="steering-projects-summary")
async def summary(
    principal: SteeringPrincipal, session: SessionDep, school_year: SchoolYear = None
) -> ProjectSummary:
    """PEI figures of my unit by unit one level down (this school year by default)."""
    return await steering_projects.summary(session, principal, school_year)


@router.get("/projects/{project_id}", operation_id="steering-project")
async def read_project(
    project_id: uuid.UUID, principal: SteeringPrincipal, session: SessionDep
) -> ProjectOut:
    """One PEI of my part of the tree, whole."""
    return await steering_projects.steering_project(session, principal, project_id)


@router.get("/projects/{project_id}/reviews", operation_id="steering-project-reviews")
async def reviews(
    project_id: uuid.UUID, principal: SteeringPrincipal, session: SessionDep, page: PageParams
) -> Page[ReviewOut]:
    """The PEI's review history."""
    items, next_cursor = await steering_projects.steering_reviews(
        session, principal, project_id, limit=page.limit, after=page.position()
    )
    return Page(items=items, next_cursor=next_cursor)


@router.post("/projects/{project_id}/approve", operation_id="steering-approve-project")
async def approve(
    project_id: uuid.UUID,
    principal: SteeringPrincipal,
    session: SessionDep,
    body: CommentIn | None = None,
) -> ProjectOut:
    """Approve a submitted PEI (the school's provincial directorate only)."""
    comment = body.comment if body is not None else None
    return await steering_projects.decide(session, principal, project_id, "approve", comment)


@router.post("/projects/{project_id}/return", operation_id="steering-return-project")
async def return_project(
    project_id: uuid.UUID, body: ProjectReturn, principal: SteeringPrincipal, session: SessionDep
) -> ProjectOut:
    """Return a submitted PEI to the school, saying what to rework."""
    return await steering_projects.decide(session, principal, project_id, "return", body.comment)
