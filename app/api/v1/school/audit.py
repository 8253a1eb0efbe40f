"""The school's own audit log."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.params import PageParams
from app.api.v1.audit_params import AuditFiltersDep
from app.db.session import SessionDep
from app.schemas.audit import AuditEntryOut
from app.schemas.common import Page
from app.security.deps import SchoolStaffPrincipal
from app.services import audit

router = APIRouter()


@router.get("/audit", operation_id="school-audit")
async def list_audit(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    filters: AuditFiltersDep,
) -> Page[AuditEntryOut]:
    """Every write to my school's records, newest first."""
    return await audit.list_entries(
        session, principal, filters, limit=page.limit, after=page.position()
    )
