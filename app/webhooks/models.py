"""An API client's webhook endpoints, and the outbox of deliveries that is also the log the
client reads."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db.base import Base, Timestamps, UUIDPrimaryKey, checked

URL_MAX = 2000


class EventType(StrEnum):
    """What an integrator may be told of; each needs a scope (`events.EVENT_SCOPES`)."""

    MARKS_PUBLISHED = "marks.published"
    EXAM_RESULTS_PUBLISHED = "exam_results.published"
    ENROLMENTS_CHANGED = "enrolments.changed"
    MARKS_CORRECTED = "marks.corrected"
    DOCUMENTS_REVOKED = "documents.revoked"


class DeliveryStatus(StrEnum):
    """Where a delivery is. `dead`: given up (attempts exhausted, or refused for good)."""

    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    DEAD = "dead"


class WebhookEndpoint(UUIDPrimaryKey, Timestamps, Base):
    """A URL of an API client's that receives the events it subscribed to, signed with the
    endpoint's own secret. The secret is sealed (`core/security/sealing.py`), not hashed: the
    worker must read it back to sign."""

    __tablename__ = "webhook_endpoints"
    __table_args__ = (CheckConstraint("cardinality(events) > 0", name="has_events"),)

    client_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("api_clients.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(URL_MAX))
    events: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    secret_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    secret_set_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WebhookDelivery(UUIDPrimaryKey, Base):
    """One event for one endpoint: written in the transaction of the change, with the payload
    its client's scopes allow, sent by the worker, and kept as the client's delivery log. The
    payload (minors' data) is erased once the delivery is settled."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        # An event reaches an endpoint once: a replayed emission inserts nothing.
        UniqueConstraint("endpoint_id", "event_id"),
        # The worker's claim: status = 'pending' AND next_attempt_at <= now().
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        # The log: an endpoint's deliveries, newest first.
        Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at", "id"),
        CheckConstraint("attempts >= 0", name="attempts"),
        CheckConstraint(
            "(status = 'delivered') = (delivered_at IS NOT NULL)", name="delivered_at_if_delivered"
        ),
        CheckConstraint("status <> 'sending' OR claimed_at IS NOT NULL", name="claimed_if_sending"),
        CheckConstraint(
            "status IN ('pending', 'sending') OR payload IS NULL", name="erased_settled"
        ),
    )

    endpoint_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    event_id: Mapped[uuid.UUID]
    event_type: Mapped[EventType] = mapped_column(checked(EventType, "event_type"))
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSONB(none_as_null=True))
    status: Mapped[DeliveryStatus] = mapped_column(
        checked(DeliveryStatus, "status"), server_default=DeliveryStatus.PENDING.value
    )
    attempts: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_status_code: Mapped[int | None] = mapped_column(SmallInteger)
    last_error: Mapped[str | None] = mapped_column(String(200))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
