"""The teacher's file, classes, rosters and week."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.academics import teaching
from app.academics.schemas import Leaver, RosterPupil, TaughtClass, TeacherProfileOut, Week
from app.accounts.guards import TeacherPrincipal
from app.core.caching import NOT_MODIFIED, conditional_json
from app.core.db.session import SessionDep

router = APIRouter()
UpdatedSince = Annotated[
    datetime | None, Query(description="Only what changed since then (ISO 8601, with zone).")
]


@router.get(
    "/profile",
    operation_id="teacher-profile",
    response_model=TeacherProfileOut,
    responses=NOT_MODIFIED,
)
async def profile(request: Request, principal: TeacherPrincipal, session: SessionDep) -> Response:
    """My file: staff number (PPR), rank, specialty, school and this year's assignments."""
    return conditional_json(request, await teaching.get_profile(session, principal))


@router.get(
    "/classes",
    operation_id="teacher-classes",
    response_model=list[TaughtClass],
    responses=NOT_MODIFIED,
)
async def classes(request: Request, principal: TeacherPrincipal, session: SessionDep) -> Response:
    """The classes I teach this year, with my subjects in each and their pupil counts."""
    return conditional_json(request, await teaching.list_classes(session, principal))


@router.get(
    "/classes/{class_id}/pupils",
    operation_id="teacher-class-pupils",
    response_model=list[RosterPupil],
    responses=NOT_MODIFIED,
)
async def class_pupils(
    class_id: uuid.UUID,
    request: Request,
    principal: TeacherPrincipal,
    session: SessionDep,
    updated_since: UpdatedSince = None,
) -> Response:
    """The roster of one of my classes, by family name."""
    pupils = await teaching.roster(session, principal, class_id, updated_since)
    return conditional_json(request, pupils)


@router.get(
    "/classes/{class_id}/leavers",
    operation_id="teacher-class-leavers",
    response_model=list[Leaver],
    responses=NOT_MODIFIED,
)
async def class_leavers(
    class_id: uuid.UUID,
    request: Request,
    principal: TeacherPrincipal,
    session: SessionDep,
    since: Annotated[datetime, Query(description="The last sync (ISO 8601, with zone).")],
) -> Response:
    """Pupils who left one of my classes since the last sync: the roster's deletions."""
    return conditional_json(request, await teaching.leavers(session, principal, class_id, since))


@router.get(
    "/timetable", operation_id="teacher-timetable", response_model=Week, responses=NOT_MODIFIED
)
async def timetable(
    request: Request,
    principal: TeacherPrincipal,
    session: SessionDep,
    week: Annotated[str | None, Query(pattern=r"^\d{4}-W\d{2}$", examples=["2026-W48"])] = None,
) -> Response:
    """My lessons of an ISO week (this week by default), dated."""
    return conditional_json(request, await teaching.timetable(session, principal, week))
