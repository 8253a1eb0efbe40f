"""The PEI figures of a unit: grouped SQL aggregates over the unit's schools, three
statements whatever their number. Used by the steering summary and the steering overview."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, null, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_year
from app.modules.school_projects.models import (
    ActionStatus,
    ProjectAction,
    ProjectIndicator,
    ProjectStatus,
    SchoolProject,
)
from app.modules.school_projects.projects import mean_percent, on_target_sql
from app.modules.school_projects.schemas import (
    ProjectFigures,
    ProjectsByStatus,
    SchoolProjectFigures,
)
from app.organisation.models import School
from app.organisation.schemas import UnitOut
from app.organisation.units import in_unit

_CENTIMES = Decimal("0.01")


def _mad(amount: Any) -> Decimal:
    """An amount in dirhams with its two decimals, as the columns keep them."""
    return Decimal(amount).quantize(_CENTIMES)


@dataclass
class Tally:
    """Raw sums of one group, folded into figures at the end (means need sums and counts)."""

    statuses: dict[str, int] = field(default_factory=dict)
    budget_planned: Decimal = Decimal("0.00")
    budget_done: Decimal = Decimal("0.00")
    progress_sum: int = 0
    live_actions: int = 0
    indicators: int = 0
    on_target: int = 0

    def add(self, other: Tally) -> None:
        for status, n in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n
        self.budget_planned += other.budget_planned
        self.budget_done += other.budget_done
        self.progress_sum += other.progress_sum
        self.live_actions += other.live_actions
        self.indicators += other.indicators
        self.on_target += other.on_target

    def figures(self) -> ProjectFigures:
        return ProjectFigures(
            schools_with_project=sum(self.statuses.values()),
            by_status=ProjectsByStatus(**self.statuses),
            budget_planned=self.budget_planned,
            mean_progress=mean_percent(self.progress_sum, self.live_actions),
            budget_done=self.budget_done,
            indicators=self.indicators,
            indicators_on_target=self.on_target,
        )


def _grouped(statement: Any, key: Any) -> Any:
    if key is None:
        return statement.add_columns(null().label("key"))
    return statement.add_columns(key.label("key")).group_by(key)


async def tallies_by(session: AsyncSession, unit: UnitOut, year: Any, key: Any) -> dict[Any, Tally]:
    """The unit's PEIs of `year`, by `key` (a `schools` column, or None: the whole unit): three
    statements (projects, actions, indicators)."""
    tallies: dict[Any, Tally] = defaultdict(Tally)
    of_unit = (SchoolProject.school_year == year, in_unit(unit))
    by_status = (
        select(SchoolProject.status, func.count().label("n"))
        .join(School, School.id == SchoolProject.school_id)
        .where(*of_unit)
        .group_by(SchoolProject.status)
    )
    for r in await session.execute(_grouped(by_status, key)):
        tallies[r.key].statuses[ProjectStatus(r.status).value] = r.n
    live = ProjectAction.status != ActionStatus.CANCELLED
    actions = (
        select(
            func.coalesce(func.sum(ProjectAction.budget).filter(live), 0).label("planned"),
            func.coalesce(
                func.sum(ProjectAction.budget).filter(ProjectAction.status == ActionStatus.DONE), 0
            ).label("done"),
            func.coalesce(func.sum(ProjectAction.progress).filter(live), 0).label("progress"),
            func.count().filter(live).label("live"),
        )
        .select_from(ProjectAction)
        .join(SchoolProject, SchoolProject.id == ProjectAction.project_id)
        .join(School, School.id == SchoolProject.school_id)
        .where(*of_unit)
    )
    for r in await session.execute(_grouped(actions, key)):
        tally = tallies[r.key]
        tally.budget_planned, tally.budget_done = _mad(r.planned), _mad(r.done)
        tally.progress_sum, tally.live_actions = int(r.progress), r.live
    indicators = (
        select(
            func.count().label("n"),
            func.count().filter(on_target_sql()).label("on_target"),
        )
        .select_from(ProjectIndicator)
        .join(SchoolProject, SchoolProject.id == ProjectIndicator.project_id)
        .join(School, School.id == SchoolProject.school_id)
        .where(*of_unit)
    )
    for r in await session.execute(_grouped(indicators, key)):
        tallies[r.key].indicators, tallies[r.key].on_target = r.n, r.on_target
    return tallies


async def steering_figure(session: AsyncSession, unit: UnitOut) -> SchoolProjectFigures:
    """The steering overview's figure: this year's PEIs of the unit."""
    tally = (await tallies_by(session, unit, current_year(), None)).get(None, Tally())
    figures = tally.figures()
    return SchoolProjectFigures(
        schools_with_project=figures.schools_with_project,
        by_status=figures.by_status,
        budget_planned=figures.budget_planned,
        mean_progress=figures.mean_progress,
    )
