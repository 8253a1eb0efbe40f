"""The integrators' face under `/api/v1`: what API clients manage of their own (webhook
endpoints) and what they read outside OneRoster (document checks, absences), for API clients
only; a person's token answers 403."""

from fastapi import APIRouter, Depends

from app.attendance.routes import clients as absences
from app.integrations.callers import api_client_only
from app.official_documents import client_routes as documents
from app.webhooks import routes as webhooks

# The guard sits on the face's router, so an endpoint added later cannot forget it.
router = APIRouter(
    prefix="/integrations", tags=["integrations"], dependencies=[Depends(api_client_only)]
)
router.include_router(webhooks.router)
router.include_router(documents.router)
router.include_router(absences.router)
