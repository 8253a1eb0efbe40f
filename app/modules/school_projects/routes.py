"""The integrated school project (PEI), each endpoint written once for the faces that serve
it: the school's staff (`/school/projects`: the plan of the year, edited level by level and
submitted to the provincial directorate), directorates, academies and the ministry
(`/steering/projects`: the PEIs of their schools; the school's own directorate approves or
returns), and teachers (`/teacher/projects/actions`: the actions they carry). The face's
router guards the role; the services apply each caller's scope.

The plan's four levels (axes, objectives, actions, indicators) are one set of routes mounted
per level.

(No `from __future__ import annotations`: the plan's routes are built per level, and FastAPI
must resolve their annotations when they are made.)
"""

import uuid
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel

from app.academics.calendar import NEEDS_CURRENT_YEAR
from app.academics.schemas import SchoolYearQuery
from app.accounts.guards import CurrentPrincipal, require_roles
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.roles import Role
from app.core.routing import RouteGroup, face_routes, path_id
from app.core.schemas import Page, Patch
from app.core.security.principal import Principal
from app.modules.school_projects import owners, plan, projects
from app.modules.school_projects import steering as steering_projects
from app.modules.school_projects.models import ProjectStatus
from app.modules.school_projects.schemas import (
    ActionIn,
    ActionOut,
    ActionPatch,
    ActionReportIn,
    AxisIn,
    AxisOut,
    AxisPatch,
    CarriedAction,
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
    ProjectReturn,
    ProjectSummary,
    ReviewOut,
)

ProjectFace = Literal["school", "steering", "teacher"]

# The school's own directorate decides on its project; academies and the ministry follow.
DecidingPrincipal = Annotated[
    Principal,
    Depends(require_roles(Role.PROVINCE_STAFF, refusal="school_projects.directorate_decides")),
]


def project_routes(face: ProjectFace) -> APIRouter:
    """The school-project endpoints of one face, with its operation ids."""
    return face_routes(face, _FACE_ROUTES[face], prefix="/projects")


# ---- the project: opened, read, edited and submitted by the school, decided by steering -----


def _opening(router: APIRouter, face: str) -> None:
    @router.post("", operation_id=f"{face}-create-project", status_code=status.HTTP_201_CREATED)
    async def create_project(
        new: ProjectIn, principal: CurrentPrincipal, session: SessionDep
    ) -> ProjectOut:
        """Open this school year's project (one per school and year)."""
        return await projects.create_project(session, principal, new)

    @router.get("", operation_id=f"{face}-projects")
    async def list_projects(
        principal: CurrentPrincipal, session: SessionDep, page: PageParams
    ) -> Page[ProjectItem]:
        """Our projects, newest school year first."""
        return await projects.school_projects(session, principal, page)

    @router.get("/current", operation_id=f"{face}-current-project", responses=NEEDS_CURRENT_YEAR)
    async def current_project(principal: CurrentPrincipal, session: SessionDep) -> ProjectOut:
        """This school year's project, whole (404 until it is opened)."""
        return await projects.current_project(session, principal)


def _following(router: APIRouter, face: str) -> None:
    @router.get("", operation_id=f"{face}-projects")
    async def list_projects(
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        status: ProjectStatus | None = None,
        school_year: SchoolYearQuery = None,
        province_id: uuid.UUID | None = None,
    ) -> Page[ProjectItem]:
        """The PEIs of the schools in my part of the tree, by school code."""
        return await steering_projects.steering_projects(
            session,
            principal,
            page,
            status=status,
            school_year=school_year,
            province_id=province_id,
        )

    @router.get("/summary", operation_id=f"{face}-projects-summary", responses=NEEDS_CURRENT_YEAR)
    async def summary(
        principal: CurrentPrincipal, session: SessionDep, school_year: SchoolYearQuery = None
    ) -> ProjectSummary:
        """PEI figures of my unit by unit one level down (this school year by default)."""
        return await steering_projects.summary(session, principal, school_year)


