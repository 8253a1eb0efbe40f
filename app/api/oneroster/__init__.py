"""The integrators' face: OneRoster 1.2 at the standard's paths, for API clients only (client
credentials); a person's token answers 403. Each route names the scope it needs."""

from fastapi import APIRouter, Depends

from app.core.db.replicas import lag_tolerant
from app.integrations.callers import api_client_only
from app.oneroster.routes import gradebook_router, rostering_router

# The guard sits on the face's router, so an endpoint added later cannot forget it.
router = APIRouter(
    prefix="/ims/oneroster",
    tags=["oneroster"],
    # Integrators' reads tolerate a few seconds of lag: a replica may serve them.
    dependencies=[Depends(api_client_only), Depends(lag_tolerant)],
)
router.include_router(rostering_router)
router.include_router(gradebook_router)
