"""The school project's actions a teacher carries: follow them and report their progress."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from app.accounts.guards import TeacherPrincipal
from app.core.db.session import SessionDep
from app.modules.school_projects import owners
from app.modules.school_projects.schemas import ActionReportIn, CarriedAction

router = APIRouter()


@router.get("/projects/actions", operation_id="teacher-project-actions")
async def carried_actions(principal: TeacherPrincipal, session: SessionDep) -> list[CarriedAction]:
    """The actions of my school's project (PEI) that I carry, newest school year first."""
    return await owners.carried_actions(session, principal)


@router.patch("/projects/actions/{action_id}", operation_id="teacher-report-project-action")
async def report(
    action_id: uuid.UUID, body: ActionReportIn, principal: TeacherPrincipal, session: SessionDep
) -> CarriedAction:
    """Report the status and progress of an action I carry (409 while the directorate
    reviews the project)."""
    return await owners.report(session, principal, action_id, body)
