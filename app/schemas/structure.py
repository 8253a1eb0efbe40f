"""A school's structure as its staff manage it: classes, pupils, assignments, timetable."""

from __future__ import annotations

import uuid
from datetime import date, time

from pydantic import Field, model_validator

from app.models.enums import Gender
from app.schemas.common import Schema

MASSAR_CODE = r"^[A-Z][0-9]{9}$"


class ClassIn(Schema):
    level_code: str = Field(max_length=8, examples=["2BAC"])
    stream_code: str | None = Field(default=None, max_length=12, examples=["SPF"])
    name: str = Field(min_length=1, max_length=32, examples=["2BACSPF-1"])


class ClassPatch(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=32)
    is_active: bool | None = None


class SchoolClassOut(Schema):
    id: uuid.UUID
    name: str
    school_year: int
    level_code: str
    stream_code: str | None
    is_active: bool
    pupil_count: int


class PupilIn(Schema):
    massar_code: str = Field(pattern=MASSAR_CODE, examples=["D130012345"])
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    first_name_ar: str = Field(min_length=1, max_length=100)
    last_name_ar: str = Field(min_length=1, max_length=100)
    birth_date: date
    birth_place: str | None = Field(default=None, max_length=100)
    birth_place_ar: str | None = Field(default=None, max_length=100)
    gender: Gender
    class_id: uuid.UUID | None = Field(default=None, description="Enrol in this class now.")


class PupilPatch(Schema):
    first_name: str | None = Field(default=None, min_length=1, max_length=100)
    last_name: str | None = Field(default=None, min_length=1, max_length=100)
    first_name_ar: str | None = Field(default=None, min_length=1, max_length=100)
    last_name_ar: str | None = Field(default=None, min_length=1, max_length=100)
    birth_place: str | None = Field(default=None, max_length=100)
    birth_place_ar: str | None = Field(default=None, max_length=100)


class EnrolmentIn(Schema):
    class_id: uuid.UUID


class SchoolPupilOut(Schema):
    id: uuid.UUID
    massar_code: str
    first_name: str
    last_name: str
    first_name_ar: str
    last_name_ar: str
    birth_date: date
    gender: Gender
    class_id: uuid.UUID | None
    class_name: str | None


class AssignmentIn(Schema):
    teacher_id: uuid.UUID
    class_id: uuid.UUID
    subject_id: uuid.UUID


class ReassignIn(Schema):
    teacher_id: uuid.UUID


class AssignmentOut(Schema):
    id: uuid.UUID
    teacher_id: uuid.UUID
    teacher_name: str
    class_id: uuid.UUID
    class_name: str
    subject_id: uuid.UUID
    subject_code: str


class SlotIn(Schema):
    class_id: uuid.UUID
    subject_id: uuid.UUID
    teacher_id: uuid.UUID
    weekday: int = Field(ge=1, le=7, description="ISO: Monday is 1.")
    starts_at: time
    ends_at: time
    room: str | None = Field(default=None, max_length=40)

    @model_validator(mode="after")
    def _ordered(self) -> SlotIn:
        if self.ends_at <= self.starts_at:
            raise ValueError("a lesson ends after it starts")
        return self


class SlotOut(Schema):
    id: uuid.UUID
    class_id: uuid.UUID
    subject_id: uuid.UUID
    teacher_id: uuid.UUID
    weekday: int
    starts_at: time
    ends_at: time
    room: str | None
