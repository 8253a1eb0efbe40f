"""Absence justifications, as the parent app sends and reads them and the school decides them."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Annotated

from pydantic import Field, StringConstraints

from app.models.justifications import REASON_MAX, JustificationStatus
from app.schemas.common import Page, Schema
from app.schemas.people import PersonRef, PupilRef
from app.schemas.teacher import ClassRef, SubjectRef

Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=REASON_MAX)
]


class CoveredAbsence(Schema):
    id: uuid.UUID = Field(description="The attendance mark, as in the child's absences.")
    date: date
    start_time: time
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
