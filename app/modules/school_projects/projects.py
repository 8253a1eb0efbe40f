"""The integrated school project (PEI), the school's side: the school writes its plan for the
year (diagnosis, axes, objectives, actions, indicators) and submits it to its provincial
directorate. While submitted or approved the plan is locked; after approval the school still
reports the actions' progress and the indicators' actual values (follow-up, not planning).
This module holds the project, its reading, locks and review; `plan` edits the plan's rows.

Every function takes the caller and puts the scope in its SQL: a project, axis, objective,
action or indicator of another school answers 404 like a missing one."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_school_year
from app.accounts.models import User
from app.accounts.schemas import PersonRef
from app.core.listing import found, found_row, page_of
from app.core.pagination import PageRequest
from app.core.roles import Role
from app.core.schemas import Page, SchoolRef
from app.core.security.principal import Principal
from app.core.workflow import Workflow, move
from app.errors import Conflict, InvalidInput, ProblemError, field_error
from app.messaging.models import NotificationCategory
from app.messaging.notifications import NotificationTexts, notify
from app.modules.school_projects.models import (
    ActionStatus,
    ProjectAction,
    ProjectAxis,
    ProjectIndicator,
    ProjectObjective,
    ProjectReview,
    ProjectStatus,
    ReviewAction,
    SchoolProject,
)
from app.modules.school_projects.schemas import (
    ActionOut,
    AxisNode,
    AxisOut,
    IndicatorOut,
    ObjectiveNode,
    ObjectiveOut,
    ProjectIn,
    ProjectItem,
    ProjectOut,
    ProjectPatch,
    ProjectTotals,
    ReviewOut,
)
from app.organisation.models import School
from app.organisation.scopes import school_scope

FLOW: Workflow[ProjectStatus] = Workflow(
    {
        "submit": move({ProjectStatus.DRAFT, ProjectStatus.RETURNED}, ProjectStatus.SUBMITTED),
        "approve": move(ProjectStatus.SUBMITTED, ProjectStatus.APPROVED),
        "return": move(ProjectStatus.SUBMITTED, ProjectStatus.RETURNED),
    }
)
# Who takes which move: the school submits, its directorate decides.
SCHOOL_MOVES = frozenset({"submit"})
DIRECTORATE_MOVES = frozenset({"approve", "return"})
PLANNING_OPEN = frozenset({ProjectStatus.DRAFT, ProjectStatus.RETURNED})
FOLLOW_UP_OPEN = PLANNING_OPEN | {ProjectStatus.APPROVED}
_PERCENT = Decimal("0.1")

M = TypeVar("M", ProjectAxis, ProjectObjective, ProjectAction, ProjectIndicator)


def now() -> datetime:
    """The clock, not the transaction's start (`now()`): rows written in one transaction (a
    seeded plan, a review step) keep the order they were written in."""
    return datetime.now(UTC)


def moves_for(principal: Principal, status: ProjectStatus) -> list[str]:
    """The workflow actions this caller may take now (what buttons the app shows)."""
    if principal.role is Role.SCHOOL_STAFF:
        mine = SCHOOL_MOVES
    elif principal.role is Role.PROVINCE_STAFF:
        mine = DIRECTORATE_MOVES
    else:
        mine = frozenset()
    return [action for action in FLOW.actions(status) if action in mine]


def on_target(indicator: ProjectIndicator) -> bool | None:
    """Reached the target in the direction from the baseline (None until measured)."""
    if indicator.actual is None:
        return None
    if indicator.target >= indicator.baseline:
        return indicator.actual >= indicator.target
    return indicator.actual <= indicator.target


def on_target_sql() -> Any:
    """`on_target` as SQL, for the steering aggregates."""
    i = ProjectIndicator
    return and_(
        i.actual.is_not(None),
        or_(
            and_(i.target >= i.baseline, i.actual >= i.target),
            and_(i.target < i.baseline, i.actual <= i.target),
        ),
    )


def mean_percent(total: int | Decimal, count: int) -> Decimal | None:
    """A mean percent to one decimal, half up; None over nothing."""
    if not count:
        return None
    return (Decimal(total) / count).quantize(_PERCENT, rounding=ROUND_HALF_UP)


# ---- the project ----------------------------------------------------------------------------


async def create_project(session: AsyncSession, principal: Principal, new: ProjectIn) -> ProjectOut:
    """Open the current year's PEI of the caller's school (409 if it already has one)."""
    year = await current_school_year(session)
    taken = await session.scalar(
        select(SchoolProject.id).where(
            SchoolProject.school_id == principal.school_id, SchoolProject.school_year == year
        )
    )
    if taken is not None:
        raise Conflict("school_projects.exists")
    project = SchoolProject(
        school_id=principal.school_id,
        school_year=year,
        created_by=principal.user_id,
        **new.model_dump(),
    )
    session.add(project)
    try:
        await session.flush()
    except IntegrityError:
        # Two first drafts at once: the unique key keeps one.
        raise Conflict("school_projects.exists") from None
    return await read_project(session, principal, project.id)


async def current_project(session: AsyncSession, principal: Principal) -> ProjectOut:
    """This school year's PEI of the caller's school (404 until it is opened)."""
    project_id = found(
        await session.scalar(
            select(SchoolProject.id).where(
                SchoolProject.school_id == principal.school_id,
                SchoolProject.school_year == await current_school_year(session),
            )
        )
    )
    return await read_project(session, principal, project_id)


async def school_projects(
    session: AsyncSession, principal: Principal, page: PageRequest
) -> Page[ProjectItem]:
    """The PEIs of the caller's school, newest year first."""
    statement = with_school().where(SchoolProject.school_id == principal.school_id)
    keys = (SchoolProject.school_year, SchoolProject.id)
    return await page_of(
        session, statement, keys, page, lambda r: project_item(principal, r), descending=True
    )


