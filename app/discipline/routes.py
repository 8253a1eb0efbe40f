"""Discipline over HTTP: the school's discipline staff record incidents and sanctions (school
face, duty `discipline`, reads included: minors' conduct is theirs to know), and the pupil and
parent apps read the pupil's own sanctions (`sanctions_view`, mounted by both faces).

(No `from __future__ import annotations` here: `sanctions_view` builds its route inside a
function, and FastAPI must resolve its annotations at that moment.)"""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status

from app.accounts.guards import SchoolStaffPrincipal, duty
from app.core.caching import cached_read, conditional_json
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.roles import Duty
from app.core.routing import IdResolver
from app.core.schemas import Page
from app.discipline import incidents, sanctions
from app.discipline.schemas import (
    IncidentIn,
    IncidentOut,
    IncidentSummary,
    PupilSanctionOut,
    SanctionIn,
    SanctionOut,
)
from app.errors import PROBLEM_MEDIA_TYPE


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_MEDIA_TYPE: {}}}


NOT_FOUND: dict[int | str, Any] = {
    404: _problem("`not-found`: no such incident in the caller's school.")
}

router = APIRouter()


@router.post(
    "/incidents",
    operation_id="school-record-incident",
    status_code=status.HTTP_201_CREATED,
    **duty(Duty.DISCIPLINE),
)
async def record_incident(
    new: IncidentIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> IncidentOut:
    """Record an incident: its date, place and kind, the school's pupils involved, and the
    facts in a few words (422 lists each pupil who is not the school's)."""
    return await incidents.record_incident(session, principal, new)


@router.get("/incidents", operation_id="school-incidents", **duty(Duty.DISCIPLINE))
async def list_incidents(
    page: PageParams,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    pupil_id: Annotated[uuid.UUID | None, Query(description="Only this pupil's.")] = None,
) -> Page[IncidentSummary]:
    """The school's incidents, latest first."""
    return await incidents.list_incidents(session, principal, page, pupil_id)


@router.get(
    "/incidents/{incident_id}",
    operation_id="school-incident",
    **duty(Duty.DISCIPLINE, NOT_FOUND),
)
async def get_incident(
    incident_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> IncidentOut:
    """An incident with its pupils and the sanctions decided."""
    return await incidents.get_incident(session, principal, incident_id)


@router.post(
    "/incidents/{incident_id}/sanctions",
    operation_id="school-record-sanction",
    status_code=status.HTTP_201_CREATED,
    **duty(
        Duty.DISCIPLINE,
        NOT_FOUND
        | {409: _problem("`discipline-sanction-exists`: this kind is recorded for the pupil.")},
    ),
)
async def record_sanction(
    incident_id: uuid.UUID, new: SanctionIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> SanctionOut:
    """Record a sanction as the director (warning, formal warning, reprimand) or the discipline
    council (alternative sanction, exclusions) decided it, with its period; the pupil and
    their parents are notified."""
    return await sanctions.record_sanction(session, principal, incident_id, new)


def sanctions_view(operation_prefix: str, resolve_pupil: IdResolver) -> APIRouter:
    """`GET /sanctions` for a face whose `resolve_pupil` picks the pupil (the pupil app: their
    own record; the parent app: a verified child)."""
    view = APIRouter()
    PupilId = Annotated[uuid.UUID, Depends(resolve_pupil)]  # noqa: N806  (a type alias)

    @cached_read(view, "/sanctions", f"{operation_prefix}-sanctions", list[PupilSanctionOut])
    async def pupil_sanctions(request: Request, pupil_id: PupilId, session: SessionDep) -> Response:
        """The pupil's sanctions, latest first: kind, deciding body, dates, and the date, kind
        and place of the incident."""
        return conditional_json(request, await sanctions.pupil_sanctions(session, pupil_id))

    return view