def _reading(router: APIRouter, face: str) -> None:
    @router.get("/{project_id}", operation_id=f"{face}-project")
    async def read_project(
        project_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> ProjectOut:
        """A PEI of my school or of my part of the tree, whole: axes, their objectives, and
        each objective's actions and indicators."""
        return await projects.read_project(session, principal, project_id)

    @router.get("/{project_id}/reviews", operation_id=f"{face}-project-reviews")
    async def reviews(
        project_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep, page: PageParams
    ) -> Page[ReviewOut]:
        """The review history: submissions, approvals and returns with their comments."""
        return await projects.reviews(session, principal, project_id, page)


def _editing(router: APIRouter, face: str) -> None:
    @router.patch("/{project_id}", operation_id=f"{face}-update-project")
    async def update_project(
        project_id: uuid.UUID, patch: ProjectPatch, principal: CurrentPrincipal, session: SessionDep
    ) -> ProjectOut:
        """Edit the title or the diagnosis summary (draft or returned projects)."""
        return await projects.update_project(session, principal, project_id, patch)

    @router.post("/{project_id}/submit", operation_id=f"{face}-submit-project")
    async def submit(
        project_id: uuid.UUID,
        principal: CurrentPrincipal,
        session: SessionDep,
        body: CommentIn | None = None,
    ) -> ProjectOut:
        """Send the project to the provincial directorate (it needs an axis, objective,
        action)."""
        comment = body.comment if body is not None else None
        return await projects.submit(session, principal, project_id, comment)


def _deciding(router: APIRouter, face: str) -> None:
    @router.post("/{project_id}/approve", operation_id=f"{face}-approve-project")
    async def approve(
        project_id: uuid.UUID,
        principal: DecidingPrincipal,
        session: SessionDep,
        body: CommentIn | None = None,
    ) -> ProjectOut:
        """Approve a submitted PEI (the school's provincial directorate only)."""
        comment = body.comment if body is not None else None
        return await steering_projects.decide(session, principal, project_id, "approve", comment)

    @router.post("/{project_id}/return", operation_id=f"{face}-return-project")
    async def return_project(
        project_id: uuid.UUID,
        body: ProjectReturn,
        principal: DecidingPrincipal,
        session: SessionDep,
    ) -> ProjectOut:
        """Return a submitted PEI to the school, saying what to rework."""
        return await steering_projects.decide(
            session, principal, project_id, "return", body.comment
        )


def _carrying(router: APIRouter, face: str) -> None:
    @router.get("/actions", operation_id=f"{face}-project-actions")
    async def carried_actions(
        principal: CurrentPrincipal, session: SessionDep
    ) -> list[CarriedAction]:
        """The actions of my school's project (PEI) that I carry, newest school year first."""
        return await owners.carried_actions(session, principal)

    @router.patch("/actions/{action_id}", operation_id=f"{face}-report-project-action")
    async def report(
        action_id: uuid.UUID, body: ActionReportIn, principal: CurrentPrincipal, session: SessionDep
    ) -> CarriedAction:
        """Report the status and progress of an action I carry (409 while the directorate
        reviews the project)."""
        return await owners.report(session, principal, action_id, body)


# ---- the plan: four levels, one set of routes ------------------------------------------------


async def _the_project() -> None:
    """An axis hangs from the project itself: no parent in its path."""


@dataclass(frozen=True, slots=True)
class PlanRoutes:
    """A level of the plan as its routes show it: the service's level, its word in operation
    ids and its plural in paths, the path parameter that names one, the level it is added
    under, what is written, and what each route does."""

    level: plan.PlanLevel[Any, Any]
    word: str
    plural: str
    id_name: str
    parent: "PlanRoutes | None"
    new: type[BaseModel]
    patch: type[Patch]
    out: type[BaseModel]
    added: str
    edited: str
    removed: str


AXES = PlanRoutes(
    plan.AXES,
    "axis",
    "axes",
    "axis_id",
    None,
    AxisIn,
    AxisPatch,
    AxisOut,
    "Add a priority axis.",
    "Edit a priority axis.",
    "Remove a priority axis with everything under it.",
)
OBJECTIVES = PlanRoutes(
    plan.OBJECTIVES,
    "objective",
    "objectives",
    "objective_id",
    AXES,
    ObjectiveIn,
    ObjectivePatch,
    ObjectiveOut,
    "Add an objective under an axis.",
    "Edit an objective.",
    "Remove an objective with its actions and indicators.",
)
ACTIONS = PlanRoutes(
    plan.ACTIONS,
    "action",
    "actions",
    "action_id",
    OBJECTIVES,
    ActionIn,
    ActionPatch,
    ActionOut,
    "Add an action serving an objective.",
    "Edit an action; after approval only its `status` and `progress` (the follow-up).",
    "Remove an action.",
)
INDICATORS = PlanRoutes(
    plan.INDICATORS,
    "indicator",
    "indicators",
    "indicator_id",
    OBJECTIVES,
    IndicatorIn,
    IndicatorPatch,
    IndicatorOut,
    "Add an indicator measuring an objective.",
    "Edit an indicator; after approval only its `actual` value (the follow-up).",
    "Remove an indicator.",
)


def _planning(router: APIRouter, face: str) -> None:
    """The plan's levels, from the top."""
    for level in (AXES, OBJECTIVES, ACTIONS, INDICATORS):
        _plan_level(router, face, level)


def _plan_level(router: APIRouter, face: str, level: PlanRoutes) -> None:
    """Add, edit and remove the rows of one level; the operation ids are
    `{face}-add-project-{word}`, `{face}-update-...` and `{face}-delete-...`."""
    parent = level.parent
    ParentId = Annotated[  # noqa: N806  (a type alias)
        uuid.UUID | None, Depends(path_id(parent.id_name) if parent else _the_project)
    ]
    RowId = Annotated[uuid.UUID, Depends(path_id(level.id_name))]  # noqa: N806  (a type alias)
    New, Change = level.new, level.patch  # noqa: N806  (the level's inputs, as FastAPI reads them)
    under = f"/{parent.plural}/{{{parent.id_name}}}" if parent else ""
    one = f"/{{project_id}}/{level.plural}/{{{level.id_name}}}"
    title = level.word.title()

    @router.post(
        f"/{{project_id}}{under}/{level.plural}",
        operation_id=f"{face}-add-project-{level.word}",
        status_code=status.HTTP_201_CREATED,
        response_model=level.out,
        summary=f"Add {title}",
        description=level.added,
    )
    async def add_row(
        project_id: uuid.UUID,
        parent_id: ParentId,
        new: New,  # type: ignore[valid-type]
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> Any:
        return await plan.add(session, principal, project_id, level.level, parent_id, new)

    @router.patch(
        one,
        operation_id=f"{face}-update-project-{level.word}",
        response_model=level.out,
        summary=f"Update {title}",
        description=level.edited,
    )
    async def update_row(
        project_id: uuid.UUID,
        row_id: RowId,
        patch: Change,  # type: ignore[valid-type]
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> Any:
        return await plan.update(session, principal, project_id, level.level, row_id, patch)

    @router.delete(
        one,
        operation_id=f"{face}-delete-project-{level.word}",
        status_code=status.HTTP_204_NO_CONTENT,
        summary=f"Delete {title}",
        description=level.removed,
    )
    async def delete_row(
        project_id: uuid.UUID, row_id: RowId, principal: CurrentPrincipal, session: SessionDep
    ) -> None:
        await plan.remove(session, principal, project_id, level.level, row_id)


_FACE_ROUTES: dict[ProjectFace, tuple[RouteGroup, ...]] = {
    "school": (_opening, _reading, _editing, _planning),
    "steering": (_following, _reading, _deciding),
    "teacher": (_carrying,),
}
