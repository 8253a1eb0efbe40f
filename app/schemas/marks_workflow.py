"""The school's side of marks: validation, return, publication and audited corrections."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import Field, model_validator

from app.schemas.assessment import MarkValue
from app.schemas.common import Schema


class ReturnIn(Schema):
    reason: str = Field(min_length=3, max_length=500)


class PublicationOut(Schema):
    class_id: uuid.UUID
    semester: int
    tests_published: int
    pupils_notified: int


class CorrectionIn(Schema):
    """The new value of a validated mark, and why it changes."""

    mark: MarkValue | None = None
    absent: bool = False
    reason: str = Field(min_length=5, max_length=500)

    @model_validator(mode="after")
    def _a_mark_or_an_absence(self) -> CorrectionIn:
        if self.absent == (self.mark is not None):
            raise ValueError("give either a mark or absent: true")
        return self


class CorrectionOut(Schema):
    id: uuid.UUID
    mark_id: uuid.UUID
    old_mark: Decimal | None
    old_absent: bool
    new_mark: Decimal | None
    new_absent: bool
    reason: str
    corrected_by: uuid.UUID
    corrected_at: datetime
