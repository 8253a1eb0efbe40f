"""Reading the audit log, always through the caller's scope; writing is the triggers' job."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditAction, AuditEntry
from app.audit.schemas import AuditEntryOut
from app.core.listing import timestamp_page
from app.core.pagination import PageRequest
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.organisation.scopes import school_scope


@dataclass(frozen=True, slots=True)
class AuditFilters:
    """Optional filters; `since` is inclusive, `until` exclusive."""

    entity: str | None = None
    entity_id: uuid.UUID | None = None
    actor_id: uuid.UUID | None = None
    action: AuditAction | None = None
    since: datetime | None = None
    until: datetime | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        """The WHERE clauses of the filters that are set."""
        clauses = [
            column == value
            for column, value in (
                (AuditEntry.entity, self.entity),
                (AuditEntry.entity_id, self.entity_id),
                (AuditEntry.actor_id, self.actor_id),
                (AuditEntry.action, self.action),
            )
            if value is not None
        ]
        if self.since is not None:
            clauses.append(AuditEntry.occurred_at >= self.since)
        if self.until is not None:
            clauses.append(AuditEntry.occurred_at < self.until)
        return clauses


async def list_entries(
    session: AsyncSession, principal: Principal, filters: AuditFilters, page: PageRequest
) -> Page[AuditEntryOut]:
    """The audit rows of the schools in the caller's part of the tree (central: all rows),
    newest first by (occurred_at, id): a keyset the indexes serve."""
    # Rows of no school are never equal to a school: only central's `true()` shows them.
    school_id = cast(ColumnElement[uuid.UUID], AuditEntry.school_id)
    statement = select(AuditEntry).where(school_scope(principal, school_id), *filters.clauses())
    keys = AuditEntry.occurred_at, AuditEntry.id
    rows, cursor = await timestamp_page(session, statement, *keys, page)
    return Page(
        items=[AuditEntryOut.model_validate(row.AuditEntry) for row in rows], next_cursor=cursor
    )
