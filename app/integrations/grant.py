"""The client-credentials grant (RFC 6749 §4.4): an API client trades its id and secret for a
short-lived access token of the scopes it asks for (all of its own when it names none)."""

from __future__ import annotations

import base64
import binascii
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote_plus

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security.throttle import LoginThrottle
from app.core.security.tokens import get_token_codec
from app.integrations.clients import secret_matches
from app.integrations.models import ApiClient
from app.integrations.schemas import ClientToken
from app.integrations.scopes import ApiScope, scopes_named

log = logging.getLogger(__name__)


class OAuthProblem(Exception):
    """A token error as RFC 6749 §5.2 words it: `error`, and 401 with a challenge for a client
    that authenticated with HTTP Basic."""

    def __init__(self, error: str, description: str, *, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status
        self.headers: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class ClientCredentials:
    client_id: str
    client_secret: str
    by_basic: bool  # sent in the Authorization header rather than in the body


def credentials_of(form: Mapping[str, str], authorization: str | None) -> ClientCredentials:
    """The client's id and secret, from HTTP Basic (§2.3.1, form-encoded) or the body; both at
    once is refused (§2.3)."""
    in_body = "client_id" in form or "client_secret" in form
    if authorization and authorization.lower().startswith("basic "):
        if in_body:
            raise OAuthProblem("invalid_request", "use one way to authenticate the client")
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise _invalid_client(by_basic=True) from None
        user, colon, password = decoded.partition(":")
        if not colon:
            raise _invalid_client(by_basic=True)
        return ClientCredentials(unquote_plus(user), unquote_plus(password), True)
    if not form.get("client_id") or not form.get("client_secret"):
        raise OAuthProblem("invalid_client", "client authentication is required", status=401)
    return ClientCredentials(form["client_id"], form["client_secret"], False)


def _invalid_client(*, by_basic: bool) -> OAuthProblem:
    problem = OAuthProblem("invalid_client", "client authentication failed", status=401)
    if by_basic:
        problem.headers = {"WWW-Authenticate": 'Basic realm="massar-api"'}
    return problem


async def grant_client_token(
    session: AsyncSession,
    credentials: ClientCredentials,
    requested_scope: str | None,
    *,
    throttle: LoginThrottle,
    client_ip: str,
) -> ClientToken:
    """Check the client and its secret, then the scopes it asks for; a token of them."""
    attempt = await throttle.begin("client:" + credentials.client_id, client_ip)
    client = await _live_client(session, credentials.client_id)
    if client is None or not secret_matches(client, credentials.client_secret):
        await throttle.failed(attempt)
        log.info("client token refused client_id=%s", client.id if client else None)
        raise _invalid_client(by_basic=credentials.by_basic)
    await throttle.succeeded(attempt)
    granted, scope = _granted(client, requested_scope)
    issued = get_token_codec().issue_client_token(client.id, frozenset(granted))
    log.info("client token issued client_id=%s scope=%s", client.id, scope)
    return ClientToken(access_token=issued.token, expires_in=issued.expires_in, scope=scope)


async def _live_client(session: AsyncSession, client_id: str) -> ApiClient | None:
    try:
        key = uuid.UUID(client_id)
    except ValueError:
        return None
    return await session.scalar(
        select(ApiClient).where(ApiClient.id == key, ApiClient.revoked_at.is_(None))
    )


def _granted(client: ApiClient, requested: str | None) -> tuple[set[ApiScope], str]:
    """The scopes the token carries, and the `scope` the answer names: as asked (every name
    known and within the client's), or all of the client's when it asked for none."""
    own = {ApiScope(name) for name in client.scopes}
    names = (requested or "").split()
    if not names:
        return own, " ".join(sorted(own))
    granted: set[ApiScope] = set()
    for name in names:
        scopes = scopes_named(name)
        if scopes is None or not scopes <= own:
            raise OAuthProblem("invalid_scope", f"scope not granted to this client: {name}")
        granted |= scopes
    return granted, " ".join(names)
