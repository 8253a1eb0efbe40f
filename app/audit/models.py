"""The audit log: one row per changed business row, written by database triggers.  The triggers
(migration `audit_log`) see every write, ORM or bulk Core statement alike, and read who is
acting from transaction-local settings (`app/core/db/audit_context.py`). Rows are never updated or
deleted: a trigger refuses it. No foreign keys, on purpose: an audit row outlives the row, the
account and even the school it describes.  Partitioned by month of `occurred_at`, which leads
the primary key.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from ipaddress import IPv4Address, IPv6Address
from typing import Any

from sqlalchemy import BigInteger, DateTime, Identity, Index, String, func
from sqlalchemy.dialects.postgresql import INET, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db.base import Base, checked


class AuditAction(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


class AuditEntry(Base):
    """One insert, update or delete of one row of a business table."""

    __tablename__ = "audit_log"
    __table_args__ = (
        # The school's own list and the steering lists (scope is school_id IN (...)).
        Index("ix_audit_log_school_id_occurred_at_id", "school_id", "occurred_at", "id"),
        # The history of one object.
        Index("ix_audit_log_entity_entity_id_occurred_at", "entity", "entity_id", "occurred_at"),
        # One partition a month, and a default one (see `app/core/db/partitions.py`).
        {"postgresql_partition_by": "RANGE (occurred_at)"},
    )

    occurred_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), primary_key=True, server_default=func.now()
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    actor_id: Mapped[uuid.UUID | None]
    actor_role: Mapped[str] = mapped_column(String(32))
    request_id: Mapped[str | None] = mapped_column(String(64))
    # asyncpg answers inet as ipaddress objects.
    client_ip: Mapped[IPv4Address | IPv6Address | None] = mapped_column(INET)
    action: Mapped[AuditAction] = mapped_column(checked(AuditAction, "action"))
    entity: Mapped[str] = mapped_column(String(63))
    entity_id: Mapped[uuid.UUID | None]
    # Null for rows that belong to no school (a parent's guardian link, a national exam).
    school_id: Mapped[uuid.UUID | None]
    # Update: {column: [before, after]} for changed columns only; insert/delete: the row.
    changed: Mapped[dict[str, Any]] = mapped_column(JSONB)
