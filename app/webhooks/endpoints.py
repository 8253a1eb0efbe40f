"""An API client's own webhook endpoints: registered with the events its scopes allow, the
secret shown once and kept sealed, changed, turned off and on, rotated, removed; and the log of
their deliveries. Another client's endpoint is not found, whatever its unit."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.listing import found, page_of
from app.core.pagination import PageRequest
from app.core.schemas import Page
from app.core.security.sealing import seal
from app.errors import invalid
from app.integrations.callers import ApiCaller, insufficient_scope
from app.settings import Environment, get_settings
from app.webhooks.addresses import names_local_network
from app.webhooks.events import EVENT_SCOPES
from app.webhooks.models import EventType, WebhookDelivery, WebhookEndpoint
from app.webhooks.schemas import (
    WebhookDeliveryOut,
    WebhookEndpointIn,
    WebhookEndpointOut,
    WebhookEndpointPatch,
    WebhookEndpointSecret,
)
from app.webhooks.signing import new_secret

log = logging.getLogger(__name__)


def endpoint_out(endpoint: WebhookEndpoint) -> WebhookEndpointOut:
    return WebhookEndpointOut.of(endpoint, enabled=endpoint.disabled_at is None)


def _with_secret(endpoint: WebhookEndpoint, secret: str) -> WebhookEndpointSecret:
    return WebhookEndpointSecret.of(endpoint, enabled=endpoint.disabled_at is None, secret=secret)


def _sealed(secret: str) -> bytes:
    return seal(secret, get_settings().webhook_secret_key)


def _allowed_events(caller: ApiCaller, events: list[EventType]) -> list[str]:
    """The events, each within the token's scopes (403 `insufficient-scope` otherwise)."""
    for event in events:
        if EVENT_SCOPES[event] not in caller.scopes:
            raise insufficient_scope(EVENT_SCOPES[event])
    return sorted({event.value for event in events})


def _checked_url(url: str) -> str:
    """Outside development the worker posts only over https and never to an address of the
    service's own network: a client could otherwise make it call internal services. A name
    is checked again at each delivery, on what it resolves to (`addresses.py`)."""
    if get_settings().environment != Environment.PROD:
        return url
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise invalid("body.url", "the URL must use https", "not_https")
    if names_local_network(parts.hostname or ""):
        raise invalid("body.url", "the URL names a private address", "private_address")
    return url


async def create_endpoint(
    session: AsyncSession, caller: ApiCaller, body: WebhookEndpointIn
) -> WebhookEndpointSecret:
    """Register an endpoint of the calling client; its secret, once."""
    secret = new_secret()
    endpoint = WebhookEndpoint(
        client_id=caller.client_id,
        url=_checked_url(body.url),
        events=_allowed_events(caller, body.events),
        secret_sealed=_sealed(secret),
    )
    session.add(endpoint)
    await session.flush()
    await session.refresh(endpoint)
    log.info("webhook endpoint created id=%s client_id=%s", endpoint.id, caller.client_id)
    return _with_secret(endpoint, secret)


async def list_endpoints(
    session: AsyncSession, caller: ApiCaller, page: PageRequest
) -> Page[WebhookEndpointOut]:
    """The calling client's endpoints, oldest first."""
    statement = select(WebhookEndpoint).where(WebhookEndpoint.client_id == caller.client_id)
    return await page_of(
        session,
        statement,
        (WebhookEndpoint.created_at, WebhookEndpoint.id),
        page,
        lambda row: endpoint_out(row[0]),
    )


async def read_endpoint(
    session: AsyncSession, caller: ApiCaller, endpoint_id: uuid.UUID, *, for_change: bool = False
) -> WebhookEndpoint:
    """An endpoint of the calling client; 404 for any other."""
    statement = select(WebhookEndpoint).where(
        WebhookEndpoint.id == endpoint_id, WebhookEndpoint.client_id == caller.client_id
    )
    if for_change:
        statement = statement.with_for_update()
    return found(await session.scalar(statement))


async def change_endpoint(
    session: AsyncSession, caller: ApiCaller, endpoint_id: uuid.UUID, patch: WebhookEndpointPatch
) -> WebhookEndpointOut:
    """Change the URL or the events, or turn the endpoint off or on."""
    endpoint = await read_endpoint(session, caller, endpoint_id, for_change=True)
    changes = patch.changes()
    if "url" in changes:
        endpoint.url = _checked_url(changes["url"])
    if "events" in changes:
        endpoint.events = _allowed_events(caller, changes["events"])
    if "enabled" in changes:
        off = not changes["enabled"]
        endpoint.disabled_at = (endpoint.disabled_at or datetime.now(UTC)) if off else None
    await session.flush()
    await session.refresh(endpoint)
    return endpoint_out(endpoint)


async def rotate_secret(
    session: AsyncSession, caller: ApiCaller, endpoint_id: uuid.UUID
) -> WebhookEndpointSecret:
    """A new secret, shown once: every delivery from now on is signed with it, retries of
    earlier events included."""
    endpoint = await read_endpoint(session, caller, endpoint_id, for_change=True)
    secret = new_secret()
    endpoint.secret_sealed = _sealed(secret)
    endpoint.secret_set_at = datetime.now(UTC)
    await session.flush()
    await session.refresh(endpoint)
    log.info("webhook secret rotated id=%s client_id=%s", endpoint.id, caller.client_id)
    return _with_secret(endpoint, secret)


async def remove_endpoint(session: AsyncSession, caller: ApiCaller, endpoint_id: uuid.UUID) -> None:
    """Remove an endpoint, its queued deliveries and its log."""
    endpoint = await read_endpoint(session, caller, endpoint_id, for_change=True)
    await session.delete(endpoint)
    await session.flush()


async def list_deliveries(
    session: AsyncSession, caller: ApiCaller, endpoint_id: uuid.UUID, page: PageRequest
) -> Page[WebhookDeliveryOut]:
    """An endpoint's deliveries, newest first."""
    endpoint = await read_endpoint(session, caller, endpoint_id)
    statement = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
    return await page_of(
        session,
        statement,
        (WebhookDelivery.created_at, WebhookDelivery.id),
        page,
        lambda row: WebhookDeliveryOut.of(row[0]),
        descending=True,
    )
