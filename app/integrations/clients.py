"""Registering API clients: created by central and academy staff for their unit or one below
it, their secret shown once and kept as a digest, rotated and revoked. A client outside the
caller's part of the tree is not found."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.listing import found, page_of
from app.core.ownership import owned_within, owner_place
from app.core.pagination import PageRequest
from app.core.roles import Level
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.errors import invalid
from app.integrations.models import ApiClient
from app.integrations.schemas import ApiClientCredentials, ApiClientIn, ApiClientOut
from app.organisation.models import Province
from app.organisation.schemas import UnitLevel
from app.organisation.units import find_unit

log = logging.getLogger(__name__)


def new_client_secret() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def secret_digest(secret: str) -> bytes:
    # A fast hash is right here, as for refresh tokens: the secret is 256 random bits, so
    # there is nothing to brute-force, and argon2 would cost every token request a hashing
    # thread that logins need.
    return hashlib.sha256(secret.encode()).digest()


def secret_matches(client: ApiClient, secret: str) -> bool:
    return hmac.compare_digest(client.secret_digest, secret_digest(secret))


async def create_client(
    session: AsyncSession, principal: Principal, body: ApiClientIn
) -> ApiClientCredentials:
    """Register a client of the caller's unit or of a unit below it; its secret, once."""
    place = await _owner_place(session, principal, body.unit_id)
    secret = new_client_secret()
    client = ApiClient(
        name=body.name,
        scopes=sorted(set(body.scopes)),
        secret_digest=secret_digest(secret),
        created_by=principal.user_id,
        **place,
    )
    session.add(client)
    await session.flush()
    await session.refresh(client)
    log.info("api client created client_id=%s by user_id=%s", client.id, principal.user_id)
    return ApiClientCredentials.of(client, client_secret=secret)


async def _owner_place(
    session: AsyncSession, principal: Principal, unit_id: uuid.UUID | None
) -> dict[str, Any]:
    """The owner columns of a client of `unit_id` (the caller's own unit when None); 404 for a
    unit outside the caller's part of the tree, 422 for a school."""
    if unit_id is None:
        return owner_place(principal)
    unit = await find_unit(session, principal, unit_id)
    match unit.level:
        case UnitLevel.ACADEMY:
            return {"owner_level": Level.ACADEMY, "academy_id": unit.id}
        case UnitLevel.PROVINCE:
            academy_id = await session.scalar(
                select(Province.academy_id).where(Province.id == unit.id)
            )
            return {"owner_level": Level.PROVINCE, "province_id": unit.id, "academy_id": academy_id}
        case _:
            raise invalid(
                "body.unit_id", "a client belongs to an academy or a directorate", "not_a_unit"
            )


async def list_clients(
    session: AsyncSession, principal: Principal, page: PageRequest
) -> Page[ApiClientOut]:
    """The clients of the caller's part of the tree, newest first."""
    statement = select(ApiClient).where(owned_within(principal, ApiClient))
    return await page_of(
        session,
        statement,
        (ApiClient.created_at, ApiClient.id),
        page,
        lambda row: ApiClientOut.of(row[0]),
        descending=True,
    )


async def read_client(
    session: AsyncSession, principal: Principal, client_id: uuid.UUID
) -> ApiClient:
    """A client of the caller's part of the tree; 404 for any other."""
    return found(
        await session.scalar(
            select(ApiClient).where(ApiClient.id == client_id, owned_within(principal, ApiClient))
        )
    )


async def rotate_secret(
    session: AsyncSession, principal: Principal, client_id: uuid.UUID
) -> ApiClientCredentials:
    """A new secret for a live client; the old one stops working at once (its tokens live on
    until they expire, minutes at most)."""
    client = await _for_change(session, principal, client_id)
    if client.revoked_at is not None:
        raise invalid("path.client_id", "this client is revoked", "revoked")
    secret = new_client_secret()
    client.secret_digest = secret_digest(secret)
    client.secret_set_at = datetime.now(UTC)
    await session.flush()
    log.info("api client secret rotated client_id=%s by user_id=%s", client.id, principal.user_id)
    return ApiClientCredentials.of(client, client_secret=secret)


async def revoke_client(
    session: AsyncSession, principal: Principal, client_id: uuid.UUID
) -> ApiClientOut:
    """End a client: no new token, and its live tokens refused at their next request."""
    client = await _for_change(session, principal, client_id)
    client.revoked_at = client.revoked_at or datetime.now(UTC)
    await session.flush()
    log.info("api client revoked client_id=%s by user_id=%s", client.id, principal.user_id)
    return ApiClientOut.of(client)


async def _for_change(
    session: AsyncSession, principal: Principal, client_id: uuid.UUID
) -> ApiClient:
    return found(
        await session.scalar(
            select(ApiClient)
            .where(ApiClient.id == client_id, owned_within(principal, ApiClient))
            .with_for_update()
        )
    )
