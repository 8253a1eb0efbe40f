"""People as other people see them: a name to show, and a role for staff."""

from __future__ import annotations

import uuid

from app.models.enums import Role, StaffTitle
from app.schemas.common import Schema


class PupilRef(Schema):
    id: uuid.UUID
    massar_code: str
    first_name: str
    last_name: str
    first_name_ar: str
    last_name_ar: str


class PersonRef(Schema):
    """An account: a parent, a teacher or a member of the school's staff (with their post)."""

    id: uuid.UUID
    first_name: str
    last_name: str
    first_name_ar: str | None
    last_name_ar: str | None
    role: Role
    title: StaffTitle | None