def in_my_part(principal: Principal) -> ColumnElement[bool]:
    """Projects of the schools in the caller's part of the tree (an indexed equality on the
    joined `schools`): their own school's, for its staff."""
    return school_scope(
        principal, School.id, province_id=School.province_id, academy_id=School.academy_id
    )


def with_school() -> Any:
    return select(
        SchoolProject, School.code, School.name_fr, School.name_ar, School.province_id
    ).join(School, School.id == SchoolProject.school_id)


def project_item(principal: Principal, row: Any) -> ProjectItem:
    """A list line from a `(SchoolProject, code, name_fr, name_ar, ...)` row."""
    project: SchoolProject = row[0]
    return ProjectItem.of(
        project,
        school=SchoolRef.of(row, id=project.school_id),
        actions=moves_for(principal, project.status),
    )


async def read_project(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID
) -> ProjectOut:
    """A project of the caller's part of the tree, whole, in five statements: the project,
    then each level of the plan (404 outside it)."""
    statement = with_school().where(SchoolProject.id == project_id, in_my_part(principal))
    row = await found_row(session, statement)
    return await _tree(session, principal, row)


async def _tree(session: AsyncSession, principal: Principal, row: Any) -> ProjectOut:
    project: SchoolProject = row[0]
    mine = (project.id, project.school_id)
    axes = await _rows(session, ProjectAxis, mine, ProjectAxis.position)
    objectives = await _rows(session, ProjectObjective, mine, ProjectObjective.created_at)
    indicators = await _rows(session, ProjectIndicator, mine, ProjectIndicator.created_at)
    action_rows = await session.execute(
        select(ProjectAction, User)
        .outerjoin(User, User.id == ProjectAction.owner_user_id)
        .where(ProjectAction.project_id == project.id, ProjectAction.school_id == project.school_id)
        .order_by(ProjectAction.starts_on, ProjectAction.created_at, ProjectAction.id)
    )
    actions = [action_out(a, owner) for a, owner in action_rows]
    return ProjectOut(
        **project_item(principal, row).model_dump(),
        diagnosis=project.diagnosis,
        totals=_totals(actions, indicators),
        axes=_nest(axes, objectives, actions, indicators),
    )


async def _rows(
    session: AsyncSession, model: type[M], mine: tuple[uuid.UUID, uuid.UUID], order: Any
) -> list[M]:
    project_id, school_id = mine
    statement = (
        select(model)
        .where(model.project_id == project_id, model.school_id == school_id)
        .order_by(order, model.id)
    )
    return list(await session.scalars(statement))


def _nest(
    axes: Sequence[ProjectAxis],
    objectives: Sequence[ProjectObjective],
    actions: Sequence[ActionOut],
    indicators: Sequence[ProjectIndicator],
) -> list[AxisNode]:
    actions_of: dict[uuid.UUID, list[ActionOut]] = defaultdict(list)
    for action in actions:
        actions_of[action.objective_id].append(action)
    indicators_of: dict[uuid.UUID, list[IndicatorOut]] = defaultdict(list)
    for indicator in indicators:
        indicators_of[indicator.objective_id].append(indicator_out(indicator))
    objectives_of: dict[uuid.UUID, list[ObjectiveNode]] = defaultdict(list)
    for objective in objectives:
        objectives_of[objective.axis_id].append(
            ObjectiveNode(
                **ObjectiveOut.model_validate(objective).model_dump(),
                actions=actions_of[objective.id],
                indicators=indicators_of[objective.id],
            )
        )
    return [
        AxisNode(**AxisOut.model_validate(axis).model_dump(), objectives=objectives_of[axis.id])
        for axis in axes
    ]


def _totals(actions: Sequence[ActionOut], indicators: Sequence[ProjectIndicator]) -> ProjectTotals:
    live = [a for a in actions if a.status is not ActionStatus.CANCELLED]
    done = [a for a in live if a.status is ActionStatus.DONE]
    return ProjectTotals(
        actions=len(live),
        budget_planned=sum((a.budget for a in live), Decimal("0.00")),
        budget_done=sum((a.budget for a in done), Decimal("0.00")),
        mean_progress=mean_percent(sum(a.progress for a in live), len(live)),
        indicators=len(indicators),
        indicators_on_target=sum(1 for i in indicators if on_target(i)),
    )


