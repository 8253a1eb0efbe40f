"""Who is acting, handed to the audit triggers as transaction-local settings.

The triggers on the business tables read `massar.actor_id`, `massar.actor_role`,
`massar.request_id` and `massar.client_ip` (`set_config(..., true)`: they end with the
transaction, so a pooled connection never carries them to the next request). Writes with no
settings at all (CLI, demo seed, migrations) are recorded as the "system" actor.
"""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Callable
from typing import Any

from fastapi.dependencies.models import Dependant
from sqlalchemy import ColumnElement, String, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from starlette.requests import Request

from app.core.security.throttle import client_ip
from app.settings import get_settings

# The actor_role of writes by nobody logged in: "system" when there is no request at all (CLI,
# demo seed, migrations: the trigger's default), "anonymous" for a request without a principal.
SYSTEM_ACTOR = "system"
ANONYMOUS_ACTOR = "anonymous"


def _client_ip(request: Request) -> str:
    """The client's address (behind a trusted proxy, the one it forwarded), or '' when it is
    not an IP (the trigger casts it to inet)."""
    host = client_ip(request, get_settings().trusted_proxies)
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return ""


def _request_id(request: Request) -> str:
    # Set by RequestContextMiddleware for every HTTP request.
    return str(getattr(request.state, "request_id", ""))


def _settings(
    request: Request, actor_id: str, role: InstrumentedAttribute[Any] | str
) -> ColumnElement[str]:
    """One expression that sets all four settings; concatenated so it is a single column."""
    values: dict[str, InstrumentedAttribute[Any] | str] = {
        "massar.actor_id": actor_id,
        "massar.actor_role": role,
        "massar.request_id": _request_id(request),
        "massar.client_ip": _client_ip(request),
    }
    calls = [
        func.set_config(name, literal(value) if isinstance(value, str) else value, True)
        for name, value in values.items()
    ]
    return func.concat(*calls, type_=String)


def actor_settings(
    request: Request, actor_id: uuid.UUID, role: InstrumentedAttribute[Any]
) -> ColumnElement[str]:
    """A column to add to the principal's own query: the settings cost no extra round trip."""
    return _settings(request, str(actor_id), role).label("audit_context")


# The dependencies that identify the caller and set the actor in their own statement (the
# principal's): a route that has none of them is written by nobody logged in, whatever its
# Authorization header says.
_ACTOR_DEPENDENCIES: set[Callable[..., Any]] = set()


def identifies_actor(dependency: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a dependency that sets the audit actor itself (see `actor_settings`)."""
    _ACTOR_DEPENDENCIES.add(dependency)
    return dependency


def names_its_actor(route: object) -> bool:
    """Whether the route's dependencies include one that sets the audit actor."""
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return False
    known = _ROUTES_NAMING_ACTOR.get(id(route))
    if known is None:
        known = _ROUTES_NAMING_ACTOR[id(route)] = (route, _depends_on_actor(dependant))
    return known[1]


# Worked out once per route, on its first request; the route is held so its id stays its own
# (routes are not hashable, and live as long as their app).
_ROUTES_NAMING_ACTOR: dict[int, tuple[object, bool]] = {}


def _depends_on_actor(dependant: Dependant) -> bool:
    return any(
        sub.call in _ACTOR_DEPENDENCIES or _depends_on_actor(sub) for sub in dependant.dependencies
    )


async def set_anonymous(session: AsyncSession, request: Request) -> None:
    """For a request without a principal (a login): its request id and IP, no actor.

    Also clears an actor left by an earlier request in the same transaction (the tests run
    many requests in one).
    """
    await session.execute(select(_settings(request, "", ANONYMOUS_ACTOR)))
