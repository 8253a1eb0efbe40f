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
from app.modules.diagnostics.routes import diagnostic_routes
from app.modules.equipment.routes import equipment_routes
from app.modules.partnerships.routes import partnership_routes
from app.modules.school_projects.routes import project_routes
from app.modules.sports.routes import sport_routes
from app.modules.trainings.routes import training_routes
from app.modules.websites.routes import website_routes

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
router.include_router(training_routes("school"))
router.include_router(partnership_routes("school"))
router.include_router(website_routes("school"))
router.include_router(diagnostic_routes("school"))
router.include_router(project_routes("school"))
router.include_router(equipment_routes("school"))
router.include_router(sport_routes("school"))
