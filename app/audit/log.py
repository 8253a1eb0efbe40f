"""Reading the audit log, always through the caller's scope; writing is the triggers' job."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditAction, AuditEntry
from app.audit.schemas import AuditEntryOut
from app.core.pagination import encode_cursor, split_page
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.errors import ProblemError
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


def _position(after: dict[str, Any]) -> tuple[datetime, int]:
    """The (occurred_at, id) of the last row sent; 400 for a cursor this list did not write."""
    try:
        at = datetime.fromisoformat(after["at"])
        row_id = int(after["id"])
    except (KeyError, TypeError, ValueError):
        raise ProblemError(400, "error.bad_cursor", kind="bad-cursor") from None
    if at.tzinfo is None:
        raise ProblemError(400, "error.bad_cursor", kind="bad-cursor")
    return at, row_id


def _page_query(
    scope: ColumnElement[bool], filters: AuditFilters, limit: int, after: dict[str, Any] | None
) -> Select[AuditEntry]:
    """Newest first, by (occurred_at, id): a keyset the indexes serve."""
    query = select(AuditEntry).where(scope, *filters.clauses())
    if after is not None:
        query = query.where(tuple_(AuditEntry.occurred_at, AuditEntry.id) < _position(after))
    return query.order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc()).limit(limit + 1)


async def list_entries(
    session: AsyncSession,
    principal: Principal,
    filters: AuditFilters,
    *,
    limit: int,
    after: dict[str, Any] | None,
) -> Page[AuditEntryOut]:
    """The audit rows of the schools in the caller's part of the tree (central: all rows)."""
    # Rows of no school are never equal to a school: only central's `true()` shows them.
    school_id = cast(ColumnElement[uuid.UUID], AuditEntry.school_id)
    scope = school_scope(principal, school_id)
    rows = list((await session.scalars(_page_query(scope, filters, limit, after))).all())
    page, more = split_page(rows, limit)
    last = page[-1] if page else None
    return Page[AuditEntryOut](
        items=[AuditEntryOut.model_validate(row) for row in page],
        next_cursor=encode_cursor({"at": last.occurred_at.isoformat(), "id": last.id})
        if more and last
        else None,
    )
