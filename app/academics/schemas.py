"""A school's structure as the API shows it: classes, rosters and timetables, lessons, transfers
and pupil imports.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from fastapi import Query
from pydantic import Field, model_validator

from app.academics.models import Gender, TransferStatus
from app.accounts.schemas import PupilRef
from app.core.schemas import ClockTime, Patch, Schema, SchoolRef
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


class StreamRef(Schema):
    """A stream (filière) of a level."""

    id: uuid.UUID
    level_code: str
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
    starts_at: ClockTime
    ends_at: ClockTime
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
    school_year: int | None = Field(
        default=None,
        ge=2000,
        le=2100,
        description="The current year when absent; a planned year to prepare the next one.",
    )


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
    starts_at: ClockTime
    ends_at: ClockTime
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
    starts_at: ClockTime
    ends_at: ClockTime
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


# ---- school years and their calendar --------------------------------------------------------


class YearStatus(StrEnum):
    PLANNED = "planned"  # set by the ministry, not started: its dates may still be corrected
    CURRENT = "current"  # the year every "this year" means
    PAST = "past"  # started, then followed by the next one; still open to late work
    CLOSED = "closed"  # after its end: its marks and roll calls are frozen


class PeriodIn(Schema):
    """A holiday or an exam period, both days included."""

    name_fr: str = Field(min_length=1, max_length=120, examples=["Vacances de mi-année"])
    name_ar: str = Field(min_length=1, max_length=120, examples=["عطلة منتصف السنة"])
    starts_on: date
    ends_on: date


class RegionalPeriodIn(PeriodIn):
    replaces_id: uuid.UUID | None = Field(
        default=None, description="The ministry's period this one shifts for the region."
    )


class SemesterDatesIn(Schema):
    starts_on: date
    ends_on: date


class SchoolYearCalendarIn(Schema):
    """The ministry's calendar of a year: its two semesters, holidays and exam periods."""

    semesters: list[SemesterDatesIn] = Field(min_length=2, max_length=2)
    holidays: list[PeriodIn] = Field(default_factory=list, max_length=60)
    exam_periods: list[PeriodIn] = Field(default_factory=list, max_length=60)


class SchoolYearIn(SchoolYearCalendarIn):
    year: int = Field(ge=2000, le=2100, description="The year it starts in: 2027 for 2027/2028.")


class RegionalCalendarIn(Schema):
    """An academy's own holidays and exam periods for a year, in place of any it set before."""

    holidays: list[RegionalPeriodIn] = Field(default_factory=list, max_length=60)
    exam_periods: list[RegionalPeriodIn] = Field(default_factory=list, max_length=60)


class PeriodOut(Schema):
    id: uuid.UUID
    name_fr: str
    name_ar: str
    starts_on: date
    ends_on: date
    academy_id: uuid.UUID | None = Field(description="Null when the ministry set it.")
    replaces_id: uuid.UUID | None


class SemesterOut(Schema):
    number: int
    starts_on: date
    ends_on: date


class SchoolYearOut(Schema):
    """A year with the calendar the caller's region follows (the ministry's, for the ministry)."""

    year: int
    starts_on: date
    ends_on: date
    status: YearStatus
    started_at: datetime | None
    closed_at: datetime | None
    semesters: list[SemesterOut]
    holidays: list[PeriodOut]
    exam_periods: list[PeriodOut]


class ClassCopyIn(Schema):
    from_year: int = Field(ge=2000, le=2100, examples=[2026])
    to_year: int = Field(ge=2000, le=2100, examples=[2027])


class ClassCopyRow(Schema):
    name: str
    status: Literal["created", "exists"]
    class_id: uuid.UUID


class ClassCopyReport(Schema):
    """One line per class of `from_year`: created in `to_year`, or there already."""

    created: int
    existing: int
    rows: list[ClassCopyRow]


class RosterChanges(Changes[RosterPupil]):
    """Pupils whose record changed or who joined the class since the last sync; `deleted`:
    those who left it (or whose enrolment was removed) and are not back."""


class LessonChanges(Changes[LessonOut]):
    """Lesson log entries written or changed since the last sync, and the ids deleted."""
