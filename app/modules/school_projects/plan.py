"""The integrated school project (PEI), the plan itself: the school adds, edits and removes
axes, objectives, actions and indicators while its project is a draft or returned, and after
approval reports the actions' status and progress and the indicators' actual values.

Every write locks the project row first, so an edit and a submission never cross."""

from __future__ import annotations

import uuid
from typing import TypeVar

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.core.roles import Role
from app.core.security.principal import Principal
from app.errors import InvalidInput, field_error, invalid
from app.modules.school_projects import projects
from app.modules.school_projects.models import (
    ProjectAction,
    ProjectAxis,
    ProjectIndicator,
    ProjectObjective,
    SchoolProject,
)
from app.modules.school_projects.schemas import (
    ActionIn,
    ActionOut,
    ActionPatch,
    AxisIn,
    AxisOut,
    AxisPatch,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatch,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePatch,
)

# What the school still reports once the plan is approved.
ACTION_FOLLOW_UP = frozenset({"status", "progress"})
INDICATOR_FOLLOW_UP = frozenset({"actual"})

M = TypeVar("M", ProjectAxis, ProjectObjective, ProjectAction, ProjectIndicator)


async def _delete(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    model: type[M],
    child_id: uuid.UUID,
) -> None:
    project = await projects.locked_project(session, principal, project_id)
    projects.check_open(project, planning=True)
    child = await projects.tree_row(session, project, model, child_id)
    # What hangs beneath goes with it (ON DELETE CASCADE).
    await session.execute(delete(model).where(model.id == child.id))


# ---- axes and objectives --------------------------------------------------------------------


async def add_axis(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, new: AxisIn
) -> AxisOut:
    """A new priority axis, after the last one."""
    project = await projects.locked_project(session, principal, project_id)
    projects.check_open(project, planning=True)
    last = await session.scalar(
        select(func.max(ProjectAxis.position)).where(ProjectAxis.project_id == project.id)
    )
    axis = ProjectAxis(
        school_id=project.school_id,
        project_id=project.id,
        position=(last or 0) + 1,
        title=new.title,
        description=new.description,
    )
    session.add(axis)
    await session.flush()
    return AxisOut.model_validate(axis)


async def update_axis(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    axis_id: uuid.UUID,
    patch: AxisPatch,
) -> AxisOut:
    """Rename or describe an axis."""
    project = await projects.locked_project(session, principal, project_id)
    projects.check_open(project, planning=True)
    axis = await projects.tree_row(session, project, ProjectAxis, axis_id)
    for name, value in patch.changes().items():
        setattr(axis, name, value)
    await session.flush()
    return AxisOut.model_validate(axis)


async def delete_axis(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, axis_id: uuid.UUID
) -> None:
    """Remove an axis with its objectives, actions and indicators."""
    await _delete(session, principal, project_id, ProjectAxis, axis_id)


async def add_objective(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    axis_id: uuid.UUID,
    new: ObjectiveIn,
) -> ObjectiveOut:
    """A new objective under an axis."""
    project = await projects.locked_project(session, principal, project_id)
    projects.check_open(project, planning=True)
    axis = await projects.tree_row(session, project, ProjectAxis, axis_id)
    objective = ProjectObjective(
        created_at=projects.now(),
        school_id=project.school_id,
        project_id=project.id,
        axis_id=axis.id,
        title=new.title,
        description=new.description,
    )
    session.add(objective)
    await session.flush()
    return ObjectiveOut.model_validate(objective)


async def update_objective(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    objective_id: uuid.UUID,
    patch: ObjectivePatch,
) -> ObjectiveOut:
    """Reword an objective."""
    project = await projects.locked_project(session, principal, project_id)
    projects.check_open(project, planning=True)
    objective = await projects.tree_row(session, project, ProjectObjective, objective_id)
    for name, value in patch.changes().items():
        setattr(objective, name, value)
    await session.flush()
    return ObjectiveOut.model_validate(objective)


async def delete_objective(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, objective_id: uuid.UUID
) -> None:
    """Remove an objective with its actions and indicators."""
    await _delete(session, principal, project_id, ProjectObjective, objective_id)


# ---- actions --------------------------------------------------------------------------------


