"""Incidents and sanctions as the API shows them: to the school's discipline staff, and to
the pupil and their parents (who see their own sanctions, never the incident's description
nor the other pupils involved)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import Field, model_validator

from app.accounts.schemas import PupilRef
from app.core.schemas import Schema
from app.discipline.ladder import date_errors
from app.discipline.models import DecidingBody, IncidentKind, IncidentPlace, SanctionKind


class IncidentIn(Schema):
    occurred_on: date
    place: IncidentPlace
    kind: IncidentKind
    description: str | None = Field(
        default=None,
        max_length=300,
        description="The facts, briefly: pupils' conduct is minors' personal data.",
    )
    pupil_ids: list[uuid.UUID] = Field(min_length=1, max_length=40)


class SanctionIn(Schema):
    """A sanction as its body decided it; the body follows from the kind."""

    pupil_id: uuid.UUID = Field(description="A pupil involved in the incident.")
    kind: SanctionKind
    decided_on: date = Field(description="The day the director or the council decided it.")
    starts_on: date | None = Field(
        default=None, description="Required for the alternative sanction and the exclusions."
    )
    ends_on: date | None = Field(
        default=None,
        description="Required for the alternative sanction and a temporary exclusion; none "
        "for a definitive exclusion.",
    )

    @model_validator(mode="after")
    def _dates_fit_the_kind(self) -> SanctionIn:
        problem = date_errors(self.kind, self.decided_on, self.starts_on, self.ends_on)
        if problem:
            raise ValueError(problem)
        return self


class SanctionOut(Schema):
    id: uuid.UUID
    incident_id: uuid.UUID
    pupil_id: uuid.UUID
    kind: SanctionKind
    decided_by: DecidingBody
    decided_on: date
    starts_on: date | None
    ends_on: date | None
    recorded_by: uuid.UUID
    created_at: datetime


class IncidentOut(Schema):
    id: uuid.UUID
    occurred_on: date
    place: IncidentPlace
    kind: IncidentKind
    description: str | None
    pupils: list[PupilRef]
    sanctions: list[SanctionOut]
    recorded_by: uuid.UUID
    created_at: datetime


class IncidentSummary(Schema):
    """An incident in the school's list."""

    id: uuid.UUID
    occurred_on: date
    place: IncidentPlace
    kind: IncidentKind
    pupil_count: int
    sanction_count: int


class PupilSanctionOut(Schema):
    """A sanction as the pupil and their parents see it."""

    id: uuid.UUID
    kind: SanctionKind
    decided_by: DecidingBody
    decided_on: date
    starts_on: date | None
    ends_on: date | None
    incident_on: date
    incident_kind: IncidentKind
    incident_place: IncidentPlace
