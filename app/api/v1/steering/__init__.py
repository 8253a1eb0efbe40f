"""The steering face: directorate, academy and ministry staff, on their part of the tree."""

from fastapi import APIRouter, Depends

from app.api.v1.steering import (
    audit,
    diagnostics,
    equipment,
    partnerships,
    school_projects,
    sports,
    trainings,
    units,
    websites,
)
from app.security.deps import steering_only

# The guard sits on the face's router, so an endpoint added later cannot forget it.
router = APIRouter(prefix="/steering", tags=["steering"], dependencies=[Depends(steering_only)])
for module in (
    units,
    audit,
    school_projects,
    trainings,
    equipment,
    diagnostics,
    partnerships,
    sports,
    websites,
):
    router.include_router(module.router)
