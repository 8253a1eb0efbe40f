"""The authenticated caller: who they are and where they sit in the tree."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from app.core.roles import ROLE_LEVEL, STAFF_ROLES, Level, Role, StaffTitle


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller, read from the database on each request (not from the token),
    so a disabled account or a changed role takes effect at once."""

    user_id: uuid.UUID
    session_id: uuid.UUID
    role: Role
    title: StaffTitle | None
    school_id: uuid.UUID | None
    province_id: uuid.UUID | None
    academy_id: uuid.UUID | None

    @property
    def level(self) -> Level:
        return ROLE_LEVEL[self.role]

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES
