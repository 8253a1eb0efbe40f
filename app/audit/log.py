"""Reading the audit log, always through the caller's scope; writing is the triggers' job."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditAction, AuditEntry
from app.audit.schemas import AuditEntryOut
from app.core.listing import timestamp_page
from app.core.pagination import PageRequest
from app.core.roles import Role, StaffTitle
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


# What each kind of reader may see of the audit, by entity (table). The audit already keeps
# no private text; this keeps each reader to the records of their own work. A director and a
# deputy answer for everything in their school; the discipline office for presence and its
# justifications, and for incidents and sanctions; a secretary for the school's structure and
# accounts; steering staff audit the schools' work, not the families' correspondence nor the
# pupils' conduct.
_STRUCTURE = frozenset(
    {
        "classes",
        "pupils",
        "enrolments",
        "teaching_assignments",
        "timetable_slots",
        "transfers",
        "users",
        "teacher_profiles",
        "link_codes",
        "guardian_links",
    }
)
_PRESENCE = frozenset(
    {"attendance_sheets", "attendance_marks", "justifications", "justified_absences", "lessons"}
)
_FAMILIES = frozenset(
    {"messages", "message_threads", "pupil_contacts", "justifications", "justified_absences"}
)
# Pupils' conduct: the school's discipline staff's, never steering's.
_DISCIPLINE = frozenset({"incidents", "incident_pupils", "sanctions"})
_BY_TITLE: dict[StaffTitle, frozenset[str] | None] = {
    StaffTitle.DIRECTOR: None,
    StaffTitle.DEPUTY: None,
    StaffTitle.DISCIPLINE_OFFICE: _PRESENCE | _DISCIPLINE | {"classes", "pupils", "enrolments"},
    StaffTitle.SECRETARY: _STRUCTURE,
}


def _readable(principal: Principal) -> ColumnElement[bool]:
    """The entities the caller may read, as a WHERE clause."""
    if principal.role is Role.SCHOOL_STAFF:
        # No title: nothing (an account opened before titles were set reads no audit).
        entities = _BY_TITLE[principal.title] if principal.title else frozenset[str]()
        return true() if entities is None else AuditEntry.entity.in_(sorted(entities))
    return AuditEntry.entity.not_in(sorted(_FAMILIES | _DISCIPLINE))


async def list_entries(
    session: AsyncSession, principal: Principal, filters: AuditFilters, page: PageRequest
) -> Page[AuditEntryOut]:
    """The audit rows of the schools in the caller's part of the tree (central: all rows),
    newest first by (occurred_at, id): a keyset the indexes serve."""
    # Rows of no school are never equal to a school: only central's `true()` shows them.
    school_id = cast(ColumnElement[uuid.UUID], AuditEntry.school_id)
    statement = select(AuditEntry).where(
        school_scope(principal, school_id), _readable(principal), *filters.clauses()
    )
    keys = AuditEntry.occurred_at, AuditEntry.id
    rows, cursor = await timestamp_page(session, statement, *keys, page)
    return Page(
        items=[AuditEntryOut.model_validate(row.AuditEntry) for row in rows], next_cursor=cursor
    )
