"""The integrated school project (PEI): what the school writes, what the directorate reviews, and
the figures steering reads.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from app.accounts.schemas import PersonRef
from app.core.schemas import Patch, Schema, SchoolRef
from app.modules.school_projects.models import (
    COMMENT_MAX,
    OWNER_LABEL_MAX,
    TEXT_MAX,
    TITLE_MAX,
    UNIT_MAX,
    ActionStatus,
    ProjectStatus,
    ReviewAction,
)
from app.organisation.schemas import UnitOut

Title = Annotated[str, Field(min_length=1, max_length=TITLE_MAX)]
Text = Annotated[str, Field(max_length=TEXT_MAX)]
Budget = Annotated[
    Decimal, Field(ge=0, max_digits=12, decimal_places=2, description="In dirhams (MAD).")
]
Measure = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]
Progress = Annotated[int, Field(ge=0, le=100, description="Percent done.")]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Patch(_Input, Patch):
    """A partial update of the plan; unknown fields are refused."""


# ---- the school's input ---------------------------------------------------------------------


class ProjectIn(_Input):
    title: Title = Field(examples=["Projet d'établissement 2025-2026"])
    diagnosis: Text | None = Field(
        default=None, description="Summary of the diagnosis (état des lieux)."
    )


class ProjectPatch(_Patch):
    REQUIRED: ClassVar[frozenset[str]] = frozenset({"title"})

    title: Title | None = None
    diagnosis: Text | None = None


class AxisIn(_Input):
    title: Title = Field(examples=["Amélioration des apprentissages"])
    description: Text | None = None


class AxisPatch(_Patch):
    REQUIRED: ClassVar[frozenset[str]] = frozenset({"title"})

    title: Title | None = None
    description: Text | None = None


class ObjectiveIn(_Input):
    title: Title = Field(examples=["Réduire le taux de redoublement en 1AC"])
    description: Text | None = None


class ObjectivePatch(_Patch):
    REQUIRED: ClassVar[frozenset[str]] = frozenset({"title"})

    title: Title | None = None
    description: Text | None = None


class ActionIn(_Input):
    """Carried by a member of the school (`owner_user_id`) or by someone named
    (`owner_label`, e.g. "Association des parents d'élèves"): exactly one of the two."""

    title: Title = Field(examples=["Cours de soutien en mathématiques pour les 1AC"])
    owner_user_id: uuid.UUID | None = None
    owner_label: Annotated[str, Field(min_length=1, max_length=OWNER_LABEL_MAX)] | None = None
    starts_on: date
    ends_on: date
    budget: Budget = Decimal(0)
    status: ActionStatus = ActionStatus.PLANNED
    progress: Progress = 0

    @field_validator("ends_on")
    @classmethod
    def _after_start(cls, ends_on: date, info: ValidationInfo) -> date:
        starts_on = info.data.get("starts_on")
        if starts_on is not None and ends_on < starts_on:
            raise ValueError("must not be before starts_on")
        return ends_on

    @model_validator(mode="after")
    def _one_owner(self) -> Self:
        if (self.owner_user_id is None) == (self.owner_label is None):
            raise ValueError("give exactly one of owner_user_id and owner_label")
        return self


class ActionPatch(_Patch):
    """Planning fields (all but `status` and `progress`) change only while the project is a
    draft or returned; after approval the school still reports `status` and `progress`."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset(
        {"title", "starts_on", "ends_on", "budget", "status", "progress"}
    )

    title: Title | None = None
    owner_user_id: uuid.UUID | None = None
    owner_label: Annotated[str, Field(min_length=1, max_length=OWNER_LABEL_MAX)] | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    budget: Budget | None = None
    status: ActionStatus | None = None
    progress: Progress | None = None

    @model_validator(mode="after")
    def _one_owner(self) -> Self:
        if self.owner_user_id is not None and self.owner_label is not None:
            raise ValueError("give only one of owner_user_id and owner_label")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields sent; naming one kind of owner (a member, a label) clears the other."""
        changes = super().changes()
        if changes.get("owner_user_id") is not None:
            changes.setdefault("owner_label", None)
        elif changes.get("owner_label") is not None:
            changes.setdefault("owner_user_id", None)
        return changes


class IndicatorIn(_Input):
    """On target when `actual` reached `target` in the direction from `baseline` (a rate to
    lower is on target at or below it)."""

    name: Title = Field(examples=["Taux de redoublement en 1AC"])
    unit: Annotated[str, Field(min_length=1, max_length=UNIT_MAX)] = Field(examples=["%"])
    baseline: Measure
    target: Measure
    actual: Measure | None = None


class IndicatorPatch(_Patch):
    """`actual` is follow-up (allowed after approval); the rest is planning."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"name", "unit", "baseline", "target"})

    name: Title | None = None
    unit: Annotated[str, Field(min_length=1, max_length=UNIT_MAX)] | None = None
    baseline: Measure | None = None
    target: Measure | None = None
    actual: Measure | None = None


