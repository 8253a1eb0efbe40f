"""Partnerships steered by a directorate, an academy or the ministry: those of my unit to
manage, those owned within my part of the tree to follow."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.v1.partnerships import partnership_routes
from app.security.deps import steering_only

router = APIRouter()
router.include_router(partnership_routes("steering", steering_only))
