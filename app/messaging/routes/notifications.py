"""My push devices, my notification inbox and my push preferences, for every role."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.accounts.guards import CurrentPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.messaging import notifications
from app.messaging.schemas import (
    DeviceIn,
    DeviceOut,
    NotificationOut,
    NotificationPage,
    PreferencesIn,
    PreferencesOut,
    ReadAllOut,
)

router = APIRouter(prefix="/me", tags=["me"])


@router.post("/devices", operation_id="me-register-device", status_code=status.HTTP_201_CREATED)
async def register_device(
    device: DeviceIn, principal: CurrentPrincipal, session: SessionDep
) -> DeviceOut:
    """Register this app's push token (again at each start: the same token updates its row)."""
    return await notifications.register_device(session, principal, device)


@router.delete(
    "/devices/{device_id}",
    operation_id="me-delete-device",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def delete_device(
    device_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> None:
    """Stop pushes to one of my devices (at logout)."""
    await notifications.delete_device(session, principal, device_id)


@router.get("/notifications", operation_id="me-notifications")
async def list_notifications(
    page: PageParams, principal: CurrentPrincipal, session: SessionDep
) -> NotificationPage:
    """My inbox, newest first, in the request's language, with the unread count."""
    return await notifications.list_notifications(session, principal, page)


@router.post("/notifications/read-all", operation_id="me-read-all-notifications")
async def read_all(principal: CurrentPrincipal, session: SessionDep) -> ReadAllOut:
    """Mark all my notifications read."""
    return await notifications.mark_all_read(session, principal)


@router.post("/notifications/{notification_id}/read", operation_id="me-read-notification")
async def read_one(
    notification_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> NotificationOut:
    """Mark one of my notifications read."""
    return await notifications.mark_read(session, principal, notification_id)


@router.get("/notification-preferences", operation_id="me-notification-preferences")
async def get_preferences(principal: CurrentPrincipal, session: SessionDep) -> PreferencesOut:
    """Which categories are pushed to my devices (all five, on by default)."""
    return await notifications.get_preferences(session, principal)


@router.put("/notification-preferences", operation_id="me-set-notification-preferences")
async def set_preferences(
    wanted: PreferencesIn, principal: CurrentPrincipal, session: SessionDep
) -> PreferencesOut:
    """Turn pushes on or off per category; the inbox keeps every notification anyway."""
    return await notifications.set_preferences(session, principal, wanted)
