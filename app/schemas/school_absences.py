"""Absences as the school's discipline office follows them."""

from __future__ import annotations

import uuid
from datetime import date, time

from app.models.enums import AttendanceStatus
from app.schemas.common import Schema
from app.schemas.teacher import SubjectRef


class SchoolAbsence(Schema):
    id: uuid.UUID
    pupil_id: uuid.UUID
    massar_code: str
    first_name: str
    last_name: str
    class_id: uuid.UUID
    class_name: str
    date: date
    start_time: time
    subject: SubjectRef
    status: AttendanceStatus
    minutes_late: int | None


class PupilAbsenceTotal(Schema):
    pupil_id: uuid.UUID
    massar_code: str
    first_name: str
    last_name: str
    class_name: str
    absences: int
    lateness: int
    above_threshold: bool