async def _owner(
    session: AsyncSession, project: SchoolProject, user_id: uuid.UUID | None
) -> User | None:
    """The action's owner: an active staff member or teacher of the project's school."""
    if user_id is None:
        return None
    owner = await session.scalar(
        select(User).where(
            User.id == user_id,
            User.school_id == project.school_id,
            User.role.in_([Role.SCHOOL_STAFF, Role.TEACHER]),
            User.is_active.is_(True),
        )
    )
    if owner is None:
        raise invalid("body.owner_user_id", "not a staff member of the school", "unknown_owner")
    return owner


async def add_action(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    objective_id: uuid.UUID,
    new: ActionIn,
) -> ActionOut:
    """A new action serving an objective."""
    project = await projects.locked_project(session, principal, project_id)
    projects.check_open(project, planning=True)
    objective = await projects.tree_row(session, project, ProjectObjective, objective_id)
    owner = await _owner(session, project, new.owner_user_id)
    action = ProjectAction(
        created_at=projects.now(),
        school_id=project.school_id,
        project_id=project.id,
        objective_id=objective.id,
        **new.model_dump(),
    )
    session.add(action)
    await session.flush()
    return projects.action_out(action, owner)


async def update_action(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    action_id: uuid.UUID,
    patch: ActionPatch,
) -> ActionOut:
    """Change an action: its plan while the project is open, its status and progress also
    after approval."""
    changes = patch.changes()
    project = await projects.locked_project(session, principal, project_id)
    projects.check_open(project, planning=bool(changes.keys() - ACTION_FOLLOW_UP))
    action = await projects.tree_row(session, project, ProjectAction, action_id)
    if "owner_user_id" in changes and changes["owner_user_id"] is not None:
        changes.setdefault("owner_label", None)
    elif changes.get("owner_label") is not None:
        changes.setdefault("owner_user_id", None)
    for name, value in changes.items():
        setattr(action, name, value)
    _check_action(action)
    if "owner_user_id" in changes:
        owner = await _owner(session, project, action.owner_user_id)
    else:
        # The owner chosen earlier, even if they left since: follow-up goes on.
        owner = await session.get(User, action.owner_user_id) if action.owner_user_id else None
    await session.flush()
    return projects.action_out(action, owner)


def _check_action(action: ProjectAction) -> None:
    """The rules the merged row must keep (the database checks them again)."""
    errors = []
    if (action.owner_user_id is None) == (action.owner_label is None):
        errors.append(
            field_error("body.owner_label", "give one of owner_user_id and owner_label", "owner")
        )
    if action.ends_on < action.starts_on:
        errors.append(field_error("body.ends_on", "must not be before starts_on", "dates_order"))
    if errors:
        raise InvalidInput(errors)


async def delete_action(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, action_id: uuid.UUID
) -> None:
    """Remove an action from the plan."""
    await _delete(session, principal, project_id, ProjectAction, action_id)


# ---- indicators -----------------------------------------------------------------------------


async def add_indicator(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    objective_id: uuid.UUID,
    new: IndicatorIn,
) -> IndicatorOut:
    """A new indicator measuring an objective."""
    project = await projects.locked_project(session, principal, project_id)
    projects.check_open(project, planning=True)
    objective = await projects.tree_row(session, project, ProjectObjective, objective_id)
    indicator = ProjectIndicator(
        created_at=projects.now(),
        school_id=project.school_id,
        project_id=project.id,
        objective_id=objective.id,
        **new.model_dump(),
    )
    session.add(indicator)
    await session.flush()
    return projects.indicator_out(indicator)


async def update_indicator(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    indicator_id: uuid.UUID,
    patch: IndicatorPatch,
) -> IndicatorOut:
    """Change an indicator: its definition while the project is open, its actual value also
    after approval."""
    changes = patch.changes()
    project = await projects.locked_project(session, principal, project_id)
    projects.check_open(project, planning=bool(changes.keys() - INDICATOR_FOLLOW_UP))
    indicator = await projects.tree_row(session, project, ProjectIndicator, indicator_id)
    for name, value in changes.items():
        setattr(indicator, name, value)
    await session.flush()
    return projects.indicator_out(indicator)


async def delete_indicator(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, indicator_id: uuid.UUID
) -> None:
    """Remove an indicator."""
    await _delete(session, principal, project_id, ProjectIndicator, indicator_id)
