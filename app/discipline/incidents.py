"""Incidents: recorded by the school's discipline staff, read by them alone. An incident names
the school's pupils involved; what is written of it stays short."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import Pupil
from app.accounts.schemas import PupilRef
from app.core.listing import found, page_of
from app.core.pagination import PageRequest
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.discipline.models import Incident, IncidentPupil, Sanction
from app.discipline.schemas import IncidentIn, IncidentOut, IncidentSummary, SanctionOut
from app.errors import InvalidInput, field_error, invalid
from app.organisation.scopes import school_scope


async def record_incident(
    session: AsyncSession, principal: Principal, new: IncidentIn
) -> IncidentOut:
    """Record an incident and the school's pupils involved in it."""
    assert principal.school_id is not None  # the school face's guard
    if new.occurred_on > school_today():
        raise invalid("body.occurred_on", "an incident is recorded once it happened", "future")
    await _check_pupils_of_school(session, principal.school_id, new.pupil_ids)
    incident = Incident(
        school_id=principal.school_id,
        occurred_on=new.occurred_on,
        place=new.place,
        kind=new.kind,
        description=new.description,
        recorded_by=principal.user_id,
    )
    session.add(incident)
    await session.flush()
    session.add_all(
        IncidentPupil(incident_id=incident.id, pupil_id=pupil_id, school_id=incident.school_id)
        for pupil_id in new.pupil_ids
    )
    await session.flush()
    return await get_incident(session, principal, incident.id)


async def _check_pupils_of_school(
    session: AsyncSession, school_id: uuid.UUID, pupil_ids: Sequence[uuid.UUID]
) -> None:
    """Every pupil is one of the school's, named once; all faults reported together."""
    known = set(
        await session.scalars(
            select(Pupil.id).where(Pupil.id.in_(pupil_ids), Pupil.school_id == school_id)
        )
    )
    errors, seen = [], set()
    for index, pupil_id in enumerate(pupil_ids):
        where = f"body.pupil_ids.{index}"
        if pupil_id not in known:
            errors.append(field_error(where, "not a pupil of this school", "not_in_school"))
        elif pupil_id in seen:
            errors.append(field_error(where, "this pupil appears twice", "duplicate"))
        seen.add(pupil_id)
    if errors:
        raise InvalidInput(errors)


async def school_incident(
    session: AsyncSession, principal: Principal, incident_id: uuid.UUID
) -> Incident:
    """One of the school's incidents (404 for any other)."""
    statement = select(Incident).where(
        Incident.id == incident_id, school_scope(principal, Incident.school_id)
    )
    return found(await session.scalar(statement))


async def get_incident(
    session: AsyncSession, principal: Principal, incident_id: uuid.UUID
) -> IncidentOut:
    """An incident with its pupils and the sanctions decided."""
    incident = await school_incident(session, principal, incident_id)
    pupils = await session.scalars(
        select(Pupil)
        .join(IncidentPupil, IncidentPupil.pupil_id == Pupil.id)
        .where(IncidentPupil.incident_id == incident.id)
        .order_by(Pupil.last_name, Pupil.first_name)
    )
    sanctions = await session.scalars(
        select(Sanction)
        .where(Sanction.incident_id == incident.id, Sanction.school_id == incident.school_id)
        .order_by(Sanction.decided_on, Sanction.id)
    )
    return IncidentOut.of(
        incident,
        pupils=[PupilRef.model_validate(p) for p in pupils],
        sanctions=[SanctionOut.model_validate(s) for s in sanctions],
    )


async def list_incidents(
    session: AsyncSession, principal: Principal, page: PageRequest, pupil_id: uuid.UUID | None
) -> Page[IncidentSummary]:
    """The school's incidents, latest first; `pupil_id`: those that involve this pupil."""
    pupils = (
        select(func.count())
        .where(IncidentPupil.incident_id == Incident.id)
        .scalar_subquery()
        .label("pupil_count")
    )
    sanctions = (
        select(func.count())
        .where(Sanction.incident_id == Incident.id, Sanction.school_id == Incident.school_id)
        .scalar_subquery()
        .label("sanction_count")
    )
    statement = select(Incident, pupils, sanctions).where(
        school_scope(principal, Incident.school_id)
    )
    if pupil_id is not None:
        involved = select(IncidentPupil.incident_id).where(IncidentPupil.pupil_id == pupil_id)
        statement = statement.where(Incident.id.in_(involved))
    return await page_of(
        session,
        statement,
        (Incident.occurred_on, Incident.id),
        page,
        lambda row: IncidentSummary.of(row[0], pupil_count=row[1], sanction_count=row[2]),
        descending=True,
    )
