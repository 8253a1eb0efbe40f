"""Schools as staff see them."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, Field

from app.core.schemas import Patch, Schema, UnitRef
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


SCHOOL_CODE = r"^[0-9A-Z]{5,12}$"


class SchoolIn(Schema):
    """A new school of the caller's part of the tree."""

    code: str = Field(pattern=SCHOOL_CODE, examples=["25003E"])
    name_fr: str = Field(min_length=1, max_length=200, examples=["Collège Al Amal"])
    name_ar: str = Field(min_length=1, max_length=200, examples=["إعدادية الأمل"])
    cycles: list[Cycle] = Field(min_length=1, max_length=3)
    sector: Sector
    area: Area
    commune: str | None = Field(default=None, max_length=120, examples=["Agdal-Riyad"])
    province_id: uuid.UUID = Field(description="Its directorate: the caller's, or one of theirs.")


class SchoolPatch(Patch):
    REQUIRED: ClassVar[frozenset[str]] = frozenset(
        {"code", "name_fr", "name_ar", "cycles", "sector", "area"}
    )

    code: str | None = Field(default=None, pattern=SCHOOL_CODE)
    name_fr: str | None = Field(default=None, min_length=1, max_length=200)
    name_ar: str | None = Field(default=None, min_length=1, max_length=200)
    cycles: list[Cycle] | None = Field(default=None, min_length=1, max_length=3)
    sector: Sector | None = None
    area: Area | None = None
    commune: str | None = Field(default=None, max_length=120)


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
