"""Partnerships steered by a directorate, an academy or the ministry: those of my unit to
manage, those owned within my part of the tree to follow."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from app.api.v1.partnerships import partnership_routes
from app.security.deps import steering_only

# The guard sits on the router, so an endpoint added later cannot forget it.
router = APIRouter(prefix="/steering", tags=["steering"], dependencies=[Depends(steering_only)])
router.include_router(partnership_routes("steering", steering_only))
