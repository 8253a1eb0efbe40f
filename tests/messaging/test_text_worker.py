"""The text worker against a real HTTP server on loopback that plays the SMS and email
gateway: delivered texts are erased, a gateway that is down is retried, a refusal is final,
and a message a stopped worker left unconfirmed is never sent again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pydantic import SecretStr
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.messaging.models import PushStatus, TextChannel, TextMessage
from app.messaging.texts import LEASE_EXPIRED, queue_text, text_worker
from app.settings import Settings, get_settings
from tests.messaging.text_gateway import TextGateway, text_gateway

Sessions = async_sessionmaker[AsyncSession]


def settings_for(gateway: TextGateway) -> Settings:
    return get_settings().model_copy(
        update={
            "text_gateway_url": gateway.url,
            "text_gateway_credentials": SecretStr("gateway-secret"),
            "push_max_attempts": 2,
        }
    )


async def status_of(session: AsyncSession, address: str) -> tuple[PushStatus, str | None, int]:
    row = (
        await session.execute(
            select(TextMessage.status, TextMessage.body, TextMessage.attempts)
            .where(TextMessage.address == address)
            .execution_options(populate_existing=True)
        )
    ).one()
    return row.status, row.body, row.attempts


async def test_texts_are_sent_erased_retried_and_given_up(
    session: AsyncSession, session_factory: Sessions
) -> None:
    await queue_text(session, TextChannel.SMS, "+212611111111", "code 1")
    await session.commit()
    with text_gateway() as gateway:
        settings = settings_for(gateway)
        async with text_worker(session_factory, settings) as worker:
            report = await worker.run_cycle()
        assert (report.claimed, report.sent) == (1, 1)
        assert gateway.received == [{"channel": "sms", "to": "+212611111111", "text": "code 1"}]
        assert gateway.authorizations == ["Bearer gateway-secret"]
        assert await status_of(session, "+212611111111") == (PushStatus.SENT, None, 1)

        # Down (503), then down again: retried once, then given up, the text erased.
        await queue_text(session, TextChannel.EMAIL, "a@example.ma", "code 2")
        await session.commit()
        gateway.replies = [503, 503]
        async with text_worker(session_factory, settings) as worker:
            assert (await worker.run_cycle()).retried == 1
            await session.execute(
                update(TextMessage)
                .where(TextMessage.address == "a@example.ma")
                .values(next_attempt_at=TextMessage.next_attempt_at - timedelta(hours=1))
            )
            await session.commit()
            assert (await worker.run_cycle()).dead == 1
        assert await status_of(session, "a@example.ma") == (PushStatus.DEAD, None, 2)

        # Refused for good (400): not retried.
        await queue_text(session, TextChannel.SMS, "+212622222222", "code 3")
        await session.commit()
        gateway.replies = [400]
        async with text_worker(session_factory, settings) as worker:
            assert (await worker.run_cycle()).dead == 1
        assert await status_of(session, "+212622222222") == (PushStatus.DEAD, None, 1)
        assert len(gateway.received) == 4


async def test_an_unconfirmed_text_is_never_sent_again(
    session: AsyncSession, session_factory: Sessions
) -> None:
    await queue_text(session, TextChannel.SMS, "+212633333333", "code")
    await session.execute(
        update(TextMessage).values(
            status=PushStatus.SENDING, claimed_at=datetime.now(UTC) - timedelta(hours=1)
        )
    )
    await session.commit()
    with text_gateway() as gateway:
        async with text_worker(session_factory, settings_for(gateway)) as worker:
            report = await worker.run_cycle()
        assert (report.expired, report.claimed) == (1, 0)
        assert gateway.received == []
    row = (await session.execute(select(TextMessage.status, TextMessage.last_error))).one()
    assert tuple(row) == (PushStatus.FAILED, LEASE_EXPIRED)
