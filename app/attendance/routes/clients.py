"""The absences feed of API clients (`attendance.read`), mounted by the integrators' face."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.attendance.client_feed import absences_feed
from app.attendance.schemas import ClientAbsenceFeed
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.errors import PROBLEM_MEDIA_TYPE, invalid
from app.integrations.callers import ApiCallerDep, scoped
from app.integrations.scopes import ApiScope
from app.sync.tombstones import WINDOW_PASSED

router = APIRouter()
_options = scoped(ApiScope.ATTENDANCE_READ)


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_MEDIA_TYPE: {}}}


_RESPONSES: dict[int | str, dict[str, Any]] = {
    **_options["responses"],
    **{status: _problem(**answer) for status, answer in WINDOW_PASSED.items()},
    400: _problem("`bad-cursor`: a cursor this list did not give."),
    401: _problem("No API client's token, or one no longer valid."),
    404: _problem("No such school or pupil in the client's part of the tree."),
    429: _problem("Too many calls of this client in the minute; see Retry-After."),
}


@router.get(
    "/absences",
    operation_id="integrations-absences",
    responses=_RESPONSES,
    dependencies=_options["dependencies"],
)
async def list_absences(
    caller: ApiCallerDep,
    session: SessionDep,
    page: PageParams,
    school_id: uuid.UUID | None = None,
    pupil_id: uuid.UUID | None = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    updated_since: Annotated[
        datetime | None,
        Query(description="A delta: what changed since then (ISO 8601, with zone)."),
    ] = None,
) -> ClientAbsenceFeed:
    """The absences and lateness of a school or a pupil of my unit, by lesson date then id;
    `from` and `to` bound the lesson dates. With `updated_since`: every mark changed since
    then (a `present` one is an absence corrected), those whose justification was decided
    since, and on the first page the ids deleted since; past the sync window, 410."""
    if school_id is None and pupil_id is None:
        raise invalid("query.school_id", "name a school or a pupil", "missing")
    return await absences_feed(
        session,
        caller,
        page,
        school_id=school_id,
        pupil_id=pupil_id,
        between=(date_from, date_to),
        updated_since=updated_since,
    )
