"""Pre-registration's operations, one router per face: the public (finding a school, signing
up), the parent app (asking for a place), the school (deciding, and making pupils when the
year opens)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from app.academics.calendar import NEEDS_CURRENT_YEAR
from app.accounts.guards import ParentPrincipal, SchoolStaffPrincipal, duty
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.roles import Duty
from app.core.schemas import Page
from app.core.security.passwords import HASHING_BUSY_RESPONSE, HashingAdmission
from app.core.security.throttle import ClientIP, LoginThrottleDep
from app.errors import PROBLEM_MEDIA_TYPE
from app.preregistration import enrolment, openings, registrations, signups
from app.preregistration.models import PreregistrationStatus
from app.preregistration.schemas import (
    EnrolIn,
    EnrolmentReport,
    OpeningIn,
    OpeningOut,
    ParentAccountOut,
    PreregistrationDecisionIn,
    PreregistrationIn,
    PreregistrationOut,
    SchoolPreregistrationOut,
    SchoolTakingRegistrations,
    SignupIn,
    SignupOut,
    SignupVerificationIn,
)


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_MEDIA_TYPE: {}}}


_THROTTLED: dict[int | str, dict[str, Any]] = {
    429: _problem("Too many sign-ups or tries for this contact or client; see Retry-After.")
}

# ---- the public ------------------------------------------------------------------------------

public_router = APIRouter(prefix="/preregistration")


@public_router.get(
    "/schools", operation_id="public-preregistration-schools", responses=NEEDS_CURRENT_YEAR
)
async def schools(
    session: SessionDep,
    page: PageParams,
    commune: Annotated[str, Query(min_length=1, max_length=120)],
) -> Page[SchoolTakingRegistrations]:
    """The primary schools of a commune that take pre-registrations for 1AP next year."""
    return await openings.schools_in_commune(session, commune, page)


@public_router.post(
    "/sign-up",
    operation_id="public-preregistration-sign-up",
    status_code=status.HTTP_202_ACCEPTED,
    responses=_THROTTLED,
)
async def sign_up(
    body: SignupIn, session: SessionDep, throttle: LoginThrottleDep, ip: ClientIP
) -> SignupOut:
    """Sign up as a parent: a one-time code is sent to the phone number (SMS) or email
    address given, valid 15 minutes. Confirm it with `POST /public/preregistration/verify`.

    The answer is the same whether or not the contact has an account already (its owner is
    told so at that address instead of getting a code)."""
    return await signups.start_signup(session, throttle, ip, body)


@public_router.post(
    "/verify",
    operation_id="public-preregistration-verify",
    status_code=status.HTTP_201_CREATED,
    responses={
        401: _problem("The code is wrong, spent (five tries) or expired; the try counts."),
        409: _problem("An account exists already for this contact or this identity card."),
        **_THROTTLED,
        **HASHING_BUSY_RESPONSE,
    },
)
async def verify(
    body: SignupVerificationIn,
    _admitted: HashingAdmission,
    session: SessionDep,
    throttle: LoginThrottleDep,
    ip: ClientIP,
) -> ParentAccountOut:
    """Confirm the code and set a password: the parent account opens, and its login is the
    verified phone number or email address (`POST /auth/token`)."""
    try:
        return await signups.verify_signup(session, throttle, ip, body)
    except signups.CodeRefused:
        # The try is counted on the sign-up: it must outlast the refusal.
        await session.commit()
        raise


# ---- the parent app --------------------------------------------------------------------------

parent_router = APIRouter()


@parent_router.get("/preregistrations", operation_id="parent-preregistrations")
async def my_preregistrations(
    principal: ParentPrincipal, session: SessionDep
) -> list[PreregistrationOut]:
    """My children's pre-registrations and what the schools decided."""
    return await registrations.parent_preregistrations(session, principal)


@parent_router.post(
    "/preregistrations",
    operation_id="parent-preregister-child",
    status_code=status.HTTP_201_CREATED,
    responses={
        404: _problem("No active primary school has this id."),
        409: _problem(
            "`registrations-closed`: the school takes no registrations for next year; or the"
            " child is pre-registered already for that year."
        ),
        422: _problem("Invalid data; `wrong-age` when the child is not of age for 1AP."),
    },
)
async def preregister(
    body: PreregistrationIn, principal: ParentPrincipal, session: SessionDep
) -> PreregistrationOut:
    """Pre-register my child for 1AP next year at a school that takes registrations (for year
    N, a child born in N - 6)."""
    return await registrations.preregister(session, principal, body)


# ---- the school ------------------------------------------------------------------------------

school_router = APIRouter(prefix="/preregistrations")


@school_router.get("", operation_id="school-preregistrations", responses=NEEDS_CURRENT_YEAR)
async def school_preregistrations(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    school_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    status: PreregistrationStatus | None = None,
) -> Page[SchoolPreregistrationOut]:
    """The school's pre-registrations for a year (next year by default), oldest first."""
    return await registrations.school_preregistrations(
        session, principal, page, school_year=school_year, status=status
    )


@school_router.get(
    "/opening", operation_id="school-preregistration-opening", responses=NEEDS_CURRENT_YEAR
)
async def get_opening(principal: SchoolStaffPrincipal, session: SessionDep) -> OpeningOut:
    """Whether the school takes pre-registrations for next year."""
    return await openings.opening(session, principal)


@school_router.put(
    "/opening",
    operation_id="school-set-preregistration-opening",
    **duty(Duty.RECORDS, {409: _problem("`not-a-primary-school`, or `no-current-year`.")}),
)
async def set_opening(
    body: OpeningIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> OpeningOut:
    """Open or close the school's pre-registrations for next year (primary schools)."""
    return await openings.set_opening(session, principal, body.is_open)


@school_router.post(
    "/{preregistration_id}/decision",
    operation_id="school-decide-preregistration",
    **duty(Duty.RECORDS, {409: _problem("`workflow-not-allowed` in the request's state.")}),
)
async def decide(
    preregistration_id: uuid.UUID,
    body: PreregistrationDecisionIn,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
) -> SchoolPreregistrationOut:
    """Accept, waitlist or refuse (with a reason) a pre-registration; the parent is notified."""
    return await registrations.decide(session, principal, preregistration_id, body)


@school_router.post(
    "/enrol",
    operation_id="school-enrol-preregistered",
    **duty(Duty.RECORDS, {409: _problem("`school-year-not-open`: the year is not opened yet.")}),
)
async def enrol(
    body: EnrolIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> EnrolmentReport:
    """Once the year opens: every accepted child becomes a pupil with a Massar code, in the
    1AP class given or unplaced, and the parent's guardian link is verified. One transaction,
    a row per request; a replay changes nothing and reports `already`."""
    return await enrolment.enrol_accepted(session, principal, body)
