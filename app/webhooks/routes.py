"""The calling API client's webhook endpoints and their delivery log. Mounted by the
integrators' face, which keeps its guard; an endpoint of another client answers 404."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, status

from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.errors import PROBLEM_MEDIA_TYPE
from app.integrations.callers import ApiCallerDep
from app.webhooks import endpoints
from app.webhooks.schemas import (
    WebhookDeliveryOut,
    WebhookEndpointIn,
    WebhookEndpointOut,
    WebhookEndpointPatch,
    WebhookEndpointSecret,
)

router = APIRouter(prefix="/webhooks")

_CALLER: dict[int | str, dict[str, Any]] = {
    401: {"description": "No API client's token, or one no longer valid."},
    429: {"description": "Too many calls of this client in the minute; see Retry-After."},
}
_SCOPE: dict[int | str, dict[str, Any]] = {
    403: {
        "description": "`insufficient-scope`: an event needs a scope the token lacks; or the"
        " token is a person's, not an API client's (`clients-only`).",
        "content": {PROBLEM_MEDIA_TYPE: {}},
    }
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such endpoint of the calling client."}
}


@router.post(
    "",
    operation_id="integrations-create-webhook",
    status_code=status.HTTP_201_CREATED,
    responses={**_CALLER, **_SCOPE},
)
async def create_webhook(
    body: WebhookEndpointIn, caller: ApiCallerDep, session: SessionDep
) -> WebhookEndpointSecret:
    """Register an endpoint for events within my token's scopes. The signing secret is in this
    answer only: keep it; a lost secret is rotated, never shown again."""
    return await endpoints.create_endpoint(session, caller, body)


@router.get("", operation_id="integrations-webhooks", responses={**_CALLER, **_SCOPE})
async def list_webhooks(
    caller: ApiCallerDep, session: SessionDep, page: PageParams
) -> Page[WebhookEndpointOut]:
    """My endpoints, oldest first."""
    return await endpoints.list_endpoints(session, caller, page)


@router.get(
    "/{endpoint_id}",
    operation_id="integrations-webhook",
    responses={**_CALLER, **_SCOPE, **_NOT_FOUND},
)
async def read_webhook(
    endpoint_id: uuid.UUID, caller: ApiCallerDep, session: SessionDep
) -> WebhookEndpointOut:
    """One of my endpoints."""
    return endpoints.endpoint_out(await endpoints.read_endpoint(session, caller, endpoint_id))


@router.patch(
    "/{endpoint_id}",
    operation_id="integrations-change-webhook",
    responses={**_CALLER, **_SCOPE, **_NOT_FOUND},
)
async def change_webhook(
    endpoint_id: uuid.UUID, patch: WebhookEndpointPatch, caller: ApiCallerDep, session: SessionDep
) -> WebhookEndpointOut:
    """Change the URL or the events, or turn the endpoint off (`enabled: false`: no event is
    queued for it and its queued deliveries wait) and on again."""
    return await endpoints.change_endpoint(session, caller, endpoint_id, patch)


@router.post(
    "/{endpoint_id}/secret",
    operation_id="integrations-rotate-webhook-secret",
    responses={**_CALLER, **_SCOPE, **_NOT_FOUND},
)
async def rotate_webhook_secret(
    endpoint_id: uuid.UUID, caller: ApiCallerDep, session: SessionDep
) -> WebhookEndpointSecret:
    """A new signing secret, shown once; every delivery from now on is signed with it."""
    return await endpoints.rotate_secret(session, caller, endpoint_id)


@router.delete(
    "/{endpoint_id}",
    operation_id="integrations-remove-webhook",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**_CALLER, **_SCOPE, **_NOT_FOUND},
)
async def remove_webhook(endpoint_id: uuid.UUID, caller: ApiCallerDep, session: SessionDep) -> None:
    """Remove the endpoint with its queued deliveries and its log."""
    await endpoints.remove_endpoint(session, caller, endpoint_id)


@router.get(
    "/{endpoint_id}/deliveries",
    operation_id="integrations-webhook-deliveries",
    responses={**_CALLER, **_SCOPE, **_NOT_FOUND},
)
async def list_webhook_deliveries(
    endpoint_id: uuid.UUID, caller: ApiCallerDep, session: SessionDep, page: PageParams
) -> Page[WebhookDeliveryOut]:
    """The endpoint's deliveries, newest first: event id and type, status, attempts, the
    receiver's last answer. Delivered and given-up ones are kept for the push retention days."""
    return await endpoints.list_deliveries(session, caller, endpoint_id, page)
