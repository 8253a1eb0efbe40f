"""Roll calls, absences across a school, and parents' justifications, as the API shows them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from app.academics.schemas import ClassRef, SubjectRef
from app.accounts.schemas import PersonRef, PupilRef
from app.attendance.models import REASON_MAX, AttendanceStatus, JustificationStatus
from app.core.schemas import ClockTime, Page, Schema


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


class RollCallIn(Schema):
    """Replaces the lesson's marks: pupils left out have no mark afterwards."""

    date: date
    start_time: ClockTime
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
    start_time: ClockTime
    taken: bool = Field(description="False until a roll call was recorded for this lesson.")
    marks: list[AttendanceMarkOut]
    totals: AttendanceTotals
    updated_at: datetime | None


class SchoolAbsence(Schema):
    id: uuid.UUID
    pupil_id: uuid.UUID
    massar_code: str
    first_name: str
    last_name: str
    class_id: uuid.UUID
    class_name: str
    date: date
    start_time: ClockTime
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


Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=REASON_MAX)
]


class CoveredAbsence(Schema):
    id: uuid.UUID = Field(description="The attendance mark, as in the child's absences.")
    date: date
    start_time: ClockTime
    subject: SubjectRef


class DocumentInfo(Schema):
    content_type: str = Field(examples=["application/pdf"])
    size: int = Field(description="In bytes.")


class JustificationOut(Schema):
    id: uuid.UUID
    pupil_id: uuid.UUID
    status: JustificationStatus
    reason: str
    decision_reason: str | None
    decided_at: datetime | None
    created_at: datetime
    document: DocumentInfo | None = Field(description="Download it from …/document.")
    absences: list[CoveredAbsence]


class JustificationPage(Page[JustificationOut]):
    """Newest first."""


class SchoolJustificationOut(JustificationOut):
    pupil: PupilRef
    school_class: ClassRef | None
    submitted_by: PersonRef


class SchoolJustificationPage(Page[SchoolJustificationOut]):
    """Newest first."""


class DecisionIn(Schema):
    accepted: bool
    reason: Reason | None = Field(
        default=None, description="Required to reject; shown to the parent."
    )


class ClientAbsence(Schema):
    """An absence or a lateness as an API client with `attendance.read` reads it: the pupil by
    id and Massar code, never by name."""

    id: uuid.UUID
    school_id: uuid.UUID
    pupil_id: uuid.UUID
    massar_code: str
    lesson_date: date = Field(description="The lesson's date (school-local).")
    start_time: ClockTime = Field(description="The lesson's start (school-local).")
    subject: str = Field(description="The subject's code.")
    status: AttendanceStatus = Field(
        description="`absent` or `late`; in a delta, `present` for an absence corrected since."
    )
    minutes_late: int | None
    justification: JustificationStatus | None = Field(
        description="The parents' justification that speaks for it (the open one, else the"
        " latest rejected): pending, accepted or rejected; null when none."
    )
    updated_at: datetime


class ClientAbsenceFeed(Schema):
    items: list[ClientAbsence]
    deleted: list[uuid.UUID] = Field(
        description="With `updated_since`, on the first page: the ids deleted since then."
    )
    next_cursor: str | None
