"""The school's integrated project (PEI): its plan for the year, edited section by section and
submitted to the provincial directorate."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.accounts.guards import SchoolStaffPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.modules.school_projects import plan, projects
from app.modules.school_projects.schemas import (
    ActionIn,
    ActionOut,
    ActionPatch,
    AxisIn,
    AxisOut,
    AxisPatch,
    CommentIn,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatch,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePatch,
    ProjectIn,
    ProjectItem,
    ProjectOut,
    ProjectPatch,
    ReviewOut,
)

router = APIRouter(prefix="/projects")


@router.post("", operation_id="school-create-project", status_code=status.HTTP_201_CREATED)
async def create_project(
    new: ProjectIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> ProjectOut:
    """Open this school year's project (one per school and year)."""
    return await projects.create_project(session, principal, new)


@router.get("", operation_id="school-projects")
async def list_projects(
    principal: SchoolStaffPrincipal, session: SessionDep, page: PageParams
) -> Page[ProjectItem]:
    """Our projects, newest school year first."""
    items, next_cursor = await projects.school_projects(
        session, principal, limit=page.limit, after=page.position()
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get("/current", operation_id="school-current-project")
async def current_project(principal: SchoolStaffPrincipal, session: SessionDep) -> ProjectOut:
    """This school year's project, whole (404 until it is opened)."""
    return await projects.current_project(session, principal)


@router.get("/{project_id}", operation_id="school-project")
async def read_project(
    project_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> ProjectOut:
    """The whole project: axes, their objectives, and each objective's actions and indicators."""
    return await projects.read_project(session, principal, project_id)


@router.patch("/{project_id}", operation_id="school-update-project")
async def update_project(
    project_id: uuid.UUID, patch: ProjectPatch, principal: SchoolStaffPrincipal, session: SessionDep
) -> ProjectOut:
    """Edit the title or the diagnosis summary (draft or returned projects)."""
    return await projects.update_project(session, principal, project_id, patch)


@router.post("/{project_id}/submit", operation_id="school-submit-project")
async def submit(
    project_id: uuid.UUID,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    body: CommentIn | None = None,
) -> ProjectOut:
    """Send the project to the provincial directorate (it needs an axis, objective, action)."""
    comment = body.comment if body is not None else None
    return await projects.submit(session, principal, project_id, comment)


@router.get("/{project_id}/reviews", operation_id="school-project-reviews")
async def reviews(
    project_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep, page: PageParams
) -> Page[ReviewOut]:
    """The review history: submissions, approvals and returns with their comments."""
    items, next_cursor = await projects.reviews(
        session, principal, project_id, limit=page.limit, after=page.position()
    )
    return Page(items=items, next_cursor=next_cursor)


# ---- axes and objectives --------------------------------------------------------------------


@router.post(
    "/{project_id}/axes",
    operation_id="school-add-project-axis",
    status_code=status.HTTP_201_CREATED,
)
async def add_axis(
    project_id: uuid.UUID, new: AxisIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> AxisOut:
    """Add a priority axis."""
    return await plan.add_axis(session, principal, project_id, new)


@router.patch("/{project_id}/axes/{axis_id}", operation_id="school-update-project-axis")
async def update_axis(
    project_id: uuid.UUID,
    axis_id: uuid.UUID,
    patch: AxisPatch,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
) -> AxisOut:
    """Edit a priority axis."""
    return await plan.update_axis(session, principal, project_id, axis_id, patch)


@router.delete(
    "/{project_id}/axes/{axis_id}",
    operation_id="school-delete-project-axis",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def delete_axis(
    project_id: uuid.UUID, axis_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> None:
    """Remove a priority axis with everything under it."""
    await plan.delete_axis(session, principal, project_id, axis_id)


@router.post(
    "/{project_id}/axes/{axis_id}/objectives",
    operation_id="school-add-project-objective",
    status_code=status.HTTP_201_CREATED,
)
async def add_objective(
    project_id: uuid.UUID,
    axis_id: uuid.UUID,
    new: ObjectiveIn,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
) -> ObjectiveOut:
    """Add an objective under an axis."""
    return await plan.add_objective(session, principal, project_id, axis_id, new)


@router.patch(
    "/{project_id}/objectives/{objective_id}", operation_id="school-update-project-objective"
)
async def update_objective(
    project_id: uuid.UUID,
    objective_id: uuid.UUID,
    patch: ObjectivePatch,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
) -> ObjectiveOut:
    """Edit an objective."""
    return await plan.update_objective(session, principal, project_id, objective_id, patch)


@router.delete(
    "/{project_id}/objectives/{objective_id}",
    operation_id="school-delete-project-objective",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def delete_objective(
    project_id: uuid.UUID,
    objective_id: uuid.UUID,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
) -> None:
    """Remove an objective with its actions and indicators."""
    await plan.delete_objective(session, principal, project_id, objective_id)


# ---- actions and indicators -----------------------------------------------------------------


@router.post(
    "/{project_id}/objectives/{objective_id}/actions",
    operation_id="school-add-project-action",
    status_code=status.HTTP_201_CREATED,
)
async def add_action(
    project_id: uuid.UUID,
    objective_id: uuid.UUID,
    new: ActionIn,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
) -> ActionOut:
    """Add an action serving an objective."""
    return await plan.add_action(session, principal, project_id, objective_id, new)


@router.patch("/{project_id}/actions/{action_id}", operation_id="school-update-project-action")
async def update_action(
    project_id: uuid.UUID,
    action_id: uuid.UUID,
    patch: ActionPatch,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
) -> ActionOut:
    """Edit an action; after approval only its `status` and `progress` (the follow-up)."""
    return await plan.update_action(session, principal, project_id, action_id, patch)


@router.delete(
    "/{project_id}/actions/{action_id}",
    operation_id="school-delete-project-action",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def delete_action(
    project_id: uuid.UUID,
    action_id: uuid.UUID,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
) -> None:
    """Remove an action."""
    await plan.delete_action(session, principal, project_id, action_id)


@router.post(
    "/{project_id}/objectives/{objective_id}/indicators",
    operation_id="school-add-project-indicator",
    status_code=status.HTTP_201_CREATED,
)
async def add_indicator(
    project_id: uuid.UUID,
    objective_id: uuid.UUID,
    new: IndicatorIn,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
) -> IndicatorOut:
    """Add an indicator measuring an objective."""
    return await plan.add_indicator(session, principal, project_id, objective_id, new)


@router.patch(
    "/{project_id}/indicators/{indicator_id}", operation_id="school-update-project-indicator"
)
async def update_indicator(
    project_id: uuid.UUID,
    indicator_id: uuid.UUID,
    patch: IndicatorPatch,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
) -> IndicatorOut:
    """Edit an indicator; after approval only its `actual` value (the follow-up)."""
    return await plan.update_indicator(session, principal, project_id, indicator_id, patch)


@router.delete(
    "/{project_id}/indicators/{indicator_id}",
    operation_id="school-delete-project-indicator",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def delete_indicator(
    project_id: uuid.UUID,
    indicator_id: uuid.UUID,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
) -> None:
    """Remove an indicator."""
    await plan.delete_indicator(session, principal, project_id, indicator_id)
