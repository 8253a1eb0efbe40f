"""Push delivery: the worker that drains the outbox (`push_messages`) into the push provider.

Each cycle gives up messages whose worker died (see below), claims a batch of due `pending`
messages with `FOR UPDATE SKIP LOCKED` and marks them `sending` in one committed statement (so a
second worker never takes them), then posts each to the provider in the FCM HTTP v1 shape with a
bounded concurrency, and records each outcome in its own short transaction as soon as the
provider answers. Sends carry an OAuth2 access token minted from FCM's service account and
renewed before it expires (`ServiceAccountAuth`, below).

Delivery is AT MOST ONCE when the outcome is unknown. FCM offers no idempotency key, so after a
crash between "the provider accepted it" and "we committed `sent`", nothing tells us whether the
phone got it. At-least-once would resend it (a parent sees the absence alert twice, and may
think it is a second absence); at-most-once drops the push, and the notification is still in
the inbox, where the app shows it at its next start. A push is a nudge and the inbox is the
record, so a lost nudge is the cheaper failure. Hence:
- the window of doubt is kept short: `sent` is committed right after each answer, not at the
  end of the batch;
- a message still `sending` after the lease (`push_lease_seconds`) belongs to a worker that
  died: it goes to `failed` (outcome unknown) and is never sent again;
- retries happen only when the provider answered that it did not take the message (429, 5xx,
  401) or the request failed in transport (timeout, connection error). Those follow FCM's own
  retry guidance; a read timeout after the request left is, strictly, also an unknown outcome,
  and is the one remaining, rare source of a duplicate.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import httpx
from jose import jwt
from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.metrics import DELIVERIES, OUTBOX_DEPTH
from app.exams.sessions import announce_published_exams
from app.messaging.models import Device, DeviceLocale, Notification, PushMessage, PushStatus
from app.messaging.notifications import CONTENT_COLUMNS
from app.settings import Settings

log = logging.getLogger(__name__)

LEASE_EXPIRED = "outcome unknown: the worker stopped before confirming; not resent"
# FCM refuses data keys it reserves for itself; a caller's such key is dropped, not fatal.
_RESERVED_DATA_KEYS = frozenset({"from", "notification", "message_type"})
_RESERVED_DATA_PREFIXES = ("google", "gcm")
_RETRYABLE_STATUS = frozenset({401, 408, 429})
_ERROR_MAX = 200


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A claimed message with what the provider needs, in the device's language."""

    id: uuid.UUID
    device_id: uuid.UUID
    attempts: int
    token: str
    title: str
    body: str
    data: dict[str, str]


@dataclass(frozen=True, slots=True)
class Verdict:
    """What to do with a message after one try; `detail` is the provider's message name when
    sent, else a short error (a status and an FCM code, never a token or a secret)."""

    kind: Literal["sent", "retry", "gone", "dead"]
    detail: str | None = None


@dataclass
class CycleReport:
    """What one cycle did, for logs and tests."""

    expired: int = 0
    announced: int = 0
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    dead: int = 0
    unregistered: int = 0
    errors: int = 0

    def count(self, verdict: Verdict, *, gave_up: bool) -> None:
        """Count one message's outcome (a retry past the last attempt counts as dead)."""
        if verdict.kind == "sent":
            self.sent += 1
        elif verdict.kind == "gone":
            self.unregistered += 1
        elif verdict.kind == "dead" or gave_up:
            self.dead += 1
        else:
            self.retried += 1

    def measure(self) -> None:
        """Add this cycle's outcomes to the worker's metrics."""
        for outcome in ("expired", "sent", "retried", "dead", "unregistered"):
            DELIVERIES.labels(outcome).inc(getattr(self, outcome))
        DELIVERIES.labels("error").inc(self.errors)


