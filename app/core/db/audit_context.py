"""Who is acting, handed to the audit triggers as transaction-local settings.

The triggers on the business tables read `massar.actor_id`, `massar.actor_role`,
`massar.request_id` and `massar.client_ip` (`set_config(..., true)`: they end with the
transaction, so a pooled connection never carries them to the next request). Writes with no
settings at all (CLI, demo seed, migrations) are recorded as the "system" actor.
"""

from __future__ import annotations

import ipaddress
import uuid
from typing import Any

from sqlalchemy import ColumnElement, String, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from starlette.requests import Request

# The actor_role of writes by nobody logged in: "system" when there is no request at all (CLI,
# demo seed, migrations: the trigger's default), "anonymous" for a request without a principal.
SYSTEM_ACTOR = "system"
ANONYMOUS_ACTOR = "anonymous"


def _client_ip(request: Request) -> str:
    """The peer's address, or '' when it is not an IP (the trigger casts it to inet)."""
    host = request.client.host if request.client else ""
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


async def set_anonymous(session: AsyncSession, request: Request) -> None:
    """For a request without a principal (a login): its request id and IP, no actor.

    Also clears an actor left by an earlier request in the same transaction (the tests run
    many requests in one).
    """
    await session.execute(select(_settings(request, "", ANONYMOUS_ACTOR)))
