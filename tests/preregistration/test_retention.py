"""What pre-registration leaves behind is purged: settled texts, and sign-ups never verified."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app import retention
from app.core.roles import Role
from app.messaging.models import PushStatus, TextChannel, TextMessage
from app.preregistration.models import ContactKind, Signup
from app.settings import get_settings
from tests.factories import create_user

NOW = datetime.now(UTC)


def ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


def signup(contact: str, cin: str, expires_at: datetime, **fields: object) -> Signup:
    return Signup(
        contact_kind=ContactKind.EMAIL,
        contact=contact,
        cin=cin,
        first_name="A",
        last_name="B",
        expires_at=expires_at,
        **fields,
    )


async def test_settled_texts_and_unverified_sign_ups_go(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    parent = await create_user(session, Role.PARENT)
    kept_push_days = get_settings().retention_push_days
    session.add_all(
        [
            TextMessage(
                channel=TextChannel.SMS,
                address="+212600000001",
                status=PushStatus.SENT,
                sent_at=ago(kept_push_days + 1),
                created_at=ago(kept_push_days + 1),
            ),
            TextMessage(
                channel=TextChannel.SMS,
                address="+212600000002",
                body="pending",
                created_at=ago(kept_push_days + 1),
            ),
            signup("gone@example.ma", "A1", ago(2)),
            signup("waiting@example.ma", "A2", NOW + timedelta(minutes=10)),
            signup("parent@example.ma", "A3", ago(30), verified_at=ago(30), user_id=parent.id),
        ]
    )
    await session.flush()

    deleted = await retention.purge(session_factory, get_settings(), NOW)

    assert deleted["text_messages"] == 1
    assert deleted["preregistration_signups"] == 1
    left = set(await session.scalars(select(Signup.contact)))
    assert left == {"waiting@example.ma", "parent@example.ma"}
    assert set(await session.scalars(select(TextMessage.address))) == {"+212600000002"}
