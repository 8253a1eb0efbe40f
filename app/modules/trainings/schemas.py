"""Continuous training (formation continue): programmes, sessions, registrations, attendance per
training day, completion, and the module's steering figure.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar, Self

from pydantic import ConfigDict, Field, model_validator

from app.core.roles import Level, Role
from app.core.schemas import Patch, Schema
from app.modules.trainings.models import RegistrationStatus, TrainingAudience
from app.organisation.models import Cycle


class _Input(Schema):
    model_config = ConfigDict(extra="forbid")


# ---- programmes ----------------------------------------------------------------------------


class ProgrammeIn(_Input):
    """A programme of the training plan. `subject_id`, `level_code` and `target_cycle` narrow
    a programme for teachers (a level or a cycle, not both); school-staff programmes take none."""

    theme: str = Field(
        min_length=3, max_length=200, examples=["Didactique des mathématiques au collège"]
    )
    description: str = Field(default="", max_length=4000)
    audience: TrainingAudience
    subject_id: uuid.UUID | None = None
    level_code: str | None = Field(default=None, max_length=8, examples=["1AC"])
    target_cycle: Cycle | None = None

    @model_validator(mode="after")
    def _target_fits_audience(self) -> Self:
        targeted = (self.subject_id, self.level_code, self.target_cycle) != (None, None, None)
        if self.audience is TrainingAudience.SCHOOL_STAFF and targeted:
            raise ValueError("a programme for school staff targets no subject, level or cycle")
        if self.level_code is not None and self.target_cycle is not None:
            raise ValueError("target a level or a cycle, not both")
        return self


class ProgrammePatch(_Input, Patch):
    REQUIRED: ClassVar[frozenset[str]] = frozenset({"theme", "description"})

    theme: str | None = Field(default=None, min_length=3, max_length=200)
    description: str | None = Field(default=None, max_length=4000)


class ProgrammeOut(Schema):
    id: uuid.UUID
    owner_level: Level
    province_id: uuid.UUID | None
    academy_id: uuid.UUID | None
    theme: str
    description: str
    audience: TrainingAudience
    subject_id: uuid.UUID | None
    subject_code: str | None
    level_code: str | None
    target_cycle: Cycle | None
    sessions: int
    created_at: datetime


# ---- sessions ------------------------------------------------------------------------------


class SessionIn(_Input):
    starts_on: date
    ends_on: date
    place: str = Field(min_length=2, max_length=200, examples=["CRMEF Rabat, salle 4"])
    capacity: int = Field(gt=0, le=1000)
    trainer_name: str = Field(min_length=2, max_length=120)
    hours_per_day: int = Field(ge=1, le=12, description="Hours of training on each day.")

    @model_validator(mode="after")
    def _dates_ordered(self) -> Self:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on cannot be before starts_on")
        return self


class SessionPatch(_Input, Patch):
    REQUIRED: ClassVar[frozenset[str]] = frozenset(
        {"starts_on", "ends_on", "place", "capacity", "trainer_name", "hours_per_day"}
    )

    starts_on: date | None = None
    ends_on: date | None = None
    place: str | None = Field(default=None, min_length=2, max_length=200)
    capacity: int | None = Field(default=None, gt=0, le=1000)
    trainer_name: str | None = Field(default=None, min_length=2, max_length=120)
    hours_per_day: int | None = Field(default=None, ge=1, le=12)


class SessionOut(Schema):
    """A session with its programme and how full it is (approved and completed places)."""

    id: uuid.UUID
    programme_id: uuid.UUID
    theme: str
    audience: TrainingAudience
    owner_level: Level
    starts_on: date
    ends_on: date
    days: int
    place: str
    capacity: int
    trainer_name: str
    hours_per_day: int
    approved: int
    requested: int
    fill_rate: Decimal = Field(description="approved / capacity, 4 decimals.")


# ---- registrations -------------------------------------------------------------------------


class RegisterIn(_Input):
    user_id: uuid.UUID = Field(description="A teacher or a staff member of your school.")


class TrainingRegistrationRefusal(_Input):
    reason: str = Field(min_length=3, max_length=500)


class CompleteIn(_Input):
    completed_on: date | None = Field(
        default=None, description="The certificate's date; today when not given."
    )


class PersonOut(Schema):
    id: uuid.UUID
    name: str
    role: Role
    school_id: uuid.UUID


class SessionRef(Schema):
    id: uuid.UUID
    programme_id: uuid.UUID
    theme: str
    starts_on: date
    ends_on: date
    place: str
    hours_per_day: int
    days: int


class RegistrationOut(Schema):
    """A registration; `actions` are the workflow's next moves (what each face may take
    depends on who it is)."""

    id: uuid.UUID
    session: SessionRef
    person: PersonOut
    status: RegistrationStatus
    actions: list[str]
    attended_days: int
    hours_completed: int
    refusal_reason: str | None
    completed_on: date | None
    requested_at: datetime
    decided_at: datetime | None


# ---- attendance ----------------------------------------------------------------------------


class TrainingAttendanceRowIn(_Input):
    registration_id: uuid.UUID
    present: bool


class TrainingAttendanceIn(_Input):
    rows: list[TrainingAttendanceRowIn] = Field(min_length=1, max_length=1000)


class TrainingAttendanceRowOut(Schema):
    registration_id: uuid.UUID
    present: bool


class AttendanceDayOut(Schema):
    session_id: uuid.UUID
    day: date
    rows: list[TrainingAttendanceRowOut]


# ---- steering ------------------------------------------------------------------------------


class StaffHoursOut(Schema):
    """Training hours of one staff member of the unit's schools (all organisers)."""

    user_id: uuid.UUID
    name: str
    role: Role
    school_id: uuid.UUID
    registrations: int
    completed: int
    hours_completed: int


class TrainingFigures(Schema):
    """Sessions organised within the unit that start in the current school year."""

    sessions: int
    places: int = Field(description="Sum of the sessions' capacities.")
    approved: int = Field(description="Approved and completed registrations.")
    fill_rate: Decimal | None = Field(description="approved / places, 4 decimals; null if none.")
    hours_completed: int = Field(description="Days attended × hours per day, all registrants.")
