"""Tests and marks, as the teacher app schedules, enters and reads them."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from app.models.enums import TestKind, TestStatus
from app.schemas.common import Schema

Semester = Literal[1, 2]
# Out of 20, two decimals at most: 12.345 is refused, not rounded.
MarkValue = Annotated[Decimal, Field(ge=0, le=20, max_digits=4, decimal_places=2)]


class TestIn(Schema):
    subject_id: uuid.UUID
    semester: Semester
    kind: TestKind
    date: date
    title: str = Field(min_length=1, max_length=200)


class TestPatch(Schema):
    # `dt.date`: a field named `date` with a default would shadow the type in this class.
    date: dt.date | None = None
    title: str | None = Field(default=None, min_length=1, max_length=200)


class TestOut(Schema):
    id: uuid.UUID
    class_id: uuid.UUID
    subject_id: uuid.UUID
    school_year: int
    semester: int
    kind: TestKind
    date: date
    title: str
    status: TestStatus
    submitted_at: datetime | None
    mark_count: int
    updated_at: datetime


class MarkIn(Schema):
    """A pupil's mark, or their absence. Sending neither (and no remark) clears the row."""

    pupil_id: uuid.UUID
    mark: MarkValue | None = None
    absent: bool = False
    remark: str | None = Field(default=None, max_length=300)

    @model_validator(mode="after")
    def _absent_has_no_mark(self) -> MarkIn:
        if self.absent and self.mark is not None:
            raise ValueError("a pupil marked absent has no mark")
        return self

    @property
    def is_empty(self) -> bool:
        return self.mark is None and not self.absent and not self.remark


class MarkOut(Schema):
    pupil_id: uuid.UUID
    mark: Decimal | None
    absent: bool
    remark: str | None
    updated_at: datetime


class TestMarks(Schema):
    test: TestOut
    marks: list[MarkOut]


class TestStatistics(Schema):
    test_id: uuid.UUID
    pupils: int = Field(description="Pupils enrolled in the class now.")
    marked: int
    absent: int
    missing: int = Field(description="Enrolled pupils with neither a mark nor an absence.")
    mean: Decimal | None
    min: Decimal | None
    max: Decimal | None
    histogram: list[int] = Field(
        description="20 bins: [0,1), [1,2), … [19,20]; a mark of 20 counts in the last."
    )
