"""The grade sheet: a class's marks for a subject and semester as a spreadsheet, both ways."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, UploadFile

from app.accounts.guards import TeacherPrincipal
from app.assessment import gradesheet
from app.assessment.schemas import GradeSheetReport
from app.core.db.session import SessionDep
from app.settings import get_settings

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An int bounded to 1..2: a required `Literal[1, 2]` query parameter refuses "1" (pydantic does
# not coerce a string to a literal int).
SemesterQuery = Annotated[int, Query(ge=1, le=2, description="1 or 2.")]
ComponentQuery = Annotated[
    uuid.UUID | None,
    Query(description="A component of the subject (primary): the sheet of its tests alone."),
]


@router.get(
    "/classes/{class_id}/grade-sheet",
    operation_id="teacher-grade-sheet",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "The grade sheet (.xlsx)."}},
)
async def export_grade_sheet(
    class_id: uuid.UUID,
    subject_id: uuid.UUID,
    semester: SemesterQuery,
    principal: TeacherPrincipal,
    session: SessionDep,
    component_id: ComponentQuery = None,
) -> Response:
    """Download the class's grade sheet in Massar's layout, with the marks entered so far."""
    sheet = await gradesheet.export_grade_sheet(
        session, principal, class_id, subject_id, semester, component_id
    )
    return Response(
        sheet.content,
        media_type=XLSX,
        headers={
            "Content-Disposition": f"attachment; filename={sheet.filename}",
            # Pupils' marks: no shared cache may keep them.
            "Cache-Control": "private, no-store",
        },
    )


@router.post("/classes/{class_id}/grade-sheet", operation_id="teacher-import-grade-sheet")
async def import_grade_sheet(
    class_id: uuid.UUID,
    subject_id: uuid.UUID,
    semester: SemesterQuery,
    file: UploadFile,
    principal: TeacherPrincipal,
    session: SessionDep,
    component_id: ComponentQuery = None,
) -> GradeSheetReport:
    """Import a filled-in grade sheet: every cell valid or nothing written (422 lists each
    faulty cell by row and column). Importing the same sheet again changes nothing."""
    # One byte over the sheet limit is enough to refuse it; the app-wide body limit
    # (MASSAR_MAX_REQUEST_BYTES) has already stopped anything far bigger.
    content = await file.read(get_settings().grade_sheet_max_bytes + 1)
    return await gradesheet.import_grade_sheet(
        session, principal, class_id, subject_id, semester, content, component_id
    )
