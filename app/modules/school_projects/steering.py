"""The integrated school project (PEI), steering's side: directorates, academies and the
ministry follow the PEIs of their part of the tree; only the school's own provincial
directorate approves or returns one. The figures are grouped SQL aggregates, a fixed number
of statements whatever the number of schools."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_school_year
from app.accounts.models import User
from app.core.listing import found, page_of, where_given
from app.core.pagination import PageRequest
from app.core.roles import Role
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.messaging.models import NotificationCategory
from app.messaging.notifications import NotificationTexts, notify
from app.modules.school_projects import projects
from app.modules.school_projects.figures import Tally, tallies_by
from app.modules.school_projects.models import ProjectStatus, ReviewAction, SchoolProject
from app.modules.school_projects.schemas import (
    ProjectItem,
    ProjectOut,
    ProjectSummary,
    UnitProjects,
)
from app.organisation import units as tree
from app.organisation.models import School

Decision = Literal["approve", "return"]


# ---- the list and one project ---------------------------------------------------------------


async def steering_projects(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    *,
    status: ProjectStatus | None,
    school_year: int | None,
    province_id: uuid.UUID | None,
) -> Page[ProjectItem]:
    """The PEIs of the caller's schools, by school code, then year."""
    statement = where_given(
        projects.with_school().where(projects.in_my_part(principal)),
        {
            SchoolProject.status: status,
            SchoolProject.school_year: school_year,
            School.province_id: province_id,
        },
    )
    keys = (School.code, SchoolProject.school_year, SchoolProject.id)
    return await page_of(
        session, statement, keys, page, lambda r: projects.project_item(principal, r)
    )


# ---- the decision ---------------------------------------------------------------------------


async def decide(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    decision: Decision,
    comment: str | None,
) -> ProjectOut:
    """Approve or return a submitted PEI of my directorate's schools (the routes let only
    directorates' staff through: academies and the ministry follow but do not decide); the
    school's staff are told."""
    project = found(
        await session.scalar(
            select(SchoolProject)
            .join(School, School.id == SchoolProject.school_id)
            .where(SchoolProject.id == project_id, School.province_id == principal.province_id)
            .with_for_update(of=SchoolProject)
        )
    )
    project.status = projects.FLOW.next(project.status, decision)
    project.decided_at = datetime.now(UTC)
    action = ReviewAction.APPROVE if decision == "approve" else ReviewAction.RETURN
    await projects.log_review(session, principal, project, action, comment)
    await _tell_school(session, project, comment)
    return await projects.read_project(session, principal, project.id)


async def _tell_school(session: AsyncSession, project: SchoolProject, comment: str | None) -> None:
    staff = select(User.id).where(
        User.role == Role.SCHOOL_STAFF,
        User.school_id == project.school_id,
        User.is_active.is_(True),
    )
    if project.status is ProjectStatus.APPROVED:
        texts = NotificationTexts(
            title_ar="تمت المصادقة على مشروع المؤسسة",
            title_fr="Projet d'établissement approuvé",
            body_ar="صادقت المديرية الإقليمية على مشروع المؤسسة المندمج.",
            body_fr="La direction provinciale a approuvé le projet d'établissement intégré.",
        )
    else:
        texts = NotificationTexts(
            title_ar="أُرجع مشروع المؤسسة",
            title_fr="Projet d'établissement renvoyé",
            body_ar=f"أرجعت المديرية الإقليمية مشروع المؤسسة: {comment or ''}"[:500],
            body_fr=f"La direction provinciale a renvoyé le projet : {comment or ''}"[:500],
        )
    await notify(
        session,
        list(await session.scalars(staff)),
        NotificationCategory.SCHOOL_PROJECT,
        texts,
        {"project_id": project.id, "status": project.status.value},
    )


async def summary(
    session: AsyncSession, principal: Principal, school_year: int | None
) -> ProjectSummary:
    """The PEIs of the caller's unit for a year (the current one by default), by unit one
    level down, with the unit's total."""
    unit = await tree.own_unit(session, principal)
    year = school_year or await current_school_year(session)
    tallies = await tallies_by(session, unit, year, tree.child_key(unit))
    total = Tally()
    items = []
    for child in await tree.units_below(session, unit):
        tally = tallies.get(child.id, Tally())
        total.add(tally)
        items.append(UnitProjects(unit=child, figures=tally.figures()))
    return ProjectSummary(unit=unit, school_year=year, total=total.figures(), items=items)
