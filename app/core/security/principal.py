"""The authenticated caller: who they are and where they sit in the tree."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol, Self

from app.core.roles import ROLE_LEVEL, STAFF_ROLES, Level, Role, StaffTitle


class Account(Protocol):
    """What a principal is made from: an account's id, role, title and place in the tree."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def role(self) -> Role: ...
    @property
    def title(self) -> StaffTitle | None: ...
    @property
    def school_id(self) -> uuid.UUID | None: ...
    @property
    def province_id(self) -> uuid.UUID | None: ...
    @property
    def academy_id(self) -> uuid.UUID | None: ...


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

    @classmethod
    def acting_as(cls, account: Account) -> Self:
        """The account as the caller of services outside a request (the demo loader, a
        script), in a login session of its own."""
        return cls.in_session(account, uuid.uuid4())

    @classmethod
    def in_session(cls, account: Account, session_id: uuid.UUID) -> Self:
        """The account as the caller in the login session `session_id`."""
        return cls(
            user_id=account.id,
            session_id=session_id,
            role=account.role,
            title=account.title,
            school_id=account.school_id,
            province_id=account.province_id,
            academy_id=account.academy_id,
        )
