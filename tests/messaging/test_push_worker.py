"""The push worker against a real HTTP server on loopback that plays the provider.

The worker commits for real (its claim must be visible to other connections), so these tests
use the engine, not the rolled-back test transaction, and delete the accounts they create
(devices, notifications and push messages go with them).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from typer.testing import CliRunner

from app import cli
from app.accounts.models import AuthSession, User
from app.core.db.session import create_session_factory
from app.core.roles import Role
from app.main import create_app
from app.messaging.models import (
    Device,
    DeviceApp,
    DeviceLocale,
    DevicePlatform,
    Notification,
    NotificationCategory,
    PushMessage,
    PushStatus,
)
from app.messaging.notifications import NotificationTexts, notify
from app.messaging.push import LEASE_EXPIRED, PushWorker, classify, push_worker
from app.settings import Environment, Settings
from tests.factories import create_user

TEXTS = NotificationTexts(
    title_ar="نقط جديدة", title_fr="Nouvelles notes", body_ar="نقطة الفرض", body_fr="Note du devoir"
)
CREDENTIAL = "test-credential-not-for-logs"
Sessions = async_sessionmaker[AsyncSession]
PROJECT = "test-project"

# ---- a provider on loopback -----------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: dict[str, Any] | None = None
    hang: bool = False  # answer nothing until the client gives up


@dataclass(frozen=True)
class Received:
    path: str
    authorization: str | None
    body: dict[str, Any]


def fcm_error(status: int, code: str, *, field_name: str | None = None) -> Reply:
    details: list[dict[str, Any]] = [
        {"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": code}
    ]
    if field_name:
        details.append(
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [{"field": field_name, "description": "Invalid"}],
            }
        )
    error = {"code": status, "message": code.lower(), "status": code, "details": details}
    return Reply(status, {"error": error})


@dataclass
class FakeProvider:
    """An HTTP/1.1 server on 127.0.0.1 answering `messages:send` as scripted per token
    (then 200 with a message name once a token's script is used up)."""

    scripts: dict[str, list[Reply]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    url: str = ""
    _server: asyncio.Server | None = None
    _handlers: set[asyncio.Task[Any]] = field(default_factory=set)
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self, port: int = 0) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", port)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        await self._server.wait_closed()

    def to(self, token: str) -> list[Received]:
        return [r for r in self.received if r.body["message"]["token"] == token]

    async def wait_for_request(self) -> None:
        await asyncio.wait_for(self._arrived.wait(), timeout=10)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            while (request := await read_request(reader)) is not None:
                path, headers, raw = request
                body = json.loads(raw)
                self.received.append(Received(path, headers.get("authorization"), body))
                self._arrived.set()
                script = self.scripts.get(body["message"]["token"]) or []
                reply = script.pop(0) if script else Reply(200, {"name": _message_name()})
                if reply.hang:
                    # Until the client times out and closes the connection.
                    await asyncio.wait_for(reader.read(), timeout=10)
                    return
                writer.write(response(reply))
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
            self._handlers.discard(task)


_names = iter(range(1, 1_000_000))


def _message_name() -> str:
    return f"projects/{PROJECT}/messages/{next(_names)}"


async def read_request(
    reader: asyncio.StreamReader,
) -> tuple[str, dict[str, str], bytes] | None:
    """One HTTP/1.1 request: its path, headers (lower-cased names) and body."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None  # the client closed the kept-alive connection
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in header_lines if line)
    }
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return request_line.split(" ")[1], headers, body


def response(reply: Reply) -> bytes:
    payload = json.dumps(reply.body or {}).encode()
    head = (
        f"HTTP/1.1 {reply.status} Scripted\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\n\r\n"
    )
    return head.encode() + payload


# ---- fixtures -------------------------------------------------------------------------------


@pytest.fixture
async def provider() -> AsyncIterator[FakeProvider]:
    server = FakeProvider()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def _settings(provider_url: str | None, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": Environment.TEST,
        "push_provider_url": provider_url,
        "push_project_id": PROJECT,
        "push_credentials": CREDENTIAL,
        "push_timeout_seconds": 0.5,
        "push_backoff_base_seconds": 2,
        "push_max_attempts": 3,
        "push_concurrency": 4,
        "push_batch_size": 50,
    }
    return Settings(**(values | overrides))


@pytest.fixture
def settings(provider: FakeProvider) -> Settings:
    return _settings(provider.url)


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that commit for real, as the worker's do."""
    return create_session_factory(engine)


@dataclass
class Outbox:
    """Accounts, devices and notifications committed for one test, deleted after it."""

    sessions: async_sessionmaker[AsyncSession]
    users: list[uuid.UUID] = field(default_factory=list)

    async def parent_with_devices(self, *devices: tuple[str, DeviceLocale]) -> uuid.UUID:
        async with self.sessions.begin() as session:
            user = await create_user(
                session, Role.PARENT, username=f"push-{uuid.uuid4().hex[:12]}@taalim.ma"
            )
            login = AuthSession(user_id=user.id)
            session.add(login)
            await session.flush()
            session.add_all(
                Device(
                    user_id=user.id,
                    session_id=login.id,
                    token=token,
                    platform=DevicePlatform.ANDROID,
                    app=DeviceApp.WALI,
                    locale=locale,
                )
                for token, locale in devices
            )
        self.users.append(user.id)
        return user.id

    async def notify(self, user_id: uuid.UUID, **data: Any) -> None:
        async with self.sessions.begin() as session:
            await notify(session, [user_id], NotificationCategory.MARKS, TEXTS, data)

    async def message(self, token: str) -> PushMessage | None:
        async with self.sessions() as session:
            return await session.scalar(
                select(PushMessage).join(Device).where(Device.token == token)
            )

    async def execute(self, statement: Any) -> None:
        async with self.sessions.begin() as session:
            await session.execute(statement)

    async def make_due(self) -> None:
        await self.execute(
            update(PushMessage)
            .where(
                PushMessage.device_id.in_(select(Device.id).where(Device.user_id.in_(self.users)))
            )
            .values(next_attempt_at=func.now() - timedelta(seconds=1))
        )

    async def clean(self) -> None:
        await self.execute(delete(User).where(User.id.in_(self.users)))


@pytest.fixture
async def outbox(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[Outbox]:
    box = Outbox(sessions)
    try:
        yield box
    finally:
        await box.clean()


@contextlib.asynccontextmanager
async def running(
    sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> AsyncIterator[PushWorker]:
    async with push_worker(sessions, settings) as worker:
        yield worker


# ---- delivery -------------------------------------------------------------------------------


async def test_sends_in_the_fcm_shape_in_each_devices_language(
    provider: FakeProvider, settings: Settings, sessions: Sessions, outbox: Outbox
) -> None:
    pupil_id = uuid.uuid4()
    user = await outbox.parent_with_devices(
        ("tok-ar", DeviceLocale.AR), ("tok-fr", DeviceLocale.FR), ("tok-en", DeviceLocale.EN)
    )
    await outbox.notify(user, pupil_id=pupil_id, test_id="T-1", count=3)

    async with running(sessions, settings) as worker:
        report = await worker.run_cycle()
    assert (report.claimed, report.sent) == (3, 3)

    assert {r.path for r in provider.received} == {f"/v1/projects/{PROJECT}/messages:send"}
    assert {r.authorization for r in provider.received} == {f"Bearer {CREDENTIAL}"}
    arabic = provider.to("tok-ar")[0].body["message"]
    assert arabic["notification"] == {"title": "نقط جديدة", "body": "نقطة الفرض"}
    for token in ("tok-fr", "tok-en"):
        assert provider.to(token)[0].body["message"]["notification"]["title"] == "Nouvelles notes"
    data = arabic["data"]
    assert data["pupil_id"] == str(pupil_id)
    assert (data["test_id"], data["count"], data["category"]) == ("T-1", "3", "marks")
    assert uuid.UUID(data["notification_id"])
    assert all(isinstance(value, str) for value in data.values())

    sent = await outbox.message("tok-ar")
    assert sent is not None
    assert sent.status is PushStatus.SENT
    assert sent.sent_at is not None
    assert sent.provider_message_id is not None
    assert sent.provider_message_id.startswith(f"projects/{PROJECT}/messages/")


async def test_a_sent_message_is_never_sent_again(
    provider: FakeProvider, settings: Settings, sessions: Sessions, outbox: Outbox
) -> None:
    user = await outbox.parent_with_devices(("tok-once", DeviceLocale.FR))
    await outbox.notify(user)
    async with running(sessions, settings) as worker:
        await worker.run_cycle()
        await outbox.make_due()  # even if it looked due again
        second = await worker.run_cycle()
    assert second.claimed == 0
    assert len(provider.to("tok-once")) == 1


async def test_a_server_error_is_retried_with_backoff_then_sent_once(
    provider: FakeProvider, settings: Settings, sessions: Sessions, outbox: Outbox
) -> None:
    provider.scripts["tok-retry"] = [fcm_error(500, "INTERNAL")]
    user = await outbox.parent_with_devices(("tok-retry", DeviceLocale.FR))
    await outbox.notify(user)

    async with running(sessions, settings) as worker:
        first = await worker.run_cycle()
        assert first.retried == 1
        message = await outbox.message("tok-retry")
        assert message is not None
        assert (message.status, message.attempts) == (PushStatus.PENDING, 1)
        assert message.last_error == "http 500 INTERNAL"
        async with sessions() as session:
            wait = await session.scalar(select(PushMessage.next_attempt_at - func.now()))
        # base × 2**0 = 2 s, plus at most 10% of jitter.
        assert wait is not None
        assert timedelta(seconds=1.5) < wait <= timedelta(seconds=2.3)

        assert (await worker.run_cycle()).claimed == 0  # not due yet
        await outbox.make_due()
        assert (await worker.run_cycle()).sent == 1
        assert (await worker.run_cycle()).claimed == 0
    assert len(provider.to("tok-retry")) == 2
    message = await outbox.message("tok-retry")
    assert message is not None
    assert (message.status, message.attempts) == (PushStatus.SENT, 1)


async def test_a_timeout_is_retried(
    provider: FakeProvider, settings: Settings, sessions: Sessions, outbox: Outbox
) -> None:
    provider.scripts["tok-slow"] = [Reply(hang=True)]
    user = await outbox.parent_with_devices(
        ("tok-slow", DeviceLocale.FR), ("tok-ok", DeviceLocale.FR)
    )
    await outbox.notify(user)

    async with running(sessions, settings) as worker:
        report = await worker.run_cycle()
    assert (report.sent, report.retried) == (1, 1)
    message = await outbox.message("tok-slow")
    assert message is not None
    assert (message.status, message.attempts, message.last_error) == (
        PushStatus.PENDING,
        1,
        "timeout",
    )
    assert len(provider.to("tok-slow")) == 1


async def test_retries_end_dead(
    provider: FakeProvider, settings: Settings, sessions: Sessions, outbox: Outbox
) -> None:
    provider.scripts["tok-down"] = [fcm_error(503, "UNAVAILABLE")] * 3
    user = await outbox.parent_with_devices(("tok-down", DeviceLocale.FR))
    await outbox.notify(user)
    async with running(sessions, settings) as worker:
        for _ in range(3):
            await worker.run_cycle()
            await outbox.make_due()
        assert (await worker.run_cycle()).claimed == 0
    message = await outbox.message("tok-down")
    assert message is not None
    assert (message.status, message.attempts) == (PushStatus.DEAD, settings.push_max_attempts)
    assert len(provider.to("tok-down")) == 3


@pytest.mark.parametrize(
    "reply",
    [
        fcm_error(404, "UNREGISTERED"),
        fcm_error(400, "INVALID_ARGUMENT", field_name="message.token"),
    ],
)
async def test_an_invalid_token_removes_the_device(
    provider: FakeProvider,
    settings: Settings,
    sessions: Sessions,
    outbox: Outbox,
    reply: Reply,
) -> None:
    provider.scripts["tok-gone"] = [reply]
    user = await outbox.parent_with_devices(
        ("tok-gone", DeviceLocale.FR), ("tok-live", DeviceLocale.FR)
    )
    await outbox.notify(user)
    async with running(sessions, settings) as worker:
        report = await worker.run_cycle()
    assert (report.unregistered, report.sent) == (1, 1)
    async with sessions() as session:
        tokens = set(await session.scalars(select(Device.token).where(Device.user_id == user)))
    assert tokens == {"tok-live"}
    assert await outbox.message("tok-gone") is None
    assert len(provider.to("tok-gone")) == 1


async def test_a_refused_payload_is_given_up_at_once(
    provider: FakeProvider, settings: Settings, sessions: Sessions, outbox: Outbox
) -> None:
    provider.scripts["tok-bad"] = [fcm_error(400, "INVALID_ARGUMENT", field_name="message.data")]
    user = await outbox.parent_with_devices(("tok-bad", DeviceLocale.FR))
    await outbox.notify(user)
    async with running(sessions, settings) as worker:
        await worker.run_cycle()
    message = await outbox.message("tok-bad")
    assert message is not None
    assert (message.status, message.attempts) == (PushStatus.DEAD, 1)
    assert message.last_error == "http 400 INVALID_ARGUMENT"


# ---- crash safety ---------------------------------------------------------------------------


async def test_a_message_left_sending_by_a_dead_worker_is_not_resent(
    provider: FakeProvider, settings: Settings, sessions: Sessions, outbox: Outbox
) -> None:
    user = await outbox.parent_with_devices(
        ("tok-crashed", DeviceLocale.FR), ("tok-in-flight", DeviceLocale.FR)
    )
    await outbox.notify(user)
    for token, claimed_ago in (("tok-crashed", 600), ("tok-in-flight", 30)):
        await outbox.execute(
            update(PushMessage)
            .where(
                PushMessage.device_id
                == select(Device.id).where(Device.token == token).scalar_subquery()
            )
            .values(
                status=PushStatus.SENDING,
                claimed_at=func.now() - timedelta(seconds=claimed_ago),
            )
        )
    async with running(sessions, settings) as worker:
        report = await worker.run_cycle()
        assert (report.expired, report.claimed) == (1, 0)
        assert (await worker.run_cycle()).expired == 0

    crashed = await outbox.message("tok-crashed")
    assert crashed is not None
    assert (crashed.status, crashed.last_error) == (PushStatus.FAILED, LEASE_EXPIRED)
    # Another worker's live claim is left to it.
    in_flight = await outbox.message("tok-in-flight")
    assert in_flight is not None
    assert in_flight.status is PushStatus.SENDING
    assert provider.received == []


async def test_two_workers_never_send_the_same_message(
    provider: FakeProvider, sessions: Sessions, outbox: Outbox
) -> None:
    tokens = [f"tok-pair-{n}" for n in range(12)]
    user = await outbox.parent_with_devices(*((t, DeviceLocale.FR) for t in tokens))
    await outbox.notify(user)
    small_batches = _settings(provider.url, push_batch_size=3)
    async with running(sessions, small_batches) as one, running(sessions, small_batches) as two:
        claimed = 0
        for _ in range(4):
            reports = await asyncio.gather(one.run_cycle(), two.run_cycle())
            claimed += sum(r.claimed for r in reports)
    assert claimed == 12
    assert sorted(r.body["message"]["token"] for r in provider.received) == sorted(tokens)


# ---- configuration and running --------------------------------------------------------------


async def test_without_a_provider_nothing_is_sent(
    sessions: Sessions, outbox: Outbox, caplog: pytest.LogCaptureFixture
) -> None:
    user = await outbox.parent_with_devices(("tok-queued", DeviceLocale.FR))
    await outbox.notify(user)
    with caplog.at_level(logging.WARNING, logger="app.messaging.push"):
        async with running(sessions, _settings(None)) as worker:
            assert (await worker.run_cycle()).claimed == 0
            await worker.run_cycle()
    assert caplog.text.count("MASSAR_PUSH_PROVIDER_URL is not set") == 1
    message = await outbox.message("tok-queued")
    assert message is not None
    assert message.status is PushStatus.PENDING


async def test_the_credential_never_reaches_logs_or_errors(
    provider: FakeProvider,
    settings: Settings,
    sessions: Sessions,
    outbox: Outbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    provider.scripts["tok-secret"] = [fcm_error(500, "INTERNAL")]
    user = await outbox.parent_with_devices(("tok-secret", DeviceLocale.FR))
    await outbox.notify(user)
    with caplog.at_level(logging.DEBUG):
        async with running(sessions, settings) as worker:
            await worker.run_cycle()
    message = await outbox.message("tok-secret")
    assert message is not None
    assert CREDENTIAL not in caplog.text
    assert CREDENTIAL not in repr(settings)
    assert "tok-secret" not in (message.last_error or "")


async def test_the_app_can_run_the_worker_in_process(
    provider: FakeProvider, database_url: str, outbox: Outbox
) -> None:
    user = await outbox.parent_with_devices(("tok-in-app", DeviceLocale.FR))
    await outbox.notify(user)
    app = create_app(_settings(provider.url, push_worker_in_app=True), database_url=database_url)
    async with app.router.lifespan_context(app):
        await provider.wait_for_request()
    # Shutdown waits for the batch in flight to be recorded.
    message = await outbox.message("tok-in-app")
    assert message is not None
    assert message.status is PushStatus.SENT


def test_worker_once_from_the_command_line(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(None, database_url=database_url)
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    result = CliRunner().invoke(cli.cli, ["worker", "--once"])
    assert result.exit_code == 0, result.output


def test_the_lease_must_outlast_a_batch() -> None:
    with pytest.raises(ValidationError, match="LEASE"):
        Settings(push_lease_seconds=10, push_timeout_seconds=5, push_batch_size=100)


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (200, {"name": "projects/p/messages/1"}, "sent"),
        (404, fcm_error(404, "UNREGISTERED").body, "gone"),
        (400, fcm_error(400, "UNREGISTERED").body, "gone"),
        (400, fcm_error(400, "INVALID_ARGUMENT", field_name="message.token").body, "gone"),
        (400, fcm_error(400, "INVALID_ARGUMENT", field_name="message.android").body, "dead"),
        (403, fcm_error(403, "SENDER_ID_MISMATCH").body, "dead"),
        (401, fcm_error(401, "THIRD_PARTY_AUTH_ERROR").body, "retry"),
        (429, fcm_error(429, "QUOTA_EXCEEDED").body, "retry"),
        (503, None, "retry"),
    ],
)
def test_provider_answers_are_classified(
    status: int, body: dict[str, Any] | None, kind: str
) -> None:
    response = httpx.Response(status, json=body) if body else httpx.Response(status, text="<html>")
    assert classify(response).kind == kind


@pytest.fixture(autouse=True)
async def _no_leftovers(engine: AsyncEngine) -> AsyncIterator[None]:
    """These tests commit: fail loudly rather than leak rows into the rest of the suite."""
    yield
    async with engine.connect() as conn:
        for model in (Device, Notification, PushMessage):
            assert await conn.scalar(select(func.count()).select_from(model)) == 0, model


# ---- faults: the provider stopped mid-run, a worker killed mid-batch -------------------------


async def test_a_provider_stopped_mid_run_loses_nothing_and_sends_nothing_twice(
    provider: FakeProvider, sessions: Sessions, outbox: Outbox
) -> None:
    tokens = [f"tok-outage-{n}" for n in range(4)]
    user = await outbox.parent_with_devices(*((t, DeviceLocale.FR) for t in tokens))
    await outbox.notify(user)
    settings = _settings(provider.url)
    port = int(provider.url.rsplit(":", 1)[1])

    await provider.stop()  # the provider goes away with the whole batch due
    async with running(sessions, settings) as worker:
        down = await worker.run_cycle()
        assert (down.claimed, down.sent, down.retried) == (4, 0, 4)
        for token in tokens:
            message = await outbox.message(token)
            assert message is not None
            assert (message.status, message.attempts) == (PushStatus.PENDING, 1)

        back = FakeProvider()
        await back.start(port)  # the provider returns where it was
        try:
            await outbox.make_due()
            assert (await worker.run_cycle()).sent == 4
            assert (await worker.run_cycle()).claimed == 0
        finally:
            await back.stop()
    assert sorted(r.body["message"]["token"] for r in back.received) == sorted(tokens)


async def test_a_worker_killed_mid_batch_is_given_up_after_its_lease_and_never_resent(
    provider: FakeProvider, sessions: Sessions, outbox: Outbox, database_url: str
) -> None:
    hanging = [f"tok-killed-{n}" for n in range(3)]
    for token in hanging:
        provider.scripts[token] = [Reply(200, {}, hang=True)]
    user = await outbox.parent_with_devices(*((t, DeviceLocale.FR) for t in hanging))
    await outbox.notify(user)

    worker = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app.cli",
        "worker",
        env={
            **os.environ,
            "MASSAR_DATABASE_URL": database_url,
            "MASSAR_PUSH_PROVIDER_URL": provider.url,
            "MASSAR_PUSH_CREDENTIALS": "test-credential",
            "MASSAR_PUSH_TIMEOUT_SECONDS": "30",
            "MASSAR_PUSH_LEASE_SECONDS": "3600",
        },
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        # The worker has claimed the batch and is waiting on the provider: kill it there. (Its
        # start, a new interpreter importing the app, can take a while on a busy machine.)
        for _ in range(1200):
            if len(provider.received) == len(hanging):
                break
            await asyncio.sleep(0.05)
        assert len(provider.received) == len(hanging)
    finally:
        worker.send_signal(signal.SIGKILL)
        await asyncio.wait_for(worker.wait(), timeout=10)

    for token in hanging:
        message = await outbox.message(token)
        assert message is not None
        assert message.status is PushStatus.SENDING  # claimed, outcome unknown
    # The lease runs out (moved back rather than waited for).
    await outbox.execute(
        update(PushMessage)
        .where(PushMessage.status == PushStatus.SENDING)
        .values(claimed_at=func.now() - timedelta(hours=1))
    )
    later = _settings(provider.url)
    async with running(sessions, later) as successor:
        report = await successor.run_cycle()
        assert (report.expired, report.claimed) == (len(hanging), 0)
    async with sessions() as session:
        given_up = await session.scalars(
            select(PushMessage.last_error)
            .join(Device)
            .where(Device.token.in_(hanging), PushMessage.status == PushStatus.FAILED)
        )
        assert list(given_up) == [LEASE_EXPIRED] * len(hanging)
    # Each was offered to the provider once, by the killed worker, and never again.
    assert sorted(r.body["message"]["token"] for r in provider.received) == sorted(hanging)
