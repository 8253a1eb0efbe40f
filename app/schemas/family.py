"""A parent's children, and the one-time codes that link them."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import Field

from app.models.enums import Kinship
from app.schemas.common import Schema
from app.schemas.teacher import ClassRef


class Child(Schema):
    id: uuid.UUID = Field(description="The pupil's id: use it in /parent/children/{child_id}/…")
    massar_code: str
    first_name: str
    last_name: str
    first_name_ar: str
    last_name_ar: str
    kinship: Kinship
    school_name_fr: str
    school_name_ar: str
    school_class: ClassRef | None


class LinkChildIn(Schema):
    massar_code: str = Field(pattern=r"^[A-Za-z][0-9]{9}$", examples=["D130000001"])
    birth_date: date
    link_code: str = Field(min_length=6, max_length=20, examples=["7KQ4-M2XP"])
    kinship: Kinship


class LinkCodeOut(Schema):
    pupil_id: uuid.UUID
    code: str = Field(description="Shown once: hand it to the parent. It is stored hashed.")
    expires_at: datetime