def action_out(action: ProjectAction, owner: User | None) -> ActionOut:
    return ActionOut.of(
        action, owner_user=PersonRef.model_validate(owner) if owner is not None else None
    )


def indicator_out(indicator: ProjectIndicator) -> IndicatorOut:
    return IndicatorOut.of(indicator, on_target=on_target(indicator))


async def update_project(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, patch: ProjectPatch
) -> ProjectOut:
    """Edit the title or the diagnosis (planning: a draft or returned project only)."""
    project = await locked_project(session, principal, project_id)
    check_open(project, planning=True)
    patch.apply_to(project)
    await session.flush()
    return await read_project(session, principal, project.id)


async def locked_project(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID
) -> SchoolProject:
    """The caller's school's project, locked: edits and the submission queue behind it."""
    return found(
        await session.scalar(
            select(SchoolProject)
            .where(SchoolProject.id == project_id, SchoolProject.school_id == principal.school_id)
            .with_for_update()
        )
    )


def check_open(project: SchoolProject, *, planning: bool) -> None:
    """409 when the plan (or, while under review, even the follow-up) is locked."""
    allowed = PLANNING_OPEN if planning else FOLLOW_UP_OPEN
    if project.status not in allowed:
        raise ProblemError(
            409,
            "school_projects.plan_locked",
            kind="plan-locked",
            extensions={"state": project.status.value},
        )


async def tree_row(
    session: AsyncSession, project: SchoolProject, model: type[M], child_id: uuid.UUID
) -> M:
    """A row of the project's tree (404 when it belongs to another project or school)."""
    return found(
        await session.scalar(
            select(model).where(
                model.id == child_id,
                model.project_id == project.id,
                model.school_id == project.school_id,
            )
        )
    )


# ---- the review -----------------------------------------------------------------------------


async def submit(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, comment: str | None
) -> ProjectOut:
    """Send the plan to the directorate (422 while it has no axis, objective or action)."""
    project = await locked_project(session, principal, project_id)
    target = FLOW.next(project.status, "submit")
    await _check_complete(session, project)
    project.status, project.submitted_at = target, datetime.now(UTC)
    await log_review(session, principal, project, ReviewAction.SUBMIT, comment)
    school = await session.get_one(School, project.school_id)
    reviewers = select(User.id).where(
        User.role == Role.PROVINCE_STAFF,
        User.province_id == school.province_id,
        User.is_active.is_(True),
    )
    await notify(
        session,
        list(await session.scalars(reviewers)),
        NotificationCategory.SCHOOL_PROJECT,
        NotificationTexts(
            title_ar="مشروع مؤسسة للدراسة",
            title_fr="Projet d'établissement à examiner",
            body_ar=f"أرسلت {school.name_ar} مشروعها للمؤسسة المندمج.",
            body_fr=f"{school.name_fr} a transmis son projet d'établissement intégré.",
        ),
        {"project_id": project.id, "school_id": school.id, "status": target.value},
    )
    return await read_project(session, principal, project.id)


async def _check_complete(session: AsyncSession, project: SchoolProject) -> None:
    mine = (project.id, project.school_id)
    has: list[tuple[str, Any]] = [
        ("axes", ProjectAxis),
        ("objectives", ProjectObjective),
        ("actions", ProjectAction),
    ]
    found = (
        await session.execute(
            select(
                *(
                    exists().where(model.project_id == mine[0], model.school_id == mine[1])
                    for _, model in has
                )
            )
        )
    ).one()
    errors = [
        field_error(name, f"the project has no {name} yet", "required")
        for (name, _), present in zip(has, found, strict=True)
        if not present
    ]
    if errors:
        raise InvalidInput(errors)


async def log_review(
    session: AsyncSession,
    principal: Principal,
    project: SchoolProject,
    action: ReviewAction,
    comment: str | None,
) -> None:
    """One line of the project's review history."""
    session.add(
        ProjectReview(
            school_id=project.school_id,
            project_id=project.id,
            action=action,
            comment=comment,
            by=principal.user_id,
            at=now(),
        )
    )
    await session.flush()


async def reviews(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    page: PageRequest,
) -> Page[ReviewOut]:
    """The review history of a project of the caller's part of the tree, newest first."""
    project = found(
        await session.scalar(
            select(SchoolProject.id)
            .join(School, School.id == SchoolProject.school_id)
            .where(SchoolProject.id == project_id, in_my_part(principal))
        )
    )
    statement = (
        select(ProjectReview, User)
        .join(User, User.id == ProjectReview.by)
        .where(ProjectReview.project_id == project)
    )
    keys = (ProjectReview.at, ProjectReview.id)
    return await page_of(session, statement, keys, page, _review_out, descending=True)


def _review_out(row: Any) -> ReviewOut:
    review = row.ProjectReview
    return ReviewOut.of(review, by=PersonRef.model_validate(row.User))
