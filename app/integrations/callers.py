"""The API client as the caller of an integrator's route: its token checked, the client still
live, its calls counted and attributed to it, and its place in the tree as the scope of every
statement, like the staff of its unit."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlows
from fastapi.security import OAuth2
from sqlalchemy import bindparam, select

from app.accounts.guards import GUARD_ROLES
from app.core.db.audit_context import Actor, act_as
from app.core.db.prepared import Prepared
from app.core.db.replicas import fetch_live
from app.core.db.session import SessionDep
from app.core.roles import Level, Role
from app.core.security.principal import Principal
from app.core.security.throttle import RequestRateDep
from app.core.security.tokens import InvalidToken, get_token_codec
from app.errors import PROBLEM_MEDIA_TYPE, NotAuthenticated, ProblemError
from app.integrations.models import ApiClient
from app.integrations.scopes import ApiScope

log = logging.getLogger(__name__)

API_CLIENT_ACTOR = "api_client"

# The OpenAPI security scheme of integrators' routes: OAuth2 client credentials.
_client_credentials = OAuth2(
    flows=OAuthFlows(
        clientCredentials=OAuthFlowClientCredentials(
            tokenUrl="/api/v1/auth/token", scopes={scope.value: scope.name for scope in ApiScope}
        )
    ),
    scheme_name="ApiClient",
    auto_error=False,
)

# The live client: not revoked. Read on every call, so a revocation takes effect at once.
_LIVE_CLIENT = Prepared(
    select(
        ApiClient.owner_level, ApiClient.province_id, ApiClient.academy_id, ApiClient.scopes
    ).where(ApiClient.id == bindparam("client_id"), ApiClient.revoked_at.is_(None))
)

# The staff whose part of the tree a client of each level reads.
_STAFF_OF_LEVEL = {
    Level.CENTRAL: Role.CENTRAL_STAFF,
    Level.ACADEMY: Role.ACADEMY_STAFF,
    Level.PROVINCE: Role.PROVINCE_STAFF,
}


@dataclass(frozen=True, slots=True)
class ApiCaller:
    """An API client calling, with the scopes of its token that it still holds."""

    client_id: uuid.UUID
    scopes: frozenset[ApiScope]
    level: Level
    province_id: uuid.UUID | None
    academy_id: uuid.UUID | None

    @property
    def unit(self) -> Principal:
        """The client's unit as the principal the scope functions read (`school_scope`,
        `owned_within`): they read only a level and a place, so a client sees exactly what
        its unit's staff see. It never reaches a staff route: those read `current_principal`,
        which refuses a client's token."""
        return Principal(
            user_id=self.client_id,
            session_id=self.client_id,
            role=_STAFF_OF_LEVEL[self.level],
            title=None,
            school_id=None,
            province_id=self.province_id,
            academy_id=self.academy_id,
        )


async def api_client_only(
    request: Request,
    session: SessionDep,
    rate: RequestRateDep,
    token: Annotated[str | None, Depends(_client_credentials)],
) -> ApiCaller:
    """An API client's token, its client live; a person's token answers 403."""
    if not token or not token.lower().startswith("bearer "):
        raise NotAuthenticated("auth.missing_token")
    codec = get_token_codec()
    try:
        claims = codec.decode_client_token(token[7:].strip())
    except InvalidToken:
        _refuse_logins(token[7:].strip())
        raise NotAuthenticated() from None
    row = await fetch_live(request, session, _LIVE_CLIENT, client_id=claims.client_id)
    if row is None:
        raise NotAuthenticated()
    await rate.count(str(claims.client_id))
    held = {ApiScope(name) for name in row["scopes"]}
    caller = ApiCaller(
        client_id=claims.client_id,
        scopes=frozenset(scope for scope in held if scope.value in claims.scopes),
        level=Level(row["owner_level"]),
        province_id=row["province_id"],
        academy_id=row["academy_id"],
    )
    # Whatever the call writes is the client's; each call leaves a line naming it.
    act_as(session.sync_session, Actor(request, str(caller.client_id), API_CLIENT_ACTOR))
    log.info(
        "api client call client_id=%s %s %s", caller.client_id, request.method, request.url.path
    )
    return caller


def _refuse_logins(token: str) -> None:
    """A valid token of a person (a pupil, a teacher, staff) is no client's: 403."""
    try:
        get_token_codec().decode_access_token(token)
    except InvalidToken:
        return
    raise ProblemError(403, "integrations.clients_only", kind="clients-only")


GUARD_ROLES[api_client_only] = frozenset()  # no person's role: API clients only
ApiCallerDep = Annotated[ApiCaller, Depends(api_client_only)]


# Each scope's guard: what the authorization matrix reads to know which scope a route needs.
GUARD_SCOPES: dict[Callable[..., Awaitable[ApiCaller]], ApiScope] = {}


def insufficient_scope(scope: ApiScope) -> ProblemError:
    """The 403 of a token that lacks `scope`, with RFC 6750's challenge."""
    return ProblemError(
        403,
        "integrations.insufficient_scope",
        kind="insufficient-scope",
        headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'},
        extensions={"scope": scope.value},
    )


def require_scope(scope: ApiScope) -> Callable[[ApiCaller], Awaitable[ApiCaller]]:
    """A dependency that lets through only a client whose token carries `scope` (403
    `insufficient-scope` otherwise, with RFC 6750's challenge)."""

    async def guard(caller: ApiCallerDep) -> ApiCaller:
        if scope not in caller.scopes:
            raise insufficient_scope(scope)
        return caller

    GUARD_SCOPES[guard] = scope
    return guard


def scoped(scope: ApiScope) -> dict[str, Any]:
    """The options of a route that needs `scope`: the guard and its 403 in the contract."""
    return {
        "dependencies": [Depends(require_scope(scope))],
        "responses": {
            403: {
                "description": f"`insufficient-scope`: the token lacks `{scope}`; or the"
                " token is a person's, not an API client's (`clients-only`).",
                "content": {PROBLEM_MEDIA_TYPE: {}},
            }
        },
    }
