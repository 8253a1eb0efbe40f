"""The steering face: directorate, academy and ministry staff, on their part of the tree."""

from fastapi import APIRouter, Depends

from app.accounts.guards import steering_only
from app.audit.routes import audit_log
from app.modules.diagnostics.routes import diagnostic_routes
from app.modules.equipment.routes import equipment_routes
from app.modules.partnerships.routes import partnership_routes
from app.modules.school_projects.routes import project_routes
from app.modules.sports.routes import sport_routes
from app.modules.trainings.routes import training_routes
from app.modules.websites.routes import website_routes
from app.steering import routes as units

# The guard sits on the face's router, so an endpoint added later cannot forget it.
router = APIRouter(prefix="/steering", tags=["steering"], dependencies=[Depends(steering_only)])
router.include_router(units.router)
router.include_router(audit_log("steering"))
router.include_router(partnership_routes("steering"))
router.include_router(project_routes("steering"))
router.include_router(diagnostic_routes("steering"))
router.include_router(equipment_routes("steering"))
router.include_router(website_routes("steering"))
router.include_router(sport_routes("steering"))
router.include_router(training_routes("steering"))
