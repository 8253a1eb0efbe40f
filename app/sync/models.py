"""Operations received from the apps' offline queues, kept so a replay answers the same."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    SmallInteger,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db.base import Base


class SyncOperation(Base):
    """The outcome of one offline operation, keyed by the id the app generated for it."""

    __tablename__ = "sync_operations"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[int] = mapped_column(SmallInteger)
    outcome: Mapped[dict[str, Any]] = mapped_column(JSONB)
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )


class Tombstone(Base):
    """A synced row that was deleted: what a delta read (`since`) cannot see otherwise.

    Written by a trigger on each synced table (see the migration `sync tombstones`), so no
    delete path (a service, a cascade, a bulk removal) can forget it; kept for the sync window
    (`MASSAR_RETENTION_SYNC_DAYS`), past which an app resyncs in full. `container_id` is the
    object the rows are read under (a test's and a lesson's class, a mark's test, an
    absence's sheet, a roster entry's class) and `subject_id` the subject when the row has one,
    so a read can keep to the caller's scope. `row_id` is the deleted row's own id (for a roster
    entry, the enrolment's) and `pupil_id` its pupil when it has one, so OneRoster can answer
    a deleted enrolment or mark under its own sourcedId."""

    __tablename__ = "tombstones"
    __table_args__ = (
        Index("ix_tombstones_school_kind_deleted_at", "school_id", "kind", "deleted_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    school_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[uuid.UUID]
    container_id: Mapped[uuid.UUID | None]
    subject_id: Mapped[uuid.UUID | None]
    row_id: Mapped[uuid.UUID | None]
    pupil_id: Mapped[uuid.UUID | None]
    deleted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
