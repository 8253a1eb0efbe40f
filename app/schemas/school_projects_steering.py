"""The PEI summary of a steering unit, by unit one level down."""

from __future__ import annotations

from pydantic import BaseModel

from app.schemas.school_projects import ProjectFigures
from app.schemas.steering import UnitOut


class UnitProjects(BaseModel):
    unit: UnitOut
    figures: ProjectFigures


class ProjectSummary(BaseModel):
    """The caller's unit and the units one level down, for one school year."""

    unit: UnitOut
    school_year: int
    total: ProjectFigures
    items: list[UnitProjects]
