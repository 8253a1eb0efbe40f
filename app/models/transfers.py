"""A pupil's move from one school to another: asked by the sending school, accepted (or
refused) by the receiving one."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamps, UUIDPrimaryKey
from app.models.enums import TransferStatus, checked


class Transfer(UUIDPrimaryKey, Timestamps, Base):
    """`school_id` is the sending school; `to_school_id` the receiving one."""

    __tablename__ = "transfers"
    __table_args__ = (
        # One open request per pupil at a time.
        Index(
            "uq_transfers_pending_pupil",
            "pupil_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
    )

    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupils.id"), index=True)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    to_school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    status: Mapped[TransferStatus] = mapped_column(
        checked(TransferStatus, "status"), default=TransferStatus.PENDING, server_default="pending"
    )
    reason: Mapped[str | None] = mapped_column(String(500))
    requested_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refusal_reason: Mapped[str | None] = mapped_column(String(500))
