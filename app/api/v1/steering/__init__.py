"""The steering face: directorate, academy and ministry staff, on their part of the tree."""

from fastapi import APIRouter, Depends

from app.academics.routes import years as school_years
from app.accounts.guards import steering_only
from app.api.v1.back_office import include_back_office
from app.audit.routes import audit_log
from app.core.db.replicas import lag_tolerant
from app.councils.routes import steering_router as councils
from app.exams.candidate_routes import academy_router as independent_candidates
from app.exams.routes import exam_routes
from app.integrations import routes as api_clients
from app.organisation import routes as school_register
from app.steering import routes as units

# The guard sits on the face's router, so an endpoint added later cannot forget it.
router = APIRouter(prefix="/steering", tags=["steering"], dependencies=[Depends(steering_only)])
# The figures tolerate a few seconds of lag: a replica may serve them.
router.include_router(units.router, dependencies=[Depends(lag_tolerant)])
router.include_router(school_years.router)
router.include_router(school_register.opening)
router.include_router(councils)
router.include_router(audit_log("steering"))
router.include_router(api_clients.router)
router.include_router(exam_routes("steering"))
router.include_router(independent_candidates)
include_back_office(router, "steering")
