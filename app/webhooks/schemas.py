"""Request and response shapes of webhook endpoints and their delivery log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from pydantic import Field

from app.core.schemas import Patch, Schema
from app.webhooks.models import URL_MAX, DeliveryStatus, EventType

_URL: dict[str, Any] = {
    "max_length": URL_MAX,
    "pattern": r"^https?://[^\s/?#]+[^\s]*$",
    "description": "Where the events are posted; https outside development.",
    "examples": ["https://bourses.example.ma/massar/events"],
}
_EVENTS: dict[str, Any] = {
    "min_length": 1,
    "max_length": len(EventType),
    "description": "The events to receive; each needs its scope (`marks.published` and"
    " `exam_results.published`: `results.read`, `enrolments.changed`: `roster.read`).",
}


class WebhookEndpointIn(Schema):
    """A new endpoint of the calling client."""

    url: str = Field(**_URL)
    events: list[EventType] = Field(**_EVENTS)


class WebhookEndpointPatch(Patch):
    """Change an endpoint: its URL, its events, or turn it off (`enabled: false`: nothing is
    queued for it, and what is queued waits) and on again."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"url", "events", "enabled"})

    url: str | None = Field(default=None, **_URL)
    events: list[EventType] | None = Field(default=None, **_EVENTS)
    enabled: bool | None = None


class WebhookEndpointOut(Schema):
    """An endpoint of the calling client (its secret is shown once, at creation and rotation)."""

    id: uuid.UUID
    url: str
    events: list[EventType]
    enabled: bool
    created_at: datetime
    secret_set_at: datetime
    disabled_at: datetime | None


class WebhookEndpointSecret(WebhookEndpointOut):
    """The endpoint with its signing secret (`whsec_` and base64 of 32 random bytes, the
    Standard Webhooks form): in this answer only."""

    secret: str


class WebhookDeliveryOut(Schema):
    """One event for one endpoint, as the log shows it (never the payload)."""

    id: uuid.UUID
    event_id: uuid.UUID = Field(description="The `webhook-id` sent: the same on every attempt.")
    event_type: EventType
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None = Field(description="The receiver's last HTTP status, if any.")
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None
