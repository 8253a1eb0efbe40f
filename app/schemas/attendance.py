"""A lesson's roll call, as the teacher app sends and reads it."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from pydantic import Field, model_validator

from app.models.enums import AttendanceStatus
from app.schemas.common import Schema


class AttendanceMarkIn(Schema):
    pupil_id: uuid.UUID
    status: AttendanceStatus
    minutes_late: int | None = Field(default=None, ge=1, le=240)
    note: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _minutes_only_when_late(self) -> AttendanceMarkIn:
        if self.minutes_late is not None and self.status is not AttendanceStatus.LATE:
            raise ValueError("minutes_late is only for a late pupil")
        return self


class AttendanceIn(Schema):
    """Replaces the lesson's marks: pupils left out have no mark afterwards."""

    date: date
    start_time: time
    subject_id: uuid.UUID
    marks: list[AttendanceMarkIn] = Field(max_length=80)


class AttendanceMarkOut(Schema):
    pupil_id: uuid.UUID
    status: AttendanceStatus
    minutes_late: int | None
    note: str | None


class AttendanceTotals(Schema):
    present: int
    absent: int
    late: int


class AttendanceOut(Schema):
    class_id: uuid.UUID
    subject_id: uuid.UUID
    date: date
    start_time: time
    taken: bool = Field(description="False until a roll call was recorded for this lesson.")
    marks: list[AttendanceMarkOut]
    totals: AttendanceTotals
    updated_at: datetime | None
