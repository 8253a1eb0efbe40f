"""Version 1 of the API: every face's router under `/api/v1`."""

from fastapi import APIRouter, Depends

from app.accounts.guards import staff_only
from app.accounts.routes import auth, me
from app.accounts.routes.mfa import router as me_mfa_router
from app.api.v1 import integrations, parent, school, steering, student, teacher
from app.core.db.replicas import lag_tolerant
from app.exams.candidate_routes import public_router as exam_candidates
from app.messaging.routes import notifications
from app.modules.equipment.routes import catalogue_routes
from app.modules.websites.routes import public_routes
from app.official_documents.routes import public_router as public_documents
from app.organisation import routes as schools
from app.preregistration.routes import public_router as preregistration

router = APIRouter(prefix="/api/v1")
router.include_router(auth.router)
router.include_router(me.router)
router.include_router(me_mfa_router)
router.include_router(notifications.router)
router.include_router(schools.router)
router.include_router(teacher.router)
router.include_router(student.router)
router.include_router(parent.router)
router.include_router(school.router)
router.include_router(steering.router)
router.include_router(integrations.router)
# Schools' public sites tolerate a few seconds of lag: a replica may serve them.
router.include_router(
    public_routes(), prefix="/public", tags=["public"], dependencies=[Depends(lag_tolerant)]
)
router.include_router(preregistration, prefix="/public", tags=["public"])
router.include_router(public_documents, prefix="/public", tags=["public"])
router.include_router(exam_candidates, prefix="/public", tags=["public"])
# The national equipment catalogue: one face for every member of staff.
router.include_router(
    catalogue_routes(), prefix="/equipment", tags=["equipment"], dependencies=[Depends(staff_only)]
)
