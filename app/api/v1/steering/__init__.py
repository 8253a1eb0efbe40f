"""The steering face: directorate, academy and ministry staff, on their part of the tree."""

from fastapi import APIRouter, Depends

from app.accounts.guards import steering_only
from app.audit.routes import audit_log
from app.modules.diagnostics.routes import steering as diagnostics
from app.modules.equipment.routes import steering as equipment
from app.modules.partnerships.routes import partnership_routes
from app.modules.school_projects.routes import steering as school_projects
from app.modules.sports.routes import steering as sports
from app.modules.trainings.routes import steering as trainings
from app.modules.websites.routes import steering as websites
from app.steering import routes as units

# The guard sits on the face's router, so an endpoint added later cannot forget it.
router = APIRouter(prefix="/steering", tags=["steering"], dependencies=[Depends(steering_only)])
for module in (
    units,
    school_projects,
    trainings,
    equipment,
    diagnostics,
    sports,
    websites,
):
    router.include_router(module.router)
router.include_router(audit_log("steering"))
router.include_router(partnership_routes("steering", steering_only))
