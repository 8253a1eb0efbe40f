"""The audit log for steering staff: the schools in their part of the tree."""

from __future__ import annotations

from fastapi import APIRouter

from app.accounts.guards import SteeringPrincipal
from app.audit import log as audit
from app.audit.routes.params import AuditFiltersDep
from app.audit.schemas import AuditEntryOut
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page

router = APIRouter()


@router.get("/audit", operation_id="steering-audit")
async def list_audit(
    principal: SteeringPrincipal,
    session: SessionDep,
    page: PageParams,
    filters: AuditFiltersDep,
) -> Page[AuditEntryOut]:
    """Writes in the schools under me, newest first; central staff also see rows of no school."""
    return await audit.list_entries(session, principal, filters, page)