class PushWorker:
    """Delivers the outbox; `client` is None when no provider is configured (nothing is sent)."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        settings: Settings,
        client: httpx.AsyncClient | None,
    ) -> None:
        self._sessions = session_factory
        self._settings = settings
        self._client = client
        self._send_path = f"/v1/projects/{quote(settings.push_project_id, safe='')}/messages:send"
        self._warned_unconfigured = False

    async def run_cycle(self) -> CycleReport:
        """Give up dead workers' messages, announce exam results that came out, then claim,
        send and record one batch."""
        report = CycleReport(expired=await self._expire_leases())
        async with self._sessions.begin() as session:
            # Results become visible at a set time: this loop is the clock that tells families.
            report.announced = await announce_published_exams(session)
        if self._client is None:
            if not self._warned_unconfigured:
                log.warning("MASSAR_PUSH_PROVIDER_URL is not set: push messages stay queued")
                self._warned_unconfigured = True
            OUTBOX_DEPTH.set(await self._outbox_depth())
            return report
        batch = await self._claim()
        report.claimed = len(batch)
        limit = asyncio.Semaphore(self._settings.push_concurrency)

        async def deliver(message: Outgoing) -> None:
            async with limit:
                await self._deliver(message, report)

        await asyncio.gather(*(deliver(message) for message in batch))
        if batch:
            log.info("push cycle: %s", report)
        report.measure()
        OUTBOX_DEPTH.set(await self._outbox_depth())
        return report

    async def _outbox_depth(self) -> int:
        async with self._sessions() as session:
            depth = await session.scalar(
                select(func.count()).where(PushMessage.status == PushStatus.PENDING)
            )
        return int(depth or 0)

    async def _expire_leases(self) -> int:
        lease = timedelta(seconds=self._settings.push_lease_seconds)
        async with self._sessions.begin() as session:
            expired = await session.scalars(
                update(PushMessage)
                .where(
                    PushMessage.status == PushStatus.SENDING,
                    PushMessage.claimed_at < func.now() - lease,
                )
                .values(status=PushStatus.FAILED, last_error=LEASE_EXPIRED)
                .returning(PushMessage.id)
                .execution_options(synchronize_session=False)
            )
            count = len(expired.all())
        if count:
            log.warning("%d push messages left unconfirmed by a stopped worker: not resent", count)
        return count

    async def _claim(self) -> list[Outgoing]:
        """Take a batch of due messages for this worker, committed before anything is sent."""
        due = (
            select(PushMessage.id)
            .where(
                PushMessage.status == PushStatus.PENDING,
                PushMessage.next_attempt_at <= func.now(),
            )
            .order_by(PushMessage.next_attempt_at)
            .limit(self._settings.push_batch_size)
            .with_for_update(skip_locked=True)
        )
        # One statement: lock, mark, and read what the provider needs (UPDATE … FROM).
        claim = (
            update(PushMessage)
            .where(
                PushMessage.id.in_(due),
                Device.id == PushMessage.device_id,
                Notification.id == PushMessage.notification_id,
            )
            .values(status=PushStatus.SENDING, claimed_at=func.now())
            .returning(
                PushMessage.id,
                PushMessage.device_id,
                PushMessage.attempts,
                Device.token,
                Device.locale,
                Notification.id.label("notification_id"),
                *CONTENT_COLUMNS,
            )
            .execution_options(synchronize_session=False)
        )
        async with self._sessions.begin() as session:
            rows = (await session.execute(claim)).all()
        return [_outgoing(row) for row in rows]

    async def _deliver(self, message: Outgoing, report: CycleReport) -> None:
        try:
            verdict = await self._send(message)
            gave_up = await self._record(message, verdict)
        except Exception:
            # Left `sending`: its lease will run out and it will be given up, never resent.
            log.exception("recording the outcome of push message %s failed", message.id)
            report.errors += 1
            return
        report.count(verdict, gave_up=gave_up)

    async def _send(self, message: Outgoing) -> Verdict:
        assert self._client is not None
        try:
            response = await self._client.post(self._send_path, json=fcm_payload(message))
        except TokenUnavailable as exc:
            # Not sent: no token to send it with. Tried again later, like a provider outage.
            return Verdict("retry", str(exc))
        except httpx.TimeoutException:
            return Verdict("retry", "timeout")
        except httpx.TransportError as exc:
            return Verdict("retry", f"connection error: {type(exc).__name__}")
        return classify(response)

    async def _record(self, message: Outgoing, verdict: Verdict) -> bool:
        """Store the outcome in its own transaction; True when the message was given up."""
        async with self._sessions.begin() as session:
            if verdict.kind == "gone":
                # The token is dead: forget the device; its queued messages go with it.
                await session.execute(delete(Device).where(Device.id == message.device_id))
                return False
            if verdict.kind == "sent":
                await _mark_sent(session, message.id, verdict.detail)
                return False
            if verdict.kind == "dead":
                await _settle(session, message.id, verdict.detail, message.attempts + 1)
                return True
            return await self._reschedule(session, message, verdict.detail)

    async def _reschedule(
        self, session: AsyncSession, message: Outgoing, error: str | None
    ) -> bool:
        attempts = message.attempts + 1
        if attempts >= self._settings.push_max_attempts:
            await _settle(session, message.id, error, attempts)
            return True
        delay = self._settings.push_backoff_base_seconds * 2**message.attempts
        # Up to 10% of jitter, so that messages failed together do not come back together.
        delay *= 1 + random.uniform(0, 0.1)  # noqa: S311 (spreading load, not a secret)
        await session.execute(
            update(PushMessage)
            .where(PushMessage.id == message.id, PushMessage.status == PushStatus.SENDING)
            .values(
                status=PushStatus.PENDING,
                attempts=attempts,
                next_attempt_at=func.now() + timedelta(seconds=delay),
                claimed_at=None,
                last_error=error,
            )
            .execution_options(synchronize_session=False)
        )
        return False


async def _mark_sent(session: AsyncSession, message_id: uuid.UUID, name: str | None) -> None:
    # Also over `failed`: if the lease ran out while the provider was answering, the truth is
    # that it was delivered.
    await session.execute(
        update(PushMessage)
        .where(
            PushMessage.id == message_id,
            PushMessage.status.in_([PushStatus.SENDING, PushStatus.FAILED]),
        )
        .values(status=PushStatus.SENT, sent_at=func.now(), provider_message_id=name)
        .execution_options(synchronize_session=False)
    )


async def _settle(
    session: AsyncSession, message_id: uuid.UUID, error: str | None, attempts: int
) -> None:
    """Give a message up: `dead`, known not delivered."""
    await session.execute(
        update(PushMessage)
        .where(PushMessage.id == message_id, PushMessage.status == PushStatus.SENDING)
        .values(status=PushStatus.DEAD, attempts=attempts, last_error=error)
        .execution_options(synchronize_session=False)
    )


def _outgoing(row: Row[*tuple[Any, ...]]) -> Outgoing:
    arabic = row.locale == DeviceLocale.AR
    return Outgoing(
        id=row.id,
        device_id=row.device_id,
        attempts=row.attempts,
        token=row.token,
        title=row.title_ar if arabic else row.title_fr,
        body=row.body_ar if arabic else row.body_fr,
        data=_fcm_data(row.data)
        | {"notification_id": str(row.notification_id), "category": str(row.category)},
    )


def _fcm_data(data: dict[str, Any]) -> dict[str, str]:
    """FCM data values are strings; reserved keys and nulls are left out."""
    return {
        key: value if isinstance(value, str) else json.dumps(value)
        for key, value in data.items()
        if value is not None
        and key not in _RESERVED_DATA_KEYS
        and not key.lower().startswith(_RESERVED_DATA_PREFIXES)
    }


def fcm_payload(message: Outgoing) -> dict[str, Any]:
    """The body of an FCM HTTP v1 `messages:send` request."""
    return {
        "message": {
            "token": message.token,
            "notification": {"title": message.title, "body": message.body},
            "data": message.data,
        }
    }


def classify(response: httpx.Response) -> Verdict:
    """Read the provider's answer: sent, retry later, the token is gone, or give up."""
    status = response.status_code
    if 200 <= status < 300:
        name = _json(response).get("name")
        return Verdict("sent", str(name)[:_ERROR_MAX] if name else None)
    codes, fields = _fcm_error(response)
    detail = " ".join([f"http {status}", *sorted(codes)])[:_ERROR_MAX]
    if status == 404 or "UNREGISTERED" in codes:
        return Verdict("gone", detail)
    if status == 400 and "INVALID_ARGUMENT" in codes and "message.token" in fields:
        return Verdict("gone", detail)
    if status >= 500 or status in _RETRYABLE_STATUS:
        return Verdict("retry", detail)
    # Anything else (a payload FCM refuses, a sender mismatch) will not get better by retrying.
    return Verdict("dead", detail)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _fcm_error(response: httpx.Response) -> tuple[set[str], set[str]]:
    """The FCM error codes (`status`, `errorCode`) and the request fields blamed."""
    error = _json(response).get("error")
    if not isinstance(error, dict):
        return set(), set()
    codes = {str(error["status"])} if error.get("status") else set()
    fields: set[str] = set()
    for detail in error.get("details") or []:
        if not isinstance(detail, dict):
            continue
        if detail.get("errorCode"):
            codes.add(str(detail["errorCode"]))
        for violation in detail.get("fieldViolations") or []:
            if isinstance(violation, dict) and violation.get("field"):
                fields.add(str(violation["field"]))
    return codes, fields


