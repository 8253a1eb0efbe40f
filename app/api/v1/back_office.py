"""The back-office modules, which the school and steering faces both serve in full."""

from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter

from app.modules.diagnostics.routes import diagnostic_routes
from app.modules.equipment.routes import equipment_routes
from app.modules.partnerships.routes import partnership_routes
from app.modules.school_projects.routes import project_routes
from app.modules.sports.routes import sport_routes
from app.modules.trainings.routes import training_routes
from app.modules.websites.routes import website_routes

BackOfficeFace = Literal["school", "steering"]

_MODULES: tuple[Callable[[BackOfficeFace], APIRouter], ...] = (
    partnership_routes,
    project_routes,
    diagnostic_routes,
    equipment_routes,
    website_routes,
    sport_routes,
    training_routes,
)


def include_back_office(router: APIRouter, face: BackOfficeFace, **options: Any) -> None:
    """Mount every back-office module on the face's router, with the face's operation ids (and
    `options` of the inclusion: the guard of a duty)."""
    for module_routes in _MODULES:
        router.include_router(module_routes(face), **options)
