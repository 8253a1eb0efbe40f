"""Request and response shapes of API clients and their tokens."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from app.core.roles import Level
from app.core.schemas import Schema
from app.integrations.models import CLIENT_NAME_MAX
from app.integrations.scopes import ApiScope


class ApiClientIn(Schema):
    """A new API client: its name, the unit whose part of the tree it reads (the caller's own
    unit when omitted; an academy or a directorate within it otherwise) and its scopes."""

    name: str = Field(min_length=1, max_length=CLIENT_NAME_MAX, examples=["Portail Minhaty"])
    unit_id: uuid.UUID | None = None
    scopes: list[ApiScope] = Field(min_length=1, max_length=len(ApiScope))


class ApiClientOut(Schema):
    """An API client; `id` is its OAuth2 `client_id`."""

    id: uuid.UUID
    name: str
    owner_level: Level
    academy_id: uuid.UUID | None
    province_id: uuid.UUID | None
    scopes: list[ApiScope]
    created_at: datetime
    secret_set_at: datetime
    revoked_at: datetime | None


class ApiClientCredentials(ApiClientOut):
    """The client with its secret: shown once, at creation and at each rotation."""

    client_secret: str


class ClientToken(Schema):
    """An access token of an API client (RFC 6749 §4.4.3): no refresh token."""

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - a token type, no secret
    expires_in: int
    scope: str = Field(description="The granted scopes, space-separated.")


class OAuthError(Schema):
    """An OAuth2 token error (RFC 6749 §5.2), as standard OAuth2 libraries read it."""

    error: Literal["invalid_request", "invalid_client", "invalid_scope", "unsupported_grant_type"]
    error_description: str | None = None


class JsonWebKeySet(Schema):
    """The public keys that verify this service's tokens (RFC 7517)."""

    keys: list[dict[str, str]]