class CommentIn(_Input):
    comment: Annotated[str, Field(min_length=1, max_length=COMMENT_MAX)] | None = None


class ProjectReturn(_Input):
    comment: Annotated[str, Field(min_length=1, max_length=COMMENT_MAX)] = Field(
        description="What the school must rework."
    )


# ---- answers --------------------------------------------------------------------------------


class AxisOut(Schema):
    id: uuid.UUID
    position: int
    title: str
    description: str | None


class ObjectiveOut(Schema):
    id: uuid.UUID
    axis_id: uuid.UUID
    title: str
    description: str | None


class ActionOut(Schema):
    id: uuid.UUID
    objective_id: uuid.UUID
    title: str
    owner_user: PersonRef | None
    owner_label: str | None
    starts_on: date
    ends_on: date
    budget: Decimal
    status: ActionStatus
    progress: int


class ActionReportIn(_Patch):
    """What the person carrying an action reports: its status and progress."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"status", "progress"})

    status: ActionStatus | None = None
    progress: Progress | None = None


class CarriedAction(ActionOut):
    """An action I carry, with where it sits in my school's project."""

    project_id: uuid.UUID
    school_year: int
    project_status: ProjectStatus
    axis_title: str
    objective_title: str


class IndicatorOut(Schema):
    id: uuid.UUID
    objective_id: uuid.UUID
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    actual: Decimal | None
    on_target: bool | None = Field(description="Null until an actual value is reported.")


class ObjectiveNode(ObjectiveOut):
    actions: list[ActionOut]
    indicators: list[IndicatorOut]


class AxisNode(AxisOut):
    objectives: list[ObjectiveNode]


class ProjectTotals(BaseModel):
    """Over the actions not cancelled."""

    actions: int
    budget_planned: Decimal
    budget_done: Decimal = Field(description="Budget of the actions done.")
    mean_progress: Decimal | None
    indicators: int
    indicators_on_target: int


class ProjectItem(Schema):
    id: uuid.UUID
    school: SchoolRef
    school_year: int
    status: ProjectStatus
    title: str
    submitted_at: datetime | None
    decided_at: datetime | None
    updated_at: datetime
    actions: list[str] = Field(description="Workflow actions the caller may take now.")


class ProjectOut(ProjectItem):
    """The whole plan: axes > objectives > actions and indicators."""

    diagnosis: str | None
    totals: ProjectTotals
    axes: list[AxisNode]


class ReviewOut(Schema):
    id: uuid.UUID
    action: ReviewAction
    comment: str | None
    by: PersonRef
    at: datetime


# ---- steering figures -----------------------------------------------------------------------


class ProjectsByStatus(BaseModel):
    draft: int = 0
    submitted: int = 0
    approved: int = 0
    returned: int = 0


class SchoolProjectFigures(BaseModel):
    """PEIs of the current school year in the unit (the steering overview's figure)."""

    schools_with_project: int
    by_status: ProjectsByStatus
    budget_planned: Decimal = Field(description="MAD, actions not cancelled.")
    mean_progress: Decimal | None = Field(description="Percent, actions not cancelled.")


class ProjectFigures(SchoolProjectFigures):
    budget_done: Decimal
    indicators: int
    indicators_on_target: int


class UnitProjects(BaseModel):
    unit: UnitOut
    figures: ProjectFigures


class ProjectSummary(BaseModel):
    """The caller's unit and the units one level down, for one school year."""

    unit: UnitOut
    school_year: int
    total: ProjectFigures
    items: list[UnitProjects]
