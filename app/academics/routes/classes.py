"""The teacher's file, classes, rosters and week."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.academics import teaching
from app.academics.calendar import NEEDS_CURRENT_YEAR
from app.academics.schemas import (
    Leaver,
    RosterChanges,
    RosterPupil,
    TaughtClass,
    TeacherProfileOut,
    Week,
)
from app.accounts.guards import TeacherPrincipal
from app.core.caching import Tagged, cached_read, conditional_json, weak_etag
from app.core.db.session import SessionDep
from app.core.hot_reads import HotCall, hot_read
from app.sync.tombstones import WINDOW_PASSED

router = APIRouter()
UpdatedSince = Annotated[
    datetime | None, Query(description="Only what changed since then (ISO 8601, with zone).")
]
# A delta read's start: the app's last sync, within the sync window (else 410).
Since = Annotated[datetime, Query(description="The last sync (ISO 8601, with zone).")]


@cached_read(router, "/profile", "teacher-profile", TeacherProfileOut, responses=NEEDS_CURRENT_YEAR)
async def profile(request: Request, principal: TeacherPrincipal, session: SessionDep) -> Response:
    """My file: staff number (PPR), rank, specialty, school and this year's assignments."""
    return conditional_json(request, await teaching.get_profile(session, principal))


async def lean_classes(call: HotCall) -> list[TaughtClass]:
    """The teacher's classes on the lean path (`core/hot_reads.py`): the same read."""
    return await teaching.list_classes(call.db, call.principal)


async def lean_roster(call: HotCall) -> Tagged:
    """A roster on the lean path (`core/hot_reads.py`): the same read, the same scope, and
    the same JSON written from the records without the models."""
    records = await teaching.roster_records(call.db, call.principal, call.path_id("class_id"))
    body = RosterPupil.json_of_records(records)
    return Tagged(body, weak_etag(body))


@cached_read(router, "/classes", "teacher-classes", list[TaughtClass], responses=NEEDS_CURRENT_YEAR)
@hot_read(lean_classes)
async def classes(request: Request, principal: TeacherPrincipal, session: SessionDep) -> Response:
    """The classes I teach this year, with my subjects in each and their pupil counts."""
    return conditional_json(request, await teaching.list_classes(session, principal))


@cached_read(router, "/classes/{class_id}/pupils", "teacher-class-pupils", list[RosterPupil])
@hot_read(lean_roster)
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
    "/classes/{class_id}/pupils/changes",
    operation_id="teacher-class-pupil-changes",
    responses=WINDOW_PASSED,
)
async def class_pupil_changes(
    class_id: uuid.UUID, principal: TeacherPrincipal, session: SessionDep, since: Since
) -> RosterChanges:
    """The roster's changes since the last sync: pupils changed or joined, and the ids of
    those who left."""
    return await teaching.roster_changes(session, principal, class_id, since)


@cached_read(router, "/classes/{class_id}/leavers", "teacher-class-leavers", list[Leaver])
async def class_leavers(
    class_id: uuid.UUID,
    request: Request,
    principal: TeacherPrincipal,
    session: SessionDep,
    since: Since,
) -> Response:
    """Pupils who left one of my classes since the last sync: the roster's deletions."""
    return conditional_json(request, await teaching.leavers(session, principal, class_id, since))


@cached_read(router, "/timetable", "teacher-timetable", Week)
async def timetable(
    request: Request,
    principal: TeacherPrincipal,
    session: SessionDep,
    week: Annotated[str | None, Query(pattern=r"^\d{4}-W\d{2}$", examples=["2026-W48"])] = None,
) -> Response:
    """My lessons of an ISO week (this week by default), dated."""
    week_out = await teaching.timetable(session, principal, week)
    return conditional_json(request, week_out)
