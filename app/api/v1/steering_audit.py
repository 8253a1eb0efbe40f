"""The audit log for steering staff: the schools in their part of the tree.

Its own router and guard, beside the steering dashboards' router, so each can grow alone.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from app.api.params import PageParams
from app.api.v1.audit_params import AuditFiltersDep
from app.db.session import SessionDep
from app.models.enums import Role
from app.schemas.audit import AuditEntryOut
from app.schemas.common import Page
from app.security.deps import require_roles
from app.security.principal import Principal
from app.services import audit

steering_only = require_roles(Role.PROVINCE_STAFF, Role.ACADEMY_STAFF, Role.CENTRAL_STAFF)
SteeringPrincipal = Annotated[Principal, Depends(steering_only)]

router = APIRouter(prefix="/steering", tags=["steering"], dependencies=[Depends(steering_only)])


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
