"""The caller's own account, for every role."""

from __future__ import annotations

from fastapi import APIRouter

from app.db.session import SessionDep
from app.schemas.me import MeOut
from app.security.deps import CurrentPrincipal
from app.services.accounts import get_me

router = APIRouter(tags=["me"])


@router.get("/me", operation_id="me-get")
async def me(principal: CurrentPrincipal, session: SessionDep) -> MeOut:
    """Who I am: role, title, level, my school, directorate and academy, and my apps."""
    return await get_me(session, principal)
