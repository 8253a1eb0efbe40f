"""API clients on the steering face (central and academy staff), and the public keys that
verify this service's tokens."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, status

from app.accounts.guards import AcademyOrMinistryPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.core.security.tokens import get_token_codec
from app.errors import NotFound
from app.integrations import clients
from app.integrations.schemas import (
    ApiClientCredentials,
    ApiClientIn,
    ApiClientOut,
    JsonWebKeySet,
)

router = APIRouter(prefix="/api-clients")
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such client in my part of the tree."}
}


@router.post(
    "",
    operation_id="steering-create-api-client",
    status_code=status.HTTP_201_CREATED,
    responses={404: {"description": "The unit is not in my part of the tree."}},
)
async def create_api_client(
    body: ApiClientIn, principal: AcademyOrMinistryPrincipal, session: SessionDep
) -> ApiClientCredentials:
    """Register an integrator's client for my unit or a unit below it. The secret is in this
    answer only: keep it; a lost secret is rotated, never shown again."""
    return await clients.create_client(session, principal, body)


@router.get("", operation_id="steering-api-clients")
async def list_api_clients(
    principal: AcademyOrMinistryPrincipal, session: SessionDep, page: PageParams
) -> Page[ApiClientOut]:
    """The clients of my part of the tree, newest first, revoked ones included."""
    return await clients.list_clients(session, principal, page)


@router.get("/{client_id}", operation_id="steering-api-client", responses=_NOT_FOUND)
async def read_api_client(
    client_id: uuid.UUID, principal: AcademyOrMinistryPrincipal, session: SessionDep
) -> ApiClientOut:
    """One client of my part of the tree."""
    return ApiClientOut.of(await clients.read_client(session, principal, client_id))


@router.post(
    "/{client_id}/secret",
    operation_id="steering-rotate-api-client-secret",
    responses={**_NOT_FOUND, 422: {"description": "The client is revoked."}},
)
async def rotate_api_client_secret(
    client_id: uuid.UUID, principal: AcademyOrMinistryPrincipal, session: SessionDep
) -> ApiClientCredentials:
    """A new secret, shown once; the old one stops working at once."""
    return await clients.rotate_secret(session, principal, client_id)


@router.post("/{client_id}/revoke", operation_id="steering-revoke-api-client", responses=_NOT_FOUND)
async def revoke_api_client(
    client_id: uuid.UUID, principal: AcademyOrMinistryPrincipal, session: SessionDep
) -> ApiClientOut:
    """End the client: no new token, and its live tokens refused from their next call."""
    return await clients.revoke_client(session, principal, client_id)


keys_router = APIRouter(tags=["auth"])


@keys_router.get(
    "/.well-known/jwks.json",
    operation_id="auth-jwks",
    responses={404: {"description": "Tokens are signed with a shared secret (HS256)."}},
)
async def jwks() -> JsonWebKeySet:
    """The public keys that verify this service's tokens, by `kid`, when they are signed with
    RS256 (a rotation's older keys included)."""
    keys = get_token_codec().public_jwks()
    if not keys:
        raise NotFound()
    return JsonWebKeySet(keys=keys)
