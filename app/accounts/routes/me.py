"""The caller's own account, for every role."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.accounts import logins as auth
from app.accounts.guards import CurrentPrincipal
from app.accounts.schemas import MeOut, PasswordChange
from app.accounts.users import get_me
from app.core.db.session import SessionDep
from app.core.hot_reads import HotCall, hot_read
from app.core.security.passwords import HASHING_BUSY_RESPONSE
from app.core.security.throttle import ClientIP, LoginThrottleDep

router = APIRouter(tags=["me"])


async def lean_me(call: HotCall) -> MeOut:
    """`/me` on the lean path (`core/hot_reads.py`): the same read."""
    return await get_me(call.db, call.principal)


@router.get("/me", operation_id="me-get")
@hot_read(lean_me)
async def me(principal: CurrentPrincipal, session: SessionDep) -> MeOut:
    """Who I am: role, title, level, my school, directorate and academy, and my apps."""
    return await get_me(session, principal)


@router.post(
    "/me/password",
    operation_id="me-change-password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=HASHING_BUSY_RESPONSE,
)
async def change_password(
    change: PasswordChange,
    principal: CurrentPrincipal,
    session: SessionDep,
    throttle: LoginThrottleDep,
    ip: ClientIP,
) -> None:
    """Change my password (the current one is required, and wrong ones are throttled like
    logins); my other devices are logged out."""
    await auth.change_password(
        session,
        principal,
        change.current_password,
        change.new_password,
        throttle=throttle,
        client_ip=ip,
    )
