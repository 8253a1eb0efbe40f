"""A school's structure as the API shows it: classes, rosters and timetables, lessons, transfers
and pupil imports.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Annotated, ClassVar

from fastapi import Query
from pydantic import Field, model_validator

from app.academics.models import Gender, TransferStatus
from app.accounts.schemas import PupilRef
from app.core.schemas import Patch, Schema, SchoolRef
from app.errors import InvalidInput
from app.sync.schemas import Changes

# A school year named in a query (a list filtered by year): bounded like the column it meets.
SchoolYearQuery = Annotated[
    int | None, Query(ge=2000, le=2100, description="e.g. 2025 for 2025/2026.")
]


class SubjectRef(Schema):
    id: uuid.UUID
    code: str
    name_fr: str
    name_ar: str


class ClassRef(Schema):
    id: uuid.UUID
    name: str
    level_code: str
    stream_code: str | None


class Assignment(Schema):
    """One class × subject the teacher teaches this year."""

    school_class: ClassRef
    subject: SubjectRef


class TeacherProfileOut(Schema):
    user_id: uuid.UUID
    first_name: str
    last_name: str
    first_name_ar: str | None
    last_name_ar: str | None
    ppr: str | None
    rank: str | None
    specialty: SubjectRef | None
    school: SchoolRef
    school_year: int
    assignments: list[Assignment]


class TaughtClass(Schema):
    id: uuid.UUID
    name: str
    level_code: str
    stream_code: str | None
    school_year: int
    pupil_count: int
    subjects: list[SubjectRef]


class RosterPupil(PupilRef):
    birth_date: date
    gender: Gender


class Leaver(Schema):
    """A pupil no longer in the class, and the day they left it."""

    pupil_id: uuid.UUID
    left_on: date


class TimetableEntry(Schema):
    slot_id: uuid.UUID
    date: date
    weekday: int
    starts_at: time
    ends_at: time
    room: str | None
    school_class: ClassRef
    subject: SubjectRef


class Week(Schema):
    week: str
    days: list[date]
    entries: list[TimetableEntry]


MASSAR_CODE = r"^[A-Z][0-9]{9}$"


class ClassIn(Schema):
    level_code: str = Field(max_length=8, examples=["2BAC"])
    stream_code: str | None = Field(default=None, max_length=12, examples=["SPF"])
    name: str = Field(min_length=1, max_length=32, examples=["2BACSPF-1"])


class ClassPatch(Patch):
    REQUIRED: ClassVar[frozenset[str]] = frozenset({"name", "is_active"})

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


class PupilPatch(Patch):
    REQUIRED: ClassVar[frozenset[str]] = frozenset(
        {"first_name", "last_name", "first_name_ar", "last_name_ar"}
    )

    first_name: str | None = Field(default=None, min_length=1, max_length=100)
    last_name: str | None = Field(default=None, min_length=1, max_length=100)
    first_name_ar: str | None = Field(default=None, min_length=1, max_length=100)
    last_name_ar: str | None = Field(default=None, min_length=1, max_length=100)
    birth_place: str | None = Field(default=None, max_length=100)
    birth_place_ar: str | None = Field(default=None, max_length=100)


class EnrolmentIn(Schema):
    class_id: uuid.UUID


class SchoolPupilOut(RosterPupil):
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


class HomeworkIn(Schema):
    text: str = Field(min_length=1, max_length=4000)
    due_date: date


class LessonIn(Schema):
    subject_id: uuid.UUID
    date: date
    title: str = Field(min_length=1, max_length=200)
    content: str = Field(min_length=1, max_length=20_000)
    unit_id: uuid.UUID | None = Field(
        default=None, description="The curriculum unit this lesson covers, for progress."
    )
    homework: HomeworkIn | None = None

    @model_validator(mode="after")
    def _homework_after_lesson(self) -> LessonIn:
        if self.homework and self.homework.due_date < self.date:
            raise ValueError("homework cannot be due before the lesson")
        return self


class HomeworkOut(Schema):
    text: str
    due_date: date


class LessonOut(Schema):
    id: uuid.UUID
    class_id: uuid.UUID
    subject_id: uuid.UUID
    unit_id: uuid.UUID | None
    date: date
    title: str
    content: str
    homework: HomeworkOut | None
    updated_at: datetime


class UnitProgress(Schema):
    unit_id: uuid.UUID
    rank: int
    title_fr: str
    title_ar: str
    lessons: int
    last_taught_on: date | None


class Progress(Schema):
    class_id: uuid.UUID
    subject_id: uuid.UUID
    level_code: str
    units_planned: int
    units_covered: int
    lessons_logged: int
    lessons_without_unit: int
    units: list[UnitProgress]


class TransferIn(Schema):
    pupil_id: uuid.UUID
    to_school_code: str = Field(min_length=5, max_length=12, examples=["25002B"])
    reason: str | None = Field(default=None, max_length=500)


class AcceptIn(Schema):
    class_id: uuid.UUID = Field(description="The receiving school's class for the pupil.")


class TransferRefusal(Schema):
    reason: str = Field(min_length=3, max_length=500)


class TransferOut(Schema):
    id: uuid.UUID
    pupil_id: uuid.UUID
    massar_code: str
    pupil_name: str
    from_school_code: str
    to_school_code: str
    status: TransferStatus
    reason: str | None
    refusal_reason: str | None
    requested_at: datetime
    decided_at: datetime | None


class ImportRowError(Schema):
    row: int = Field(description="Row number in the file, as the user sees it.")
    massar_code: str | None
    column: str | None
    message: str
    code: str


def refused_rows(errors: list[ImportRowError]) -> InvalidInput:
    """An import refused whole: every faulty row (all its faults) in file order."""
    return InvalidInput([e.model_dump() for e in sorted(errors, key=lambda e: e.row)])


class PupilImportReport(Schema):
    rows_read: int
    created: int
    updated: int
    moved: int = Field(description="Pupils enrolled in a (new) class.")
    unchanged: int
    errors: list[ImportRowError] = Field(description="Empty when the import succeeded.")


class NewTeacherCode(Schema):
    ppr: str
    username: str
    code: str = Field(description="First-login code, shown once.")


class TeacherImportReport(Schema):
    rows_read: int
    created: int
    updated: int
    unchanged: int
    activation_codes: list[NewTeacherCode]
    errors: list[ImportRowError] = Field(description="Empty when the import succeeded.")


class RosterChanges(Changes[RosterPupil]):
    """Pupils whose record changed or who joined the class since the last sync; `deleted`:
    those who left it (or whose enrolment was removed) and are not back."""


class LessonChanges(Changes[LessonOut]):
    """Lesson log entries written or changed since the last sync, and the ids deleted."""
