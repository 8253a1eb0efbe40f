"""The school administration's face: staff of one school, on their own school's data."""

from fastapi import APIRouter, Depends

from app.api.v1.school import (
    absences,
    accounts,
    announcements,
    grade_entry,
    guardians,
    imports,
    justifications,
    marks,
    messages,
    pupils,
    staff,
    structure,
    transfers,
)
from app.api.v1.school.audit import router as audit_router
from app.api.v1.school.diagnostics import router as diagnostics_router
from app.api.v1.school.equipment import router as equipment_router
from app.api.v1.school.partnerships import router as partnerships_router
from app.api.v1.school.projects import router as projects_router
from app.api.v1.school.sports import router as sports_router
from app.api.v1.school.trainings import router as trainings_router
from app.api.v1.school.websites import router as websites_router
from app.security.deps import school_staff_only

router = APIRouter(prefix="/school", tags=["school"], dependencies=[Depends(school_staff_only)])
router.include_router(pupils.router)
router.include_router(justifications.router)
router.include_router(messages.router)
router.include_router(announcements.router)
router.include_router(marks.router)
router.include_router(absences.router)
router.include_router(guardians.router)
router.include_router(structure.router)
router.include_router(transfers.router)
router.include_router(imports.router)
router.include_router(audit_router)
router.include_router(accounts.router)
router.include_router(grade_entry.router)
router.include_router(staff.router)
router.include_router(trainings_router)
router.include_router(partnerships_router)
router.include_router(websites_router)
router.include_router(diagnostics_router)
router.include_router(projects_router)
router.include_router(equipment_router)
router.include_router(sports_router)
