"""The school administration's face: staff of one school, on their own school's data."""

from fastapi import APIRouter, Depends

from app.academics.routes import imports, structure, transfers
from app.accounts.guards import school_staff_only
from app.accounts.routes import codes as accounts
from app.accounts.routes import staff
from app.assessment.routes import completion as grade_entry
from app.assessment.routes import validation as marks
from app.attendance.routes import absences, justifications
from app.audit.routes import audit_log
from app.family.routes import guardians, pupils
from app.messaging.routes import announcements
from app.messaging.routes.threads import message_threads
from app.modules.diagnostics.routes.school import router as diagnostics_router
from app.modules.equipment.routes.school import router as equipment_router
from app.modules.partnerships.routes import partnership_routes
from app.modules.school_projects.routes.school import router as projects_router
from app.modules.sports.routes.school import router as sports_router
from app.modules.trainings.routes.school import router as trainings_router
from app.modules.websites.routes.school import router as websites_router

router = APIRouter(prefix="/school", tags=["school"], dependencies=[Depends(school_staff_only)])
router.include_router(pupils.router)
router.include_router(justifications.router)
router.include_router(message_threads("school"))
router.include_router(announcements.router)
router.include_router(marks.router)
router.include_router(absences.router)
router.include_router(guardians.router)
router.include_router(structure.router)
router.include_router(transfers.router)
router.include_router(imports.router)
router.include_router(audit_log("school"))
router.include_router(accounts.router)
router.include_router(grade_entry.router)
router.include_router(staff.router)
router.include_router(trainings_router)
router.include_router(partnership_routes("school", school_staff_only))
router.include_router(websites_router)
router.include_router(diagnostics_router)
router.include_router(projects_router)
router.include_router(equipment_router)
router.include_router(sports_router)
