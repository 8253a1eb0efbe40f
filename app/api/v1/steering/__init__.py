"""The steering face: directorate, academy and ministry staff, on their part of the tree."""

from fastapi import APIRouter, Depends

from app.accounts.guards import steering_only
from app.api.v1.back_office import include_back_office
from app.audit.routes import audit_log
from app.exams.routes import exam_routes
from app.steering import routes as units

# The guard sits on the face's router, so an endpoint added later cannot forget it.
router = APIRouter(prefix="/steering", tags=["steering"], dependencies=[Depends(steering_only)])
router.include_router(units.router)
router.include_router(audit_log("steering"))
router.include_router(exam_routes("steering"))
include_back_office(router, "steering")
