"""The notification inbox, push devices and preferences; `notify` is how other services speak.

Every service that has news for someone (an absence recorded, marks or exam results published,
a justification decided, a message sent) calls `notify` in its own transaction. The inbox row
and the push messages are written there too (the outbox pattern): a change that rolls back
notifies no one, and the push worker (`app/messaging/push.py`) delivers only committed rows.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Row,
    Select,
    and_,
    any_,
    delete,
    func,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.core.db.arrays import uuid_array
from app.core.listing import timestamp_page
from app.core.pagination import PageRequest
from app.core.security.principal import Principal
from app.errors import NotFound
from app.i18n import current_language
from app.messaging.models import (
    BODY_MAX,
    TITLE_MAX,
    Device,
    Notification,
    NotificationCategory,
    NotificationPreference,
    PushMessage,
)
from app.messaging.schemas import (
    DeviceIn,
    DeviceOut,
    NotificationOut,
    NotificationPage,
    PreferenceItem,
    PreferencesIn,
    PreferencesOut,
    ReadAllOut,
)


@dataclass(frozen=True, slots=True)
class NotificationTexts:
    """What a notification says, in Arabic and French (readers in English get French)."""

    title_ar: str
    title_fr: str
    body_ar: str
    body_fr: str

    def __post_init__(self) -> None:
        # The columns' limits, checked here so that a caller's bug names the field.
        for name, limit in (
            ("title_ar", TITLE_MAX),
            ("title_fr", TITLE_MAX),
            ("body_ar", BODY_MAX),
            ("body_fr", BODY_MAX),
        ):
            if not 0 < len(getattr(self, name)) <= limit:
                raise ValueError(f"{name} must have 1 to {limit} characters")


# ---- emitting -------------------------------------------------------------------------------


async def notify(
    session: AsyncSession,
    user_ids: Iterable[uuid.UUID],
    category: NotificationCategory,
    texts: NotificationTexts,
    data: Mapping[str, Any] | None = None,
) -> None:
    """Write one inbox row per user and queue a push to each device whose user wants one.

    In the caller's transaction, and two statements whatever the number of users: the user ids
    travel as one array parameter. Unknown user ids are skipped.
    """
    recipients = list(set(user_ids))
    if not recipients:
        return
    inbox = select(
        func.gen_random_uuid(),
        User.id,
        literal(category.value),
        literal(texts.title_ar),
        literal(texts.title_fr),
        literal(texts.body_ar),
        literal(texts.body_fr),
        literal(_jsonable(data or {}), JSONB),
    ).where(User.id == any_(uuid_array("recipients", recipients)))
    columns = ["id", "user_id", "category", "title_ar", "title_fr", "body_ar", "body_fr", "data"]
    created = list(
        await session.scalars(
            insert(Notification).from_select(columns, inbox).returning(Notification.id)
        )
    )
    if created:
        await session.execute(
            insert(PushMessage)
            .from_select(["id", "notification_id", "device_id"], _push_targets(created))
            .on_conflict_do_nothing(index_elements=["notification_id", "device_id"])
        )


def _push_targets(notification_ids: Sequence[uuid.UUID]) -> Select[Any]:
    """(new id, notification, device) for every device of an active user who wants the push."""
    preference = and_(
        NotificationPreference.user_id == Notification.user_id,
        NotificationPreference.category == Notification.category,
    )
    return (
        select(func.gen_random_uuid(), Notification.id, Device.id)
        .select_from(Notification)
        .join(Device, Device.user_id == Notification.user_id)
        .join(User, User.id == Notification.user_id)
        .outerjoin(NotificationPreference, preference)
        .where(
            Notification.id == any_(uuid_array("notifications", notification_ids)),
            # A disabled account's phone must not keep receiving a pupil's news.
            User.is_active.is_(True),
            func.coalesce(NotificationPreference.push, true()),
        )
    )


def _jsonable(data: Mapping[str, Any]) -> dict[str, Any]:
    """Ids and dates as strings, as the apps read them back."""
    result: dict[str, Any] = json.loads(json.dumps(dict(data), default=str))
    return result


# ---- the inbox ------------------------------------------------------------------------------

# What a notification says, as the inbox shows it and a push carries it.
CONTENT_COLUMNS = (
    Notification.category,
    Notification.title_ar,
    Notification.title_fr,
    Notification.body_ar,
    Notification.body_fr,
    Notification.data,
)
_ROW = (Notification.id, *CONTENT_COLUMNS, Notification.created_at, Notification.read_at)


async def list_notifications(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
) -> NotificationPage:
    """A page of my inbox, newest first, and how many of all my notifications are unread."""
    rows, next_cursor = await timestamp_page(
        session,
        select(*_ROW).where(Notification.user_id == principal.user_id),
        Notification.created_at,
        Notification.id,
        page,
    )
    items = [_notification_out(row) for row in rows]
    unread = await session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == principal.user_id, Notification.read_at.is_(None))
    )
    return NotificationPage(items=items, next_cursor=next_cursor, unread=unread or 0)


async def mark_read(
    session: AsyncSession, principal: Principal, notification_id: uuid.UUID
) -> NotificationOut:
    """Mark one of my notifications read (the first reading time is kept)."""
    row = (
        await session.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.user_id == principal.user_id)
            .values(read_at=func.coalesce(Notification.read_at, func.now()))
            .returning(*_ROW)
            .execution_options(synchronize_session=False)
        )
    ).one_or_none()
    if row is None:
        raise NotFound()
    return _notification_out(row)


async def mark_all_read(session: AsyncSession, principal: Principal) -> ReadAllOut:
    """Mark every unread notification of mine read."""
    marked = await session.scalars(
        update(Notification)
        .where(Notification.user_id == principal.user_id, Notification.read_at.is_(None))
        .values(read_at=func.now())
        .returning(Notification.id)
        .execution_options(synchronize_session=False)
    )
    return ReadAllOut(marked=len(marked.all()))


def _notification_out(row: Row[Any]) -> NotificationOut:
    arabic = current_language.get() == "ar"
    return NotificationOut.of(
        row,
        title=row.title_ar if arabic else row.title_fr,
        body=row.body_ar if arabic else row.body_fr,
    )


# ---- devices --------------------------------------------------------------------------------


async def register_device(
    session: AsyncSession, principal: Principal, device: DeviceIn
) -> DeviceOut:
    """Register a push token for my account, under this login: the same token again updates
    its row, and the device goes when the login ends."""
    # A token is one installation. If another account had it (a shared phone, a new login),
    # that account's device goes, and its queued pushes with it: the new user must never
    # receive the previous one's notifications.
    await session.execute(
        delete(Device).where(Device.token == device.token, Device.user_id != principal.user_id)
    )
    statement = insert(Device).values(
        id=uuid.uuid4(),
        user_id=principal.user_id,
        session_id=principal.session_id,
        token=device.token,
        platform=device.platform,
        app=device.app,
        locale=device.locale,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["token"],
        set_={
            "user_id": statement.excluded.user_id,
            "session_id": statement.excluded.session_id,
            "platform": statement.excluded.platform,
            "app": statement.excluded.app,
            "locale": statement.excluded.locale,
            "last_seen_at": func.now(),
        },
    )
    row = (
        await session.execute(
            statement.returning(
                Device.id,
                Device.platform,
                Device.app,
                Device.locale,
                Device.created_at,
                Device.last_seen_at,
            )
        )
    ).one()
    return DeviceOut.model_validate(row)


async def delete_device(session: AsyncSession, principal: Principal, device_id: uuid.UUID) -> None:
    """Forget one of my devices (at logout); its queued pushes go with it."""
    deleted = await session.scalar(
        delete(Device)
        .where(Device.id == device_id, Device.user_id == principal.user_id)
        .returning(Device.id)
    )
    if deleted is None:
        raise NotFound()


# ---- preferences ----------------------------------------------------------------------------


async def get_preferences(session: AsyncSession, principal: Principal) -> PreferencesOut:
    """Whether each category is pushed to my devices (yes unless I said no)."""
    rows = await session.execute(
        select(NotificationPreference.category, NotificationPreference.push).where(
            NotificationPreference.user_id == principal.user_id
        )
    )
    chosen = dict(rows.all())
    return PreferencesOut(
        items=[
            PreferenceItem(category=category, push=chosen.get(category, True))
            for category in NotificationCategory
        ]
    )


async def set_preferences(
    session: AsyncSession, principal: Principal, wanted: PreferencesIn
) -> PreferencesOut:
    """Set the listed categories; the others keep their setting."""
    statement = insert(NotificationPreference).values(
        [
            {"user_id": principal.user_id, "category": item.category, "push": item.push}
            for item in wanted.items
        ]
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["user_id", "category"], set_={"push": statement.excluded.push}
        )
    )
    return await get_preferences(session, principal)
