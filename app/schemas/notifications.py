"""Devices, the inbox and push preferences, as every app sends and reads them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field, field_validator

from app.models.notifications import (
    DEVICE_TOKEN_MAX,
    DeviceApp,
    DeviceLocale,
    DevicePlatform,
    NotificationCategory,
)
from app.schemas.common import Page, Schema


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
