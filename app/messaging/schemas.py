"""Announcements, parent-school messages and notifications, as the API shows them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, StringConstraints, field_validator, model_validator

from app.academics.schemas import SubjectRef
from app.accounts.schemas import PersonRef, PupilRef
from app.core.schemas import Page, Schema
from app.messaging.models import (
    BODY_MAX,
    DEVICE_TOKEN_MAX,
    SUBJECT_MAX,
    Audience,
    DeviceApp,
    DeviceLocale,
    DevicePlatform,
    NotificationCategory,
)


class AnnouncementIn(Schema):
    audience: Audience
    level_code: str | None = Field(default=None, description="For audience `level`.")
    class_id: uuid.UUID | None = Field(default=None, description="For audience `class`.")
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=10_000)

    @model_validator(mode="after")
    def _target_matches_audience(self) -> AnnouncementIn:
        if (self.audience is Audience.LEVEL) != (self.level_code is not None):
            raise ValueError("level_code is given for, and only for, audience `level`")
        if (self.audience is Audience.CLASS) != (self.class_id is not None):
            raise ValueError("class_id is given for, and only for, audience `class`")
        return self


class AnnouncementOut(Schema):
    id: uuid.UUID
    audience: Audience
    level_code: str | None
    class_id: uuid.UUID | None
    title: str
    body: str
    published_at: datetime


Subject = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=SUBJECT_MAX)
]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=BODY_MAX)]


class RecipientOut(PersonRef):
    """Someone a parent may write to about a child: school staff, or a teacher of the class."""

    subjects: list[SubjectRef] = Field(description="What a teacher teaches the child's class.")


class ThreadOut(Schema):
    id: uuid.UUID
    subject: str
    pupil: PupilRef
    parent: PersonRef
    staff: PersonRef
    created_at: datetime
    last_message_at: datetime
    unread: bool = Field(description="The other side wrote since I last opened the thread.")
    unread_count: int


class ThreadPage(Page[ThreadOut]):
    """Newest activity first; `unread_threads` counts all my threads, not only this page."""

    unread_threads: int


class MessageOut(Schema):
    id: uuid.UUID
    author: PersonRef
    body: str
    created_at: datetime


class ThreadDetail(ThreadOut):
    messages: list[MessageOut] = Field(description="Oldest first.")


class NewThreadIn(Schema):
    child_id: uuid.UUID
    recipient_id: uuid.UUID = Field(description="One of GET /parent/children/{id}/recipients.")
    subject: Subject
    body: Body


class ReplyIn(Schema):
    body: Body


class DeviceIn(Schema):
    """Registering the same token again updates it (and moves it to the caller)."""

    token: str = Field(min_length=1, max_length=DEVICE_TOKEN_MAX, description="The push token.")
    platform: DevicePlatform
    app: DeviceApp
    locale: DeviceLocale = Field(description="Language of the pushes: ar, or fr (also for en).")


class DeviceOut(Schema):
    id: uuid.UUID
    platform: DevicePlatform
    app: DeviceApp
    locale: DeviceLocale
    created_at: datetime
    last_seen_at: datetime


class NotificationOut(Schema):
    id: uuid.UUID
    category: NotificationCategory
    title: str = Field(description="In the request's language: Arabic, or French otherwise.")
    body: str
    data: dict[str, Any] = Field(
        description="What the notification is about, for the app to open it (pupil_id, test_id…)."
    )
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Page[NotificationOut]):
    """Newest first; `unread` counts the whole inbox, not only this page."""

    unread: int


class ReadAllOut(Schema):
    marked: int = Field(description="How many notifications were unread until now.")


class PreferenceItem(Schema):
    category: NotificationCategory
    push: bool = Field(description="Push to my devices; the inbox keeps every notification.")


class PreferencesIn(Schema):
    """The categories to set; those not listed keep their setting."""

    items: list[PreferenceItem] = Field(min_length=1, max_length=len(NotificationCategory))

    @field_validator("items")
    @classmethod
    def _each_category_once(cls, items: list[PreferenceItem]) -> list[PreferenceItem]:
        if len({item.category for item in items}) != len(items):
            raise ValueError("each category at most once")
        return items


class PreferencesOut(Schema):
    """Every category, in a fixed order."""

    items: list[PreferenceItem]
