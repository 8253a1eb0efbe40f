"""Schools as staff see them."""

from __future__ import annotations

import uuid

from app.models.enums import Area, Cycle, Sector
from app.schemas.common import Schema, UnitRef


class SchoolOut(Schema):
    id: uuid.UUID
    code: str
    name_fr: str
    name_ar: str
    cycles: list[Cycle]
    sector: Sector
    area: Area
    commune: str | None
    is_active: bool
    province: UnitRef
    academy: UnitRef
