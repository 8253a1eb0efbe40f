"""Tests and marks as the API shows them: entry, the director's validation, and the grade sheet."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import Field, model_validator

from app.assessment.models import TestKind, TestStatus
from app.core.schemas import Patch, Schema
from app.sync.schemas import Changes

Semester = Literal[1, 2]
# Out of 20 at most, two decimals at most: 12.345 is refused, not rounded. The level's own
# scale (10 in primary) is checked against the test's class (`scale.py`).
MarkValue = Annotated[Decimal, Field(ge=0, le=20, max_digits=4, decimal_places=2)]


class TestIn(Schema):
    subject_id: uuid.UUID
    component_id: uuid.UUID | None = Field(
        default=None,
        description="A component of the subject (primary only): the test marks that part.",
    )
    semester: Semester
    kind: TestKind
    date: date
    title: str = Field(min_length=1, max_length=200)


class TestPatch(Patch):
    REQUIRED: ClassVar[frozenset[str]] = frozenset({"date", "title"})

    # `dt.date`: a field named `date` with a default would shadow the type in this class.
    date: dt.date | None = None
    title: str | None = Field(default=None, min_length=1, max_length=200)


class TestOut(Schema):
    id: uuid.UUID
    class_id: uuid.UUID
    subject_id: uuid.UUID
    component_id: uuid.UUID | None
    school_year: int
    semester: int
    kind: TestKind
    date: date
    title: str
    status: TestStatus
    submitted_at: datetime | None
    mark_count: int
    max_mark: int = Field(description="The scale of the class's level: 10 in primary, 20 above.")
    pass_mark: int = Field(description="The pass line: half the scale.")
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
    passed: int = Field(description="Marks at or above the pass line.")
    max_mark: int = Field(description="The scale of the class's level: 10 in primary, 20 above.")
    pass_mark: int
    mean: Decimal | None
    min: Decimal | None
    max: Decimal | None
    histogram: list[int] = Field(
        description="One bin per point of the scale: [0,1), [1,2), … [max-1,max]; a full "
        "mark counts in the last."
    )


class MarksReturn(Schema):
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


class GradeSheetRowError(Schema):
    """One faulty cell (or row) of the sheet, located as the teacher sees it."""

    row: int = Field(description="Row number in the spreadsheet, as shown on its left.")
    massar_code: str | None
    column: str | None = Field(description="Column header, e.g. `Contrôle 2`.")
    message: str
    code: str = Field(examples=["not_in_class", "less_than_equal", "locked"])


class GradeSheetReport(Schema):
    rows_read: int = Field(description="Non-empty rows under the header row.")
    pupils_matched: int
    marks_written: dict[TestKind, int] = Field(
        description="Marks inserted or changed, per test kind; unchanged marks are not counted."
    )
    marks_cleared: dict[TestKind, int] = Field(
        description="Marks removed because their cells are now empty, per test kind."
    )
    tests_created: list[TestKind]
    errors: list[GradeSheetRowError] = Field(description="Empty when the import succeeded.")


class Completion(Schema):
    """Grade entry: marks expected (current pupils × tests scheduled), entered, and how far
    they went (cumulative: validated marks were submitted too); draft tests past the delay."""

    tests: int
    expected: int
    entered: int
    submitted: int
    validated: int
    published: int
    late_tests: int


class GradeEntryRow(Schema):
    class_id: uuid.UUID
    class_name: str
    level_code: str
    subject_id: uuid.UUID
    subject_code: str
    subject_name_fr: str
    semester: int
    teacher_id: uuid.UUID
    teacher_name: str
    teacher_late: bool = Field(
        description="Some test is still a draft more than `late_after_days` after its date."
    )
    oldest_late_test: date | None
    completion: Completion


class GradeEntryOut(Schema):
    late_after_days: int
    late_before: date = Field(description="Draft tests dated before this day are late.")
    total: Completion
    items: list[GradeEntryRow]


class TestChanges(Changes[TestOut]):
    """My tests created or changed since the last sync, and the ids of those deleted."""
