"""Imports of the school's records from Massar's spreadsheets."""

from __future__ import annotations

from fastapi import APIRouter, UploadFile

from app.academics import pupil_import as imports
from app.academics.schemas import PupilImportReport, TeacherImportReport
from app.accounts import staff_import as teacher_imports
from app.accounts.guards import SchoolStaffPrincipal, duty
from app.core.db.session import SessionDep
from app.core.roles import Duty
from app.core.security.passwords import HASHING_BUSY_RESPONSE
from app.errors import ProblemError
from app.settings import get_settings

router = APIRouter()


@router.post("/imports/pupils", operation_id="school-import-pupils", **duty(Duty.RECORDS))
async def import_pupils(
    file: UploadFile, principal: SchoolStaffPrincipal, session: SessionDep
) -> PupilImportReport:
    """Import pupils from a Massar spreadsheet (.xlsx) or CSV with the columns Code Massar, Nom,
    Prénom, Nom (arabe), Prénom (arabe), Date de naissance, Lieu de naissance, Sexe, Classe.

    Every row valid or nothing written (422 lists each faulty cell); the same file twice changes
    nothing the second time.
    """
    return await imports.import_pupils(session, principal, await read_limited(file))


async def read_limited(file: UploadFile) -> bytes:
    limit = get_settings().grade_sheet_max_bytes
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise ProblemError(413, "error.request_too_large", kind="file-too-large")
    return content


@router.post(
    "/imports/teachers",
    operation_id="school-import-teachers",
    **duty(Duty.ACCOUNTS, HASHING_BUSY_RESPONSE),
)
async def import_teachers(
    file: UploadFile, principal: SchoolStaffPrincipal, session: SessionDep
) -> TeacherImportReport:
    """Import teachers from a spreadsheet (.xlsx) or CSV with the columns PPR, Nom, Prénom,
    Email, Grade, Spécialité. New teachers get an account and a first-login code (in the report,
    shown once); all rows valid or nothing written; the same file twice changes nothing."""
    return await teacher_imports.import_teachers(session, principal, await read_limited(file))
