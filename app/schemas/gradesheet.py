"""The grade sheet: what an import of a filled-in spreadsheet reports."""

from __future__ import annotations

from pydantic import Field

from app.models.enums import TestKind
from app.schemas.common import Schema


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
