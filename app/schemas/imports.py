"""What an import of pupils reports."""

from __future__ import annotations

from pydantic import Field

from app.schemas.common import Schema


class ImportRowError(Schema):
    row: int = Field(description="Row number in the file, as the user sees it.")
    massar_code: str | None
    column: str | None
    message: str
    code: str


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
