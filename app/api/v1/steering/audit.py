"""The audit log for steering staff: the schools in their part of the tree."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.params import PageParams
from app.api.v1.audit_params import AuditFiltersDep
from app.db.session import SessionDep
from app.schemas.audit import AuditEntryOut
from app.schemas.common import Page
from app.security.deps import SteeringPrincipal
from app.services import audit

router = APIRouter()


@router.get("/audit", operation_id="steering-audit")
async def list_audit(
    principal: SteeringPrincipal,
    session: SessionDep,
    page: PageParams,
    filters: AuditFiltersDep,
) -> Page[AuditEntryOut]:
    """Writes in the schools under me, newest first; central staff also see rows of no school."""
    return await audit.list_entries(
        session, principal, filters, limit=page.limit, after=page.position()
    )
