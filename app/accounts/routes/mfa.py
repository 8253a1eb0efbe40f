"""My second factor (staff only): enrol, confirm, disable."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import mfa
from app.accounts.guards import StaffPrincipal, staff_only
from app.accounts.models import User
from app.accounts.schemas import MfaCode, MfaEnrolment
from app.core.db.session import SessionDep
from app.core.security.principal import Principal
from app.core.security.throttle import ClientIP, LoginThrottleDep

router = APIRouter(prefix="/me/mfa", tags=["me"], dependencies=[Depends(staff_only)])


async def _me(session: SessionDep, principal: Principal) -> User:
    user = await session.get(User, principal.user_id)
    assert user is not None  # the principal was just read from this row
    return user


@router.post("/enrol", operation_id="me-mfa-enrol", status_code=status.HTTP_201_CREATED)
async def enrol(principal: StaffPrincipal, session: SessionDep) -> MfaEnrolment:
    """Start enrolling an authenticator: the secret and recovery codes are shown only now.

    MFA is active only after `POST /me/mfa/verify` with a code; enrolling again before that
    replaces the secret and the codes. With MFA active: 409 (disable it first).
    """
    return await mfa.enrol(session, await _me(session, principal))


# One of `mfa.confirm` / `mfa.disable`: true when the code proves the step.
CodeStep = Callable[[AsyncSession, uuid.UUID, str, datetime], Awaitable[bool]]


async def _prover(
    principal: StaffPrincipal, session: SessionDep, throttle: LoginThrottleDep, ip: ClientIP
) -> Callable[[CodeStep, str], Awaitable[None]]:
    """Proving a step with a code, under the login throttle: a wrong code counts as a failed
    login, so the six digits cannot be guessed through these routes either."""
    user = await _me(session, principal)

    async def prove(step: CodeStep, code: str) -> None:
        attempt = await throttle.begin(user.username, ip)
        if not await step(session, user.id, code, datetime.now(UTC)):
            await throttle.failed(attempt)
            raise mfa.wrong_code()
        await throttle.succeeded(attempt)

    return prove


Prover = Annotated[Callable[[CodeStep, str], Awaitable[None]], Depends(_prover)]


@router.post("/verify", operation_id="me-mfa-verify", status_code=status.HTTP_204_NO_CONTENT)
async def verify(body: MfaCode, prove: Prover) -> None:
    """Confirm the enrolment with a code from the authenticator; MFA is active from now on."""
    await prove(mfa.confirm, body.code)


@router.delete("", operation_id="me-mfa-disable", status_code=status.HTTP_204_NO_CONTENT)
async def disable(body: MfaCode, prove: Prover) -> None:
    """Turn MFA off, proven by a current code or a recovery code (a stolen token is not enough)."""
    await prove(mfa.disable, body.code)
