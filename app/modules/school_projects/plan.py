"""The integrated school project (PEI), the plan itself: the school adds, edits and removes
axes, objectives, actions and indicators while its project is a draft or returned, and after
approval reports the actions' status and progress and the indicators' actual values.

The four levels of the plan are one pattern (`PlanLevel`): added under their parent, changed
by a partial update, removed with what hangs beneath them. Every write locks the project row
first, so an edit and a submission never cross."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.core.roles import Role
from app.core.schemas import Patch, Schema
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
from app.modules.school_projects.schemas import ActionOut, AxisOut, IndicatorOut, ObjectiveOut

M = TypeVar("M", ProjectAxis, ProjectObjective, ProjectAction, ProjectIndicator)
Out = TypeVar("Out", bound=Schema)
Check = Callable[[AsyncSession, SchoolProject, Any, dict[str, Any]], Awaitable[None]]


async def _nothing_to_check(
    session: AsyncSession, project: SchoolProject, row: Any, changes: dict[str, Any]
) -> None:
    """The schemas and the database hold every rule of this level."""


@dataclass(frozen=True, slots=True)
class PlanLevel(Generic[M, Out]):
    """A level of the plan: its table, the level it hangs under (None: the project itself,
    where axes take the next position), the fields the school still reports once the plan is
    approved, how a row is answered, and what the merged row must keep."""

    model: type[M]
    parent: type[ProjectAxis] | type[ProjectObjective] | None
    follow_up: frozenset[str]
    answer: Callable[[AsyncSession, M], Awaitable[Out]]
    check: Check = _nothing_to_check


async def _locked(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, *, planning: bool
) -> SchoolProject:
    """The caller's school's project, locked and open to this change (409 otherwise)."""
    project = await projects.locked_project(session, principal, project_id)
    projects.check_open(project, planning=planning)
    return project


async def add(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    level: PlanLevel[M, Out],
    parent_id: uuid.UUID | None,
    new: BaseModel,
) -> Out:
    """A new row of the plan under its parent (an axis after the last one)."""
    project = await _locked(session, principal, project_id, planning=True)
    row = level.model(
        created_at=projects.now(),
        school_id=project.school_id,
        project_id=project.id,
        **await _placement(session, project, level, parent_id),
        **new.model_dump(),
    )
    await level.check(session, project, row, new.model_dump())
    session.add(row)
    await session.flush()
    return await level.answer(session, row)


async def _placement(
    session: AsyncSession, project: SchoolProject, level: PlanLevel[M, Out], parent_id: Any
) -> dict[str, Any]:
    """Where a new row goes: under its parent (404 outside the project), or, for an axis,
    after the project's last one."""
    if level.parent is ProjectAxis:
        return {"axis_id": (await projects.tree_row(session, project, ProjectAxis, parent_id)).id}
    if level.parent is ProjectObjective:
        objective = await projects.tree_row(session, project, ProjectObjective, parent_id)
        return {"objective_id": objective.id}
    last = await session.scalar(
        select(func.max(ProjectAxis.position)).where(ProjectAxis.project_id == project.id)
    )
    return {"position": (last or 0) + 1}


async def update(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    level: PlanLevel[M, Out],
    row_id: uuid.UUID,
    patch: Patch,
) -> Out:
    """Change a row of the plan: anything while the project is open, only the level's
    follow-up fields after approval."""
    changes = patch.changes()
    planning = bool(changes.keys() - level.follow_up)
    project = await _locked(session, principal, project_id, planning=planning)
    row = await projects.tree_row(session, project, level.model, row_id)
    patch.apply_to(row)
    await level.check(session, project, row, changes)
    await session.flush()
    return await level.answer(session, row)


async def remove(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    level: PlanLevel[M, Out],
    row_id: uuid.UUID,
) -> None:
    """Remove a row of the plan with what hangs beneath it."""
    project = await _locked(session, principal, project_id, planning=True)
    row = await projects.tree_row(session, project, level.model, row_id)
    # What hangs beneath goes with it (ON DELETE CASCADE).
    await session.execute(delete(level.model).where(level.model.id == row.id))


# ---- the four levels --------------------------------------------------------------------------


async def _axis_out(session: AsyncSession, axis: ProjectAxis) -> AxisOut:
    return AxisOut.model_validate(axis)


async def _objective_out(session: AsyncSession, objective: ProjectObjective) -> ObjectiveOut:
    return ObjectiveOut.model_validate(objective)


async def _action_out(session: AsyncSession, action: ProjectAction) -> ActionOut:
    # The owner chosen earlier, even if they left since: follow-up goes on.
    owner = await session.get(User, action.owner_user_id) if action.owner_user_id else None
    return projects.action_out(action, owner)


async def _indicator_out(session: AsyncSession, indicator: ProjectIndicator) -> IndicatorOut:
    return projects.indicator_out(indicator)


async def _check_action(
    session: AsyncSession, project: SchoolProject, action: ProjectAction, changes: dict[str, Any]
) -> None:
    """The rules the merged row must keep (the database checks them again), and an owner
    newly named must be an active member of the project's school."""
    errors = []
    if (action.owner_user_id is None) == (action.owner_label is None):
        errors.append(
            field_error("body.owner_label", "give one of owner_user_id and owner_label", "owner")
        )
    if action.ends_on < action.starts_on:
        errors.append(field_error("body.ends_on", "must not be before starts_on", "dates_order"))
    if errors:
        raise InvalidInput(errors)
    if "owner_user_id" in changes:
        await _check_owner(session, project, action.owner_user_id)


async def _check_owner(
    session: AsyncSession, project: SchoolProject, user_id: uuid.UUID | None
) -> None:
    """No owner, or an active staff member or teacher of the project's school."""
    if user_id is None:
        return
    owner = await session.scalar(
        select(User.id).where(
            User.id == user_id,
            User.school_id == project.school_id,
            User.role.in_([Role.SCHOOL_STAFF, Role.TEACHER]),
            User.is_active.is_(True),
        )
    )
    if owner is None:
        raise invalid("body.owner_user_id", "not a staff member of the school", "unknown_owner")


AXES = PlanLevel(ProjectAxis, None, frozenset(), _axis_out)
OBJECTIVES = PlanLevel(ProjectObjective, ProjectAxis, frozenset(), _objective_out)
# After approval the school still reports an action's status and progress, and what an
# indicator measures.
ACTIONS = PlanLevel(
    ProjectAction, ProjectObjective, frozenset({"status", "progress"}), _action_out, _check_action
)
INDICATORS = PlanLevel(ProjectIndicator, ProjectObjective, frozenset({"actual"}), _indicator_out)
