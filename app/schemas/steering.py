"""Steering figures for directorates, academies and the ministry, and the school's
grade-entry screen (whose completion figure steering shares)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from app.schemas.diagnostics import DiagnosticsFigures
from app.schemas.equipment import EquipmentFigures
from app.schemas.partnerships import PartnershipFigures
from app.schemas.school_projects import SchoolProjectFigures
from app.schemas.sports import SportsFigures
from app.schemas.trainings import TrainingFigures
from app.schemas.websites import WebsiteFigures


class UnitLevel(StrEnum):
    CENTRAL = "central"
    ACADEMY = "academy"
    PROVINCE = "province"
    SCHOOL = "school"


class UnitOut(BaseModel):
    """A unit of the tree; the ministry has no id or code."""

    level: UnitLevel
    id: uuid.UUID | None
    code: str | None
    name_fr: str
    name_ar: str


class Completion(BaseModel):
    """Grade entry: marks expected (current pupils × tests scheduled), entered, and how far
    they went (cumulative: validated marks were submitted too); draft tests past the delay."""

    tests: int
    expected: int
    entered: int
    submitted: int
    validated: int
    published: int
    late_tests: int


class GradeEntryRow(BaseModel):
    class_id: uuid.UUID
    class_name: str
    level_code: str
    subject_id: uuid.UUID
    subject_code: str
    subject_name_fr: str
    semester: int
    teacher_id: uuid.UUID
    teacher_name: str
    teacher_late: bool = Field(
        description="Some test is still a draft more than `late_after_days` after its date."
    )
    oldest_late_test: date | None
    completion: Completion


class GradeEntryOut(BaseModel):
    late_after_days: int
    late_before: date = Field(description="Draft tests dated before this day are late.")
    total: Completion
    items: list[GradeEntryRow]


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


class UnitFigures(BaseModel):
    unit: UnitOut
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
