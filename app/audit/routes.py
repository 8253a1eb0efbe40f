"""The audit log, as the school's face (its own school) and the steering face (the schools
under the caller) read it: one route, the scope in the service.

(No `from __future__ import annotations` here: the route is built inside a function and
FastAPI must resolve its annotations at that moment.)
"""

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.accounts.guards import CurrentPrincipal
from app.audit import log as audit
from app.audit.log import AuditFilters
from app.audit.models import AuditAction
from app.audit.schemas import AuditEntryOut
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page


async def audit_filters(
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


def audit_log(face: str) -> APIRouter:
    """`GET /audit` for a face (`school` or `steering`), whose router guards the role."""
    router = APIRouter()

    @router.get("/audit", operation_id=f"{face}-audit")
    async def list_audit(
        principal: CurrentPrincipal, session: SessionDep, page: PageParams, filters: AuditFiltersDep
    ) -> Page[AuditEntryOut]:
        """Writes to the records of the schools in my part of the tree (school staff: my own
        school), newest first; central staff also see rows of no school."""
        return await audit.list_entries(session, principal, filters, page)

    return router
