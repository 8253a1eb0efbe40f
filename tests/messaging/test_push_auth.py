"""FCM HTTP v1's OAuth2: tokens minted from a service account at a token endpoint, cached,
renewed before they expire and replaced when refused, against a token server and a provider
that are real HTTP servers on loopback."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwt
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.db.session import create_session_factory
from app.messaging.models import DeviceLocale, PushStatus
from app.messaging.push import (
    FCM_SCOPE,
    JWT_BEARER,
    RENEW_BEFORE_SECONDS,
    ServiceAccount,
    ServiceAccountAuth,
)
from app.settings import Settings
from tests.messaging import test_push_worker
from tests.messaging.test_push_worker import (
    FakeProvider,
    Outbox,
    Reply,
    _settings,
    read_request,
    response,
    running,
)

CLIENT_EMAIL = "massar-push@test-project.iam.gserviceaccount.com"
KEY_ID = "key-1"


@dataclass
class TokenServer:
    """An OAuth2 token endpoint on 127.0.0.1 that checks each assertion's signature and
    claims with the service account's public key, and answers `tok-1`, `tok-2`, … (or the
    scripted failures first)."""

    public_key: str
    lifetime: int = 3600
    failures: list[Reply] = field(default_factory=list)
    assertions: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    url: str = ""
    _server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/token"

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await read_request(reader)
        assert request is not None
        writer.write(response(self._answer(request[2])))
        await writer.drain()
        writer.close()

    def _answer(self, raw: bytes) -> Reply:
        if self.failures:
            return self.failures.pop(0)
        form = {name: values[0] for name, values in parse_qs(raw.decode()).items()}
        if form.get("grant_type") != JWT_BEARER:
            self.refused.append("grant_type")
            return Reply(400, {"error": "unsupported_grant_type"})
        try:
            claims = jwt.decode(
                form["assertion"], self.public_key, algorithms=["RS256"], audience=self.url
            )
        except Exception as exc:  # a wrong signature, audience or expiry: refused, noted
            self.refused.append(type(exc).__name__)
            return Reply(400, {"error": "invalid_grant"})
        claims["kid"] = jwt.get_unverified_header(form["assertion"]).get("kid")
        self.assertions.append(claims)
        token = f"tok-{len(self.assertions)}"
        return Reply(
            200, {"access_token": token, "expires_in": self.lifetime, "token_type": "Bearer"}
        )


@dataclass(frozen=True)
class Key:
    private: str
    public: str


@pytest.fixture(scope="module")
def key() -> Key:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return Key(
        private=private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        public=private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode(),
    )


# The push worker's tests' provider on loopback, as a fixture of this module too.
provider = test_push_worker.provider


@pytest.fixture
async def token_server(key: Key) -> AsyncIterator[TokenServer]:
    server = TokenServer(public_key=key.public)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def key_file(tmp_path: Path, key: Key) -> Path:
    """A service account key file, in the shape the Firebase console gives."""
    path = tmp_path / "service-account.json"
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "test-project",
                "private_key_id": KEY_ID,
                "private_key": key.private,
                "client_email": CLIENT_EMAIL,
                "token_uri": "https://oauth2.invalid/token",  # overridden by the setting
            }
        )
    )
    return path


@pytest.fixture
def settings(provider: FakeProvider, token_server: TokenServer, key_file: Path) -> Settings:
    return _settings(
        provider.url,
        push_credentials=None,
        push_service_account_file=key_file,
        push_token_url=token_server.url,
    )


@pytest.fixture
async def outbox(engine: AsyncEngine) -> AsyncIterator[Outbox]:
    box = Outbox(create_session_factory(engine))
    try:
        yield box
    finally:
        await box.clean()


async def test_sends_carry_a_token_minted_from_the_service_account(
    provider: FakeProvider, token_server: TokenServer, settings: Settings, outbox: Outbox
) -> None:
    user = await outbox.parent_with_devices(
        ("tok-a", DeviceLocale.FR), ("tok-b", DeviceLocale.AR), ("tok-c", DeviceLocale.EN)
    )
    await outbox.notify(user)

    async with running(outbox.sessions, settings) as worker:
        report = await worker.run_cycle()

    assert report.sent == 3
    # One token for the whole batch, minted once and cached.
    assert {r.authorization for r in provider.received} == {"Bearer tok-1"}
    (claims,) = token_server.assertions
    assert claims["iss"] == CLIENT_EMAIL
    assert claims["scope"] == FCM_SCOPE
    assert claims["aud"] == token_server.url
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["kid"] == KEY_ID
    assert token_server.refused == []


async def test_the_token_is_renewed_before_it_expires(
    token_server: TokenServer, key_file: Path
) -> None:
    now = 1_800_000_000.0
    auth = ServiceAccountAuth(
        ServiceAccount.from_file(key_file), token_server.url, 5, clock=lambda: now
    )
    assert await auth.access_token() == "tok-1"
    now += token_server.lifetime - RENEW_BEFORE_SECONDS - 1
    assert await auth.access_token() == "tok-1"  # still well within its life
    now += 1
    assert await auth.access_token() == "tok-2"  # about to expire: a new one
    assert auth.minted == 2
    assert [c["iat"] for c in token_server.assertions][1] == int(now)
    # Many sends at once wait for one mint, not one each.
    now += token_server.lifetime
    tokens = await asyncio.gather(*(auth.access_token() for _ in range(10)))
    assert set(tokens) == {"tok-3"}


async def test_a_refused_token_is_replaced_and_the_message_sent(
    provider: FakeProvider, token_server: TokenServer, settings: Settings, outbox: Outbox
) -> None:
    refused = {"error": {"code": 401, "status": "UNAUTHENTICATED", "message": "expired"}}
    provider.scripts["tok-revoked"] = [Reply(401, refused)]
    user = await outbox.parent_with_devices(("tok-revoked", DeviceLocale.FR))
    await outbox.notify(user)

    async with running(outbox.sessions, settings) as worker:
        report = await worker.run_cycle()

    assert report.sent == 1
    assert [r.authorization for r in provider.to("tok-revoked")] == [
        "Bearer tok-1",
        "Bearer tok-2",
    ]
    message = await outbox.message("tok-revoked")
    assert message is not None
    assert message.status is PushStatus.SENT


async def test_without_a_token_nothing_is_sent_and_it_is_tried_again(
    provider: FakeProvider,
    token_server: TokenServer,
    settings: Settings,
    outbox: Outbox,
    key: Key,
    caplog: pytest.LogCaptureFixture,
) -> None:
    token_server.failures.append(Reply(400, {"error": "invalid_grant"}))
    user = await outbox.parent_with_devices(("tok-no-auth", DeviceLocale.FR))
    await outbox.notify(user)

    with caplog.at_level(logging.DEBUG):
        async with running(outbox.sessions, settings) as worker:
            report = await worker.run_cycle()

    assert (report.sent, report.retried) == (0, 1)
    assert provider.received == []
    message = await outbox.message("tok-no-auth")
    assert message is not None
    assert message.status is PushStatus.PENDING
    assert message.attempts == 1
    assert message.last_error == "token endpoint: http 400 invalid_grant"
    # The key never shows in a log line, an error or a repr.
    secret_line = key.private.splitlines()[1]
    assert secret_line not in caplog.text
    assert settings.push_service_account_file is not None
    assert secret_line not in repr(ServiceAccount.from_file(settings.push_service_account_file))
