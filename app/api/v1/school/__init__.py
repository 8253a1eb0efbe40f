"""The school administration's face: staff of one school, on their own school's data."""

from fastapi import APIRouter, Depends

from app.academics.routes import imports, structure, transfers
from app.academics.routes.years import calendar_route
from app.accounts.guards import duty, school_staff_only
from app.accounts.routes import codes as accounts
from app.accounts.routes import staff
from app.api.v1.back_office import include_back_office
from app.assessment.routes import completion as grade_entry
from app.assessment.routes import validation as marks
from app.attendance.routes import absences, justifications
from app.audit.routes import audit_log
from app.core.roles import Duty
from app.councils.routes import school_router as councils
from app.discipline import routes as discipline
from app.exams.candidate_routes import school_router as record_corrections
from app.exams.routes import exam_routes
from app.family.routes import guardians, pupils
from app.messaging.routes import announcements
from app.messaging.routes.threads import message_threads
from app.official_documents.routes import school_router as official_documents
from app.preregistration.routes import school_router as preregistrations

router = APIRouter(prefix="/school", tags=["school"], dependencies=[Depends(school_staff_only)])
for module in (
    pupils,
    justifications,
    announcements,
    marks,
    absences,
    guardians,
    structure,
    transfers,
    imports,
    accounts,
    grade_entry,
    staff,
    discipline,
):
    router.include_router(module.router)
router.include_router(councils)
router.include_router(preregistrations)
router.include_router(official_documents)
router.include_router(message_threads("school"))
router.include_router(calendar_route("school"))
router.include_router(audit_log("school"))
router.include_router(exam_routes("school"))
router.include_router(record_corrections)
# The back-office modules are the director's and the deputy's work, reads included.
include_back_office(router, "school", **duty(Duty.SCHOOL_LIFE))
