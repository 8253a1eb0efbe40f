"""What the teacher app (Massar Moudaris) reads about its classes, pupils and week."""

from __future__ import annotations

import uuid
from datetime import date, time

from app.models.enums import Gender
from app.schemas.common import Schema, SchoolRef


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


class RosterPupil(Schema):
    id: uuid.UUID
    massar_code: str
    first_name: str
    last_name: str
    first_name_ar: str
    last_name_ar: str
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
