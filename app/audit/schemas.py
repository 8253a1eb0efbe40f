"""The audit log as staff read it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field, IPvAnyAddress

from app.audit.models import AuditAction
from app.core.schemas import Schema


class AuditEntryOut(Schema):
    """One write: who, from where, what, and the changed fields."""

    id: int
    occurred_at: datetime
    actor_id: uuid.UUID | None = Field(description="Null for system and anonymous writes.")
    actor_role: str = Field(examples=["teacher", "system", "anonymous"])
    request_id: str | None
    client_ip: IPvAnyAddress | None
    action: AuditAction
    entity: str = Field(description="The table written.", examples=["marks"])
    entity_id: uuid.UUID | None
    school_id: uuid.UUID | None
    changed: dict[str, Any] = Field(
        description="Update: {field: [before, after]} for the changed fields; insert and "
        "delete: the row. Secrets never appear.",
    )
