"""Partnerships of my school: its partners and agreements, and the agreements of the units
above it that concern it (read only)."""

from __future__ import annotations

from app.api.v1.partnerships import partnership_routes
from app.security.deps import school_staff_only

router = partnership_routes("school", school_staff_only)
