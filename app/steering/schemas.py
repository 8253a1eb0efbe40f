"""Steering figures for directorates, academies and the ministry, and the school's grade-entry
screen (whose completion figure steering shares).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from app.assessment.schemas import Completion
from app.modules.diagnostics.schemas import DiagnosticsFigures
from app.modules.equipment.schemas import EquipmentFigures
from app.modules.partnerships.schemas import PartnershipFigures
from app.modules.school_projects.schemas import SchoolProjectFigures
from app.modules.sports.schemas import SportsFigures
from app.modules.trainings.schemas import TrainingFigures
from app.modules.websites.schemas import WebsiteFigures
from app.organisation.schemas import UnitOut


class ByGender(BaseModel):
    male: int
    female: int


class ByCycle(BaseModel):
    primary: int
    college: int
    lycee: int


class PupilFigures(BaseModel):
    """Pupils currently enrolled in a class of this year."""

    total: int
    by_gender: ByGender
    by_cycle: ByCycle


class TeacherFigures(BaseModel):
    """Active teacher accounts. Teachers' gender is not recorded, so there is no split by
    gender; `by_cycle` counts teachers assigned this year to classes of each cycle (one who
    teaches in two cycles counts in both)."""

    total: int
    by_cycle: ByCycle


class AttendanceFigures(BaseModel):
    """Roll-call marks of lessons between `from_date` and `to_date` (inclusive)."""

    from_date: date
    to_date: date
    marks: int
    present: int
    late: int
    absent: int
    rate: Decimal | None = Field(
        description="(present + late) / marks, 4 decimals; null when no mark was taken."
    )


class SchoolCompletion(BaseModel):
    school_id: uuid.UUID
    code: str
    name_fr: str
    completion: Completion


class SubjectAverage(BaseModel):
    """Published marks only: each pupil's subject average (mean of the marks present, 2
    decimals half up), then the mean of those averages."""

    semester: int
    level_code: str
    subject_code: str
    subject_name_fr: str
    pupils: int
    mean: Decimal
    histogram: list[int] = Field(
        description="Pupils per 1-point bin: [0, 1), [1, 2), … [19, 20] (20 bins)."
    )


class ModuleFigures(BaseModel):
    """The key figure of each back-office module for the unit."""

    school_projects: SchoolProjectFigures
    trainings: TrainingFigures
    equipment: EquipmentFigures
    diagnostics: DiagnosticsFigures
    partnerships: PartnershipFigures
    sports: SportsFigures
    websites: WebsiteFigures


AS_OF = (
    "Every change recorded before this time is counted: the figures are summed from per-school "
    "summaries, which a worker brings up to date a few seconds after each change."
)


class UnitFigures(BaseModel):
    unit: UnitOut
    as_of: datetime = Field(description=AS_OF)
    schools: int
    classes: int
    pupils: PupilFigures
    teachers: TeacherFigures
    attendance: AttendanceFigures
    completion: Completion
    completion_by_school: list[SchoolCompletion]
    averages: list[SubjectAverage]
    pending_justifications: int
    pending_transfers: int = Field(description="Asked by the unit's schools, not yet answered.")
    modules: ModuleFigures


class UnitSummary(BaseModel):
    """A unit one level down with its key figures."""

    unit: UnitOut
    as_of: datetime = Field(description=AS_OF)
    schools: int
    classes: int
    pupils: int
    teachers: int
    attendance_rate: Decimal | None
    completion: Completion
    pending_justifications: int
    pending_transfers: int


class UnitList(BaseModel):
    unit: UnitOut
    from_date: date
    to_date: date
    items: list[UnitSummary]
