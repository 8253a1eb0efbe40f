"""Messages between a parent and a member of their child's school, one thread per subject."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, UUIDPrimaryKey

SUBJECT_MAX = 200
BODY_MAX = 5000


class MessageThread(UUIDPrimaryKey, Base):
    """A conversation about one pupil between a parent and a teacher or school staff member.

    Each side's `*_read_at` is the `last_message_at` it has seen: later messages are unread.
    """

    __tablename__ = "message_threads"
    __table_args__ = (
        UniqueConstraint("id", "school_id"),
        # Each side's list: newest activity first, page after page.
        Index(
            "ix_message_threads_parent_id_last_message_at",
            "parent_id",
            text("last_message_at DESC"),
            text("id DESC"),
        ),
        Index(
            "ix_message_threads_staff_id_last_message_at",
            "staff_id",
            text("last_message_at DESC"),
            text("id DESC"),
        ),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupils.id"), index=True)
    parent_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.statement_timestamp()
    )
    last_message_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.statement_timestamp()
    )
    parent_read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    staff_read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Message(UUIDPrimaryKey, Base):
    """One message of a thread, by the parent or the staff member."""

    __tablename__ = "messages"
    __table_args__ = (
        ForeignKeyConstraint(
            ["thread_id", "school_id"],
            ["message_threads.id", "message_threads.school_id"],
            ondelete="CASCADE",
        ),
        # A thread read oldest first, and its unread messages counted after a read time.
        Index("ix_messages_thread_id_created_at", "thread_id", "created_at"),
    )

    thread_id: Mapped[uuid.UUID]
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(String(BODY_MAX))
    # The statement's time, not the transaction's (`now()`): messages written in one
    # transaction (a question and its reply in the demo data) still come in order.
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.statement_timestamp()
    )
