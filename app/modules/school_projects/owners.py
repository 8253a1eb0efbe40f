"""The integrated school project (PEI) as the people who carry its actions see it: a teacher
or staff member named owner of an action follows it from their own app and reports its status
and progress, under the same locks as the school's follow-up."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.core.listing import found
from app.core.security.principal import Principal
from app.modules.school_projects import projects
from app.modules.school_projects.models import (
    ProjectAction,
    ProjectAxis,
    ProjectObjective,
    ProjectStatus,
    SchoolProject,
)
from app.modules.school_projects.schemas import ActionReportIn, CarriedAction


def _carried(principal: Principal) -> Select[ProjectAction, int, ProjectStatus, str, str]:
    """My actions in my school's projects, with their project, axis and objective."""
    return (
        select(
            ProjectAction,
            SchoolProject.school_year,
            SchoolProject.status.label("project_status"),
            ProjectAxis.title.label("axis_title"),
            ProjectObjective.title.label("objective_title"),
        )
        .join(SchoolProject, SchoolProject.id == ProjectAction.project_id)
        .join(ProjectObjective, ProjectObjective.id == ProjectAction.objective_id)
        .join(ProjectAxis, ProjectAxis.id == ProjectObjective.axis_id)
        .where(
            ProjectAction.owner_user_id == principal.user_id,
            ProjectAction.school_id == principal.school_id,
        )
    )


def _out(row: Any, owner: User) -> CarriedAction:
    return CarriedAction.of(
        row,
        **projects.action_out(row.ProjectAction, owner).model_dump(),
        project_id=row.ProjectAction.project_id,
    )


async def carried_actions(session: AsyncSession, principal: Principal) -> list[CarriedAction]:
    """The actions I carry, newest school year first, then by start date."""
    me = await session.get_one(User, principal.user_id)
    statement = _carried(principal).order_by(
        SchoolProject.school_year.desc(), ProjectAction.starts_on, ProjectAction.id
    )
    return [_out(row, me) for row in await session.execute(statement)]


async def report(
    session: AsyncSession, principal: Principal, action_id: uuid.UUID, report: ActionReportIn
) -> CarriedAction:
    """Report an action's status and progress: open while the project is a draft, returned or
    approved (409 `plan-locked` while the directorate reviews it); 404 for an action that is
    not mine."""
    project_id = found(
        await session.scalar(
            select(ProjectAction.project_id).where(
                ProjectAction.id == action_id,
                ProjectAction.owner_user_id == principal.user_id,
                ProjectAction.school_id == principal.school_id,
            )
        )
    )
    project = await projects.locked_project(session, principal, project_id)
    projects.check_open(project, planning=False)
    action = await projects.tree_row(session, project, ProjectAction, action_id)
    report.apply_to(action)
    await session.flush()
    row = (await session.execute(_carried(principal).where(ProjectAction.id == action_id))).one()
    return _out(row, await session.get_one(User, principal.user_id))
