"""FastAPI dependencies: the current principal and the role guards of each face."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import bindparam, select

from app.accounts.models import AuthSession, User
from app.core.db.audit_context import Actor, act_as
from app.core.db.prepared import Prepared, ReadConnection
from app.core.db.replicas import live_read
from app.core.db.session import SessionDep
from app.core.dispatch import RouteContext
from app.core.hot_reads import HotRoute, answer_of
from app.core.roles import STAFF_ROLES, TITLE_DUTIES, Duty, Role, StaffTitle
from app.core.routing import dependency_calls
from app.core.security.principal import Principal
from app.core.security.tokens import InvalidToken, get_token_codec
from app.errors import PROBLEM_MEDIA_TYPE, Forbidden, NotAuthenticated, ProblemError

# auto_error=False: a missing token answers our own 401 problem, not FastAPI's plain one.
_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


# The account and its login session, both live: the one statement every authenticated request
# runs, so it is compiled once and prepared on each connection.
_LIVE_ACCOUNT = Prepared(
    select(User.id, User.role, User.title, User.school_id, User.province_id, User.academy_id)
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(
        User.id == bindparam("user_id"),
        User.is_active.is_(True),
        AuthSession.id == bindparam("session_id"),
        AuthSession.revoked_at.is_(None),
    )
)


async def live_principal(db: ReadConnection, token: str) -> Principal | None:
    """The caller the access token names, if its account and login session are still live."""
    try:
        claims = get_token_codec().decode_access_token(token)
    except InvalidToken:
        return None
    row = await _LIVE_ACCOUNT.fetchrow(db, user_id=claims.user_id, session_id=claims.session_id)
    if row is None:
        return None
    return Principal(
        user_id=row["id"],
        session_id=claims.session_id,
        role=Role(row["role"]),
        title=StaffTitle(row["title"]) if row["title"] else None,
        school_id=row["school_id"],
        province_id=row["province_id"],
        academy_id=row["academy_id"],
    )


async def current_principal(
    request: Request, session: SessionDep, token: Annotated[str | None, Depends(_bearer)]
) -> Principal:
    """Verify the access token, then check the account and the login session are still live."""
    if not token:
        raise NotAuthenticated("auth.missing_token")
    principal = await live_read(request, session, lambda db: live_principal(db, token))
    if principal is None:
        raise NotAuthenticated()
    # Named in the request's access line (`core/middleware.py`).
    request.state.principal = principal
    # The audit triggers attribute this request's writes to the caller.
    act_as(session.sync_session, Actor(request, str(principal.user_id), principal.role.value))
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


# Each guard and the roles it lets through: what the authorization matrix test reads to know,
# for every route, which roles must be turned away.
GUARD_ROLES: dict[Callable[..., Awaitable[object]], frozenset[Role]] = {}


def require_roles(
    *roles: Role, refusal: str = "auth.role_not_allowed"
) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets only these roles through (403 for the others, saying `refusal`)."""
    allowed = frozenset(roles)

    async def guard(principal: CurrentPrincipal) -> Principal:
        if principal.role not in allowed:
            raise Forbidden(refusal)
        return principal

    GUARD_ROLES[guard] = allowed
    return guard


# One callable per guard, so a router-level guard and an endpoint's parameter share one call.
staff_only = require_roles(*STAFF_ROLES)
StaffPrincipal = Annotated[Principal, Depends(staff_only)]
teacher_only = require_roles(Role.TEACHER)
TeacherPrincipal = Annotated[Principal, Depends(teacher_only)]
student_only = require_roles(Role.STUDENT)
StudentPrincipal = Annotated[Principal, Depends(student_only)]
parent_only = require_roles(Role.PARENT)
ParentPrincipal = Annotated[Principal, Depends(parent_only)]
school_staff_only = require_roles(Role.SCHOOL_STAFF)
SchoolStaffPrincipal = Annotated[Principal, Depends(school_staff_only)]
# Some steering decisions are the school's own directorate's: academies and the ministry follow.
directorate_only = require_roles(Role.PROVINCE_STAFF)
DirectoratePrincipal = Annotated[Principal, Depends(directorate_only)]
ministry_only = require_roles(Role.CENTRAL_STAFF)
MinistryPrincipal = Annotated[Principal, Depends(ministry_only)]
# Independent candidates (candidats libres) are the academies' to register.
academy_only = require_roles(Role.ACADEMY_STAFF)
AcademyPrincipal = Annotated[Principal, Depends(academy_only)]
steering_only = require_roles(Role.PROVINCE_STAFF, Role.ACADEMY_STAFF, Role.CENTRAL_STAFF)
SteeringPrincipal = Annotated[Principal, Depends(steering_only)]
# API clients are registered by the ministry and the academies, not by the directorates.
academy_or_ministry = require_roles(Role.ACADEMY_STAFF, Role.CENTRAL_STAFF)
AcademyOrMinistryPrincipal = Annotated[Principal, Depends(academy_or_ministry)]


# Each duty's guard: what the authorization matrix reads to know, for every route, which of the
# school's posts must be turned away.
GUARD_DUTIES: dict[Callable[..., Awaitable[Principal]], Duty] = {}


def _require_duty(duty: Duty) -> Callable[[Principal], Awaitable[Principal]]:
    async def guard(principal: CurrentPrincipal) -> Principal:
        if principal.role is Role.SCHOOL_STAFF and (
            principal.title is None or duty not in TITLE_DUTIES[principal.title]
        ):
            raise ProblemError(403, "auth.title_not_allowed", kind="title-not-allowed")
        return principal

    GUARD_DUTIES[guard] = duty
    return guard


_DUTY_GUARDS = {duty: _require_duty(duty) for duty in Duty}


def duty(work: Duty, responses: dict[int | str, Any] | None = None) -> dict[str, Any]:
    """The options of a route (or of a router's inclusion) that only the school posts with this
    duty may use: the guard, and its 403 in the contract beside the route's other `responses`.
    Other roles pass: the faces' role guards decide for them."""
    posts = ", ".join(sorted(title for title, duties in TITLE_DUTIES.items() if work in duties))
    return {
        "dependencies": [Depends(_DUTY_GUARDS[work])],
        "responses": {
            **(responses or {}),
            403: {
                "description": f"`title-not-allowed`: the {work} duty is for these posts only:"
                f" {posts}.",
                "content": {PROBLEM_MEDIA_TYPE: {}},
            },
        },
    }


def hot_route_of(context: RouteContext) -> HotRoute | None:
    """A route's lean path (`core/hot_reads.py`), let through by the same role guards as the
    route; None for a route without one, or with a duty guard (the route checks titles)."""
    answer = answer_of(context.endpoint)
    if answer is None or context.methods != {"GET"} or context.dependant is None:
        return None
    calls = set(dependency_calls(context.dependant))
    if calls & GUARD_DUTIES.keys():
        return None
    guards = [GUARD_ROLES[call] for call in calls if call in GUARD_ROLES]
    roles = frozenset.intersection(*guards) if guards else frozenset(Role)
    return HotRoute(answer, roles, 304 in context.responses, live_principal)
