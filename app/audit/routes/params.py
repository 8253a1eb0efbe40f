"""The audit list's filters, shared by the school's and the steering faces."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query

from app.audit.log import AuditFilters
from app.audit.models import AuditAction


def audit_filters(
    entity: Annotated[str | None, Query(max_length=63, examples=["marks"])] = None,
    entity_id: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None,
    action: AuditAction | None = None,
    since: Annotated[
        datetime | None, Query(alias="from", description="Inclusive, with a time zone.")
    ] = None,
    until: Annotated[
        datetime | None, Query(alias="to", description="Exclusive, with a time zone.")
    ] = None,
) -> AuditFilters:
    """The filters from the query string."""
    return AuditFilters(entity, entity_id, actor_id, action, since, until)


AuditFiltersDep = Annotated[AuditFilters, Depends(audit_filters)]
