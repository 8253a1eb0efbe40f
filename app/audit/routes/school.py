"""The school's own audit log."""

from __future__ import annotations

from fastapi import APIRouter

from app.accounts.guards import SchoolStaffPrincipal
from app.audit import log as audit
from app.audit.routes.params import AuditFiltersDep
from app.audit.schemas import AuditEntryOut
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page

router = APIRouter()


@router.get("/audit", operation_id="school-audit")
async def list_audit(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    filters: AuditFiltersDep,
) -> Page[AuditEntryOut]:
    """Every write to my school's records, newest first."""
    return await audit.list_entries(session, principal, filters, page)
