"""What the school says to families: announcements, parent-school threads, the inbox and the push
outbox.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db.base import Base, Timestamps, UUIDPrimaryKey, checked, part_of


class Audience(StrEnum):
    """Who an announcement is for, within one school."""

    SCHOOL = "school"  # every pupil and parent
    LEVEL = "level"  # pupils of one level, and their parents
    CLASS = "class"  # pupils of one class, and their parents
    PARENTS = "parents"  # parents only


class Announcement(UUIDPrimaryKey, Timestamps, Base):
    """A notice to the whole school, one level, one class, or parents only."""

    __tablename__ = "announcements"
    __table_args__ = (
        ForeignKeyConstraint(["class_id", "school_id"], ["classes.id", "classes.school_id"]),
        CheckConstraint(
            "(audience = 'level') = (level_code IS NOT NULL)"
            " AND (audience = 'class') = (class_id IS NOT NULL)",
            name="target_matches_audience",
        ),
        Index("ix_announcements_school_published", "school_id", "published_at"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    audience: Mapped[Audience] = mapped_column(checked(Audience, "audience"))
    level_code: Mapped[str | None] = mapped_column(ForeignKey("levels.code"), index=True)
    class_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


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
        part_of("thread_id", "message_threads"),
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


class DevicePlatform(StrEnum):
    ANDROID = "android"
    IOS = "ios"


class DeviceApp(StrEnum):
    """The mobile apps that receive pushes (the staff back office does not)."""

    MOUDARIS = "moudaris"
    MOUTAMADRIS = "moutamadris"
    WALI = "wali"


class DeviceLocale(StrEnum):
    AR = "ar"
    FR = "fr"
    EN = "en"


class NotificationCategory(StrEnum):
    ABSENCES = "absences"
    MARKS = "marks"
    MESSAGES = "messages"
    ANNOUNCEMENTS = "announcements"
    EXAM_RESULTS = "exam_results"
    SCHOOL_PROJECT = "school_project"
    TRAININGS = "trainings"
    EQUIPMENT = "equipment"
    DIAGNOSTICS = "diagnostics"
    PARTNERSHIPS = "partnerships"
    SPORTS = "sports"
    PREREGISTRATION = "preregistration"
    DISCIPLINE = "discipline"


class PushStatus(StrEnum):
    """Where a push message is in the outbox.

    `failed`: the outcome is unknown (a worker claimed it and never confirmed), so it is not
    sent again; `dead`: known not delivered (retries exhausted, or refused for good).
    """

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DEAD = "dead"


TITLE_MAX = 200
BODY_MAX = 2000
DEVICE_TOKEN_MAX = 512


class Device(UUIDPrimaryKey, Base):
    """One installation of an app that can receive pushes; the token is the provider's."""

    __tablename__ = "devices"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # The login it was registered under: when that login ends (logout, password change or
    # reset, a revoked family, a disabled account), a trigger drops the device and its pushes.
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True
    )
    token: Mapped[str] = mapped_column(String(DEVICE_TOKEN_MAX), unique=True)
    platform: Mapped[DevicePlatform] = mapped_column(checked(DevicePlatform, "platform"))
    app: Mapped[DeviceApp] = mapped_column(checked(DeviceApp, "app"))
    locale: Mapped[DeviceLocale] = mapped_column(checked(DeviceLocale, "locale"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_seen_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class Notification(UUIDPrimaryKey, Base):
    """One line of a user's inbox, in Arabic and French; kept whether or not it was pushed."""

    __tablename__ = "notifications"
    __table_args__ = (
        # The inbox is read newest first, page after page: (created_at, id) is the cursor.
        Index(
            "ix_notifications_user_id_created_at",
            "user_id",
            text("created_at DESC"),
            text("id DESC"),
        ),
        # The unread badge and "mark all read" touch only unread rows.
        Index("ix_notifications_unread", "user_id", postgresql_where=text("read_at IS NULL")),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    category: Mapped[NotificationCategory] = mapped_column(
        checked(NotificationCategory, "category")
    )
    title_ar: Mapped[str] = mapped_column(String(TITLE_MAX))
    title_fr: Mapped[str] = mapped_column(String(TITLE_MAX))
    body_ar: Mapped[str] = mapped_column(String(BODY_MAX))
    body_fr: Mapped[str] = mapped_column(String(BODY_MAX))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NotificationPreference(Base):
    """Whether a category is pushed to the user's devices (no row: it is)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[NotificationCategory] = mapped_column(
        checked(NotificationCategory, "category"), primary_key=True
    )
    push: Mapped[bool]


class PushMessage(UUIDPrimaryKey, Base):
    """The outbox: one notification to push to one device, written with the notification."""

    __tablename__ = "push_messages"
    __table_args__ = (
        UniqueConstraint("notification_id", "device_id"),
        # The worker's claim: status = 'pending' AND next_attempt_at <= now().
        Index("ix_push_messages_status_next_attempt_at", "status", "next_attempt_at"),
        CheckConstraint("attempts >= 0", name="attempts"),
        CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name="sent_at_when_sent"),
        CheckConstraint("status <> 'sending' OR claimed_at IS NOT NULL", name="claimed_if_sending"),
    )

    notification_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE")
    )
    device_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[PushStatus] = mapped_column(
        checked(PushStatus, "status"), server_default=PushStatus.PENDING.value
    )
    attempts: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    # When a worker took it: a `sending` row older than the lease belongs to a dead worker.
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )


class TextChannel(StrEnum):
    SMS = "sms"
    EMAIL = "email"


TEXT_MAX = 1000


class TextMessage(UUIDPrimaryKey, Base):
    """The outbox of texts sent by SMS or email to an address, not to an account (a one-time
    code to someone who has no account yet). It goes through the same states as a push
    (`PushStatus`); the text is erased once the message is settled, since it may hold a code."""

    __tablename__ = "text_messages"
    __table_args__ = (
        # The worker's claim: status = 'pending' AND next_attempt_at <= now().
        Index("ix_text_messages_status_next_attempt_at", "status", "next_attempt_at"),
        CheckConstraint("attempts >= 0", name="attempts"),
        CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name="sent_at_when_sent"),
        CheckConstraint("status <> 'sending' OR claimed_at IS NOT NULL", name="claimed_if_sending"),
        CheckConstraint("status IN ('pending', 'sending') OR body IS NULL", name="erased_settled"),
    )

    channel: Mapped[TextChannel] = mapped_column(checked(TextChannel, "channel"))
    address: Mapped[str] = mapped_column(String(254))
    body: Mapped[str | None] = mapped_column(String(TEXT_MAX))
    status: Mapped[PushStatus] = mapped_column(
        checked(PushStatus, "status"), server_default=PushStatus.PENDING.value
    )
    attempts: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
