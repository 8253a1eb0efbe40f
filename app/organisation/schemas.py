"""Schools as staff see them."""

from __future__ import annotations

import uuid
from enum import StrEnum

from pydantic import BaseModel

from app.core.schemas import Schema, UnitRef
from app.organisation.models import Area, Cycle, Sector


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


class UnitLevel(StrEnum):
    CENTRAL = "central"
    ACADEMY = "academy"
    PROVINCE = "province"
    SCHOOL = "school"


class UnitOut(BaseModel):
    """A unit of the tree; the ministry has no id or code."""

    level: UnitLevel
    id: uuid.UUID | None
    code: str | None
    name_fr: str
    name_ar: str