# ---- the provider's credentials -----------------------------------------------------------

FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# An assertion asks for a token of at most an hour (Google's limit).
ASSERTION_SECONDS = 3600
# A token is renewed this long before it expires, so a send never carries one that runs out
# on the way.
RENEW_BEFORE_SECONDS = 300


class TokenUnavailable(Exception):
    """The token endpoint did not give an access token (the reason names no secret)."""


@dataclass(frozen=True, slots=True)
class ServiceAccount:
    """The parts of a service account key that mint tokens. No repr: it holds the key."""

    client_email: str
    private_key: str = field(repr=False)
    private_key_id: str | None
    token_uri: str

    @classmethod
    def from_file(cls, path: Path) -> ServiceAccount:
        key = json.loads(path.read_text())
        return cls(
            client_email=key["client_email"],
            private_key=key["private_key"],
            private_key_id=key.get("private_key_id"),
            token_uri=key.get("token_uri", "https://oauth2.googleapis.com/token"),
        )


class ServiceAccountAuth(httpx.Auth):
    """OAuth2 for FCM HTTP v1 (RFC 7523): a JWT signed RS256 with the service account's key
    (claims iss, scope, aud, iat, exp) is traded at the token endpoint for an access token,
    which every send carries until shortly before it expires. One token is minted at a time
    (concurrent sends wait for it). A 401 from FCM drops the token, and the send is tried
    once more with a fresh one."""

    def __init__(
        self,
        account: ServiceAccount,
        token_url: str,
        timeout: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._account = account
        self._token_url = token_url
        self._timeout = timeout
        self._clock = clock
        self._lock = asyncio.Lock()
        self._token: str | None = None
        self._expires_at = 0.0
        self.minted = 0

    async def access_token(self) -> str:
        """The current token, minted anew when there is none or it is about to expire."""
        async with self._lock:
            if self._token is None or self._clock() >= self._expires_at - RENEW_BEFORE_SECONDS:
                self._token, self._expires_at = await self._mint()
            return self._token

    def forget(self, token: str) -> None:
        """The provider refused this token: the next send mints another."""
        if self._token == token:
            self._token = None

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self.access_token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            self.forget(token)
            request.headers["Authorization"] = f"Bearer {await self.access_token()}"
            yield request

    def assertion(self, now: int) -> str:
        """The signed JWT the token endpoint trades."""
        claims = {
            "iss": self._account.client_email,
            "scope": FCM_SCOPE,
            "aud": self._token_url,
            "iat": now,
            "exp": now + ASSERTION_SECONDS,
        }
        headers = {"kid": self._account.private_key_id} if self._account.private_key_id else None
        return jwt.encode(claims, self._account.private_key, algorithm="RS256", headers=headers)

    async def _mint(self) -> tuple[str, float]:
        now = self._clock()
        form = {"grant_type": JWT_BEARER, "assertion": self.assertion(int(now))}
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                response = await client.post(self._token_url, data=form)
        except httpx.HTTPError as exc:
            raise TokenUnavailable(f"token endpoint: {type(exc).__name__}") from None
        body = _json(response)
        token = body.get("access_token")
        if response.status_code != 200 or not isinstance(token, str):
            # OAuth2's error code (`invalid_grant`, …) says what is wrong without a secret.
            error = str(body.get("error", ""))[:50]
            raise TokenUnavailable(f"token endpoint: http {response.status_code} {error}".strip())
        self.minted += 1
        lifetime = body.get("expires_in", ASSERTION_SECONDS)
        return token, now + (lifetime if isinstance(lifetime, int | float) else ASSERTION_SECONDS)


def provider_auth(settings: Settings) -> httpx.Auth | None:
    """How sends authenticate: minted OAuth2 tokens with a service account, else the fixed
    bearer (a stand-in provider), else nothing."""
    if settings.push_service_account_file is not None:
        account = ServiceAccount.from_file(settings.push_service_account_file)
        token_url = settings.push_token_url or account.token_uri
        return ServiceAccountAuth(account, token_url, settings.push_timeout_seconds)
    if settings.push_credentials is not None:
        return _FixedBearer(settings.push_credentials.get_secret_value())
    return None


class _FixedBearer(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        request.headers["Authorization"] = self._header
        yield request


def provider_client(settings: Settings) -> httpx.AsyncClient:
    """The one HTTP client a worker shares between its sends."""
    assert settings.push_provider_url is not None
    return httpx.AsyncClient(
        base_url=settings.push_provider_url,
        auth=provider_auth(settings),
        timeout=httpx.Timeout(settings.push_timeout_seconds),
        limits=httpx.Limits(
            max_connections=settings.push_concurrency,
            max_keepalive_connections=settings.push_concurrency,
        ),
    )


@contextlib.asynccontextmanager
async def push_worker(
    session_factory: async_sessionmaker[AsyncSession], settings: Settings
) -> AsyncIterator[PushWorker]:
    """A worker and its HTTP client (none without a provider URL), closed on the way out."""
    if settings.push_provider_url is None:
        yield PushWorker(session_factory, settings, None)
        return
    async with provider_client(settings) as client:
        yield PushWorker(session_factory, settings, client)
