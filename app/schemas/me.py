"""The caller's own account."""

from __future__ import annotations

import uuid
from enum import StrEnum

from app.models.enums import Level, Role, StaffTitle
from app.schemas.common import Schema, SchoolRef, UnitRef


class App(StrEnum):
    """The clients an account may sign in to."""

    MOUDARIS = "moudaris"  # teachers' app
    MOUTAMADRIS = "moutamadris"  # pupils' app
    WALI = "wali"  # parents' app
    BACK_OFFICE = "back_office"  # staff web modules


class MeOut(Schema):
    id: uuid.UUID
    username: str
    role: Role
    title: StaffTitle | None
    level: Level
    first_name: str
    last_name: str
    first_name_ar: str | None
    last_name_ar: str | None
    school: SchoolRef | None
    province: UnitRef | None
    academy: UnitRef | None
    apps: list[App]
