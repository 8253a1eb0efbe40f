"""Failed-login throttling: counters and temporary lockouts per account and per client IP.

The counters live in Redis when `MASSAR_REDIS_URL` is set (shared by every worker and
instance), else in this process. Both sit behind `ThrottleStore`, so the policy in
`LoginThrottle` does not know which one it talks to.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Protocol

from fastapi import Depends
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from starlette.requests import Request

from app.core.metrics import LOCKOUTS
from app.core.security.passwords import HashingBusy
from app.errors import ProblemError
from app.settings import Settings, get_settings

log = logging.getLogger(__name__)
# Past this many entries the in-process store sweeps out the ones that have run out.
_MEMORY_SWEEP_AT = 10_000
_MAX_IP_LENGTH = 64
_REDIS_TIMEOUT = 0.5
_RELEASE = """
if redis.call('exists', KEYS[1]) == 1 and tonumber(redis.call('get', KEYS[1])) > 0 then
    return redis.call('decr', KEYS[1])
end
return 0
"""
Clock = Callable[[], float]


class TooManyAttempts(ProblemError):
    """429: this account or this client failed too often; `Retry-After` says for how long."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            429, "auth.too_many_attempts", headers={"Retry-After": str(max(retry_after, 1))}
        )


class ThrottleStore(Protocol):
    """Counters that expire with their window, and locks that expire on their own."""

    async def add_failure(self, key: str, window_seconds: int) -> int:
        """Count one failure; the count in the current window, this one included."""
        ...

    async def release(self, key: str) -> None:
        """Take back one count of the current window (an attempt that turned out right)."""
        ...

    async def lock(self, key: str, seconds: int) -> None:
        """Lock the key for this many seconds."""
        ...

    async def locked_for(self, key: str) -> int:
        """Seconds left on the key's lock; 0 when it is not locked."""
        ...

    async def clear(self, key: str) -> None:
        """Forget the key's failures."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


class MemoryThrottleStore:
    """One process's counters: right for development, tests and a single worker."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, tuple[int, float]] = {}
        self._locks: dict[str, float] = {}

    async def add_failure(self, key: str, window_seconds: int) -> int:
        """Count one failure; the count in the current window, this one included."""
        now = self._clock()
        self._sweep(now)
        count, ends = self._failures.get(key, (0, 0.0))
        if ends <= now:
            count, ends = 0, now + window_seconds
        self._failures[key] = (count + 1, ends)
        return count + 1

    async def release(self, key: str) -> None:
        """Take back one count of the current window (an attempt that turned out right)."""
        count, ends = self._failures.get(key, (0, 0.0))
        if count > 0 and ends > self._clock():
            self._failures[key] = (count - 1, ends)

    async def lock(self, key: str, seconds: int) -> None:
        """Lock the key for this many seconds."""
        now = self._clock()
        self._sweep(now)
        self._locks[key] = now + seconds

    async def locked_for(self, key: str) -> int:
        """Seconds left on the key's lock; 0 when it is not locked."""
        left = self._locks.get(key, 0.0) - self._clock()
        return math.ceil(left) if left > 0 else 0

    async def clear(self, key: str) -> None:
        """Forget the key's failures."""
        self._failures.pop(key, None)

    async def aclose(self) -> None:
        """Nothing to release."""

    def _sweep(self, now: float) -> None:
        # Unknown usernames are counted too, so an attacker could otherwise grow these forever.
        if len(self._failures) + len(self._locks) < _MEMORY_SWEEP_AT:
            return
        self._failures = {k: v for k, v in self._failures.items() if v[1] > now}
        self._locks = {k: until for k, until in self._locks.items() if until > now}


class RedisThrottleStore:
    """Counters in Redis, shared by every worker; expiry is Redis's own."""

    def __init__(self, client: Redis, prefix: str = "massar:login:") -> None:
        self._client = client
        self._prefix = prefix

    async def add_failure(self, key: str, window_seconds: int) -> int:
        """Count one failure; the count in the current window, this one included."""
        name = f"{self._prefix}failures:{key}"
        try:
            async with self._client.pipeline(transaction=True) as pipe:
                # The window starts with the first failure and later ones do not stretch it:
                # SET NX creates the counter with its expiry, INCR keeps that expiry.
                pipe.set(name, 0, ex=window_seconds, nx=True)
                pipe.incr(name)
                _, count = await pipe.execute()
        except RedisError:
            _warn_unavailable()
            return 0
        return int(count)

    async def release(self, key: str) -> None:
        """Take back one count of the current window (an attempt that turned out right)."""
        try:
            # Only a live counter: DECR on an expired key would make one with no expiry.
            await self._client.eval(_RELEASE, 1, f"{self._prefix}failures:{key}")
        except RedisError:
            _warn_unavailable()

    async def lock(self, key: str, seconds: int) -> None:
        """Lock the key for this many seconds."""
        try:
            await self._client.set(f"{self._prefix}lock:{key}", b"1", ex=seconds)
        except RedisError:
            _warn_unavailable()

    async def locked_for(self, key: str) -> int:
        """Seconds left on the key's lock; 0 when it is not locked."""
        try:
            left = int(await self._client.pttl(f"{self._prefix}lock:{key}"))
        except RedisError:
            _warn_unavailable()
            return 0
        return math.ceil(left / 1000) if left > 0 else 0

    async def clear(self, key: str) -> None:
        """Forget the key's failures."""
        try:
            await self._client.delete(f"{self._prefix}failures:{key}")
        except RedisError:
            _warn_unavailable()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()


def _warn_unavailable() -> None:
    # Fail open: a Redis outage on results day must not lock every user out; passwords
    # (and the second factor) are still checked.
    log.warning("login throttle store unavailable: failures are not being counted")


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    window_seconds: int
    lockout_seconds: int
    max_per_account: int
    max_per_ip: int


@dataclass(frozen=True, slots=True)
class Attempt:
    """One try at a secret, already counted against the account and the client."""

    account_key: str
    ip_key: str
    account_count: int
    ip_count: int


class LoginThrottle:
    """The rules: N tries in the window that were not right lock the account (or the client)
    for a while.

    A try is counted before the secret is checked, in one atomic step of the store, and a try
    over the limit is refused then and there: twenty wrong passwords sent at once get as many
    checks as twenty sent one after the other. A right answer takes its count back."""

    def __init__(self, store: ThrottleStore, policy: ThrottlePolicy) -> None:
        self.store = store
        self.policy = policy

    async def begin(self, username: str, client_ip: str) -> Attempt:
        """Count a try; raise `TooManyAttempts` while locked or when this try is over a limit."""
        account, ip = _account_key(username), _ip_key(client_ip)
        wait = max(await self.store.locked_for(account), await self.store.locked_for(ip))
        if wait:
            raise TooManyAttempts(wait)
        attempt = Attempt(
            account_key=account,
            ip_key=ip,
            account_count=await self.store.add_failure(account, self.policy.window_seconds),
            ip_count=await self.store.add_failure(ip, self.policy.window_seconds),
        )
        if (
            attempt.account_count > self.policy.max_per_account
            or attempt.ip_count > self.policy.max_per_ip
        ):
            raise TooManyAttempts(self.policy.lockout_seconds)
        return attempt

    async def failed(self, attempt: Attempt) -> None:
        """The try was wrong: it stays counted, and the one that reaches a limit locks."""
        await self._lock_at_limit(
            attempt.account_key, attempt.account_count, self.policy.max_per_account
        )
        await self._lock_at_limit(attempt.ip_key, attempt.ip_count, self.policy.max_per_ip)

    async def succeeded(self, attempt: Attempt, *, second_factor_due: bool = False) -> None:
        """The secret was right: this try is taken back, and the account's earlier failures are
        forgotten (only once the second factor is given too, when one is due)."""
        await self.store.release(attempt.ip_key)
        if second_factor_due:
            await self.store.release(attempt.account_key)
        else:
            await self.store.clear(attempt.account_key)

    @asynccontextmanager
    async def checking(self, attempt: Attempt) -> AsyncIterator[None]:
        """Around the check of the secret: a try that could not be checked (every hashing
        thread busy, 503) is taken back, so a storm locks nobody out."""
        try:
            yield
        except HashingBusy:
            await self.store.release(attempt.account_key)
            await self.store.release(attempt.ip_key)
            raise

    async def aclose(self) -> None:
        """Release the store's connections."""
        await self.store.aclose()

    async def _lock_at_limit(self, key: str, count: int, limit: int) -> None:
        if count >= limit:
            await self.store.lock(key, self.policy.lockout_seconds)
            await self.store.clear(key)
            LOCKOUTS.labels(key.partition(":")[0]).inc()


class RequestRate:
    """At most `limit` requests a minute per caller (an API client), counted in the throttle's
    store: shared by every worker through Redis, and failing open with it."""

    window_seconds = 60

    def __init__(self, store: ThrottleStore, limit: int) -> None:
        self.store = store
        self.limit = limit

    async def count(self, caller: str) -> None:
        """Count one request; 429 with `Retry-After` past the limit of the current minute."""
        if await self.store.add_failure("rate:" + caller, self.window_seconds) > self.limit:
            raise ProblemError(
                429,
                "status.429",
                kind="rate-limited",
                headers={"Retry-After": str(self.window_seconds)},
            )


def _account_key(username: str) -> str:
    # Hashed: usernames of pupils are personal data and need not sit in Redis in clear.
    return "account:" + hashlib.sha256(username.encode()).hexdigest()[:32]


def _ip_key(client_ip: str) -> str:
    return "ip:" + client_ip


def redis_client(url: str) -> Redis:
    """A client that gives up at once: short timeouts and no retries, so a Redis that is down
    or hung costs a login half a second at most, and the store fails open (the client's own
    default retries ten times with backoff, seconds per call)."""
    return Redis.from_url(
        url,
        socket_timeout=_REDIS_TIMEOUT,
        socket_connect_timeout=_REDIS_TIMEOUT,
        retry=Retry(NoBackoff(), 0),
    )


def build_login_throttle(settings: Settings, store: ThrottleStore | None = None) -> LoginThrottle:
    """The throttle the settings ask for: Redis when a URL is set, else in-process."""
    if store is None and settings.redis_url:
        store = RedisThrottleStore(redis_client(settings.redis_url))
    elif store is None:
        if settings.workers > 1:
            log.warning("MASSAR_REDIS_URL is unset: each worker counts failed logins on its own")
        store = MemoryThrottleStore()
    policy = ThrottlePolicy(
        window_seconds=settings.login_failure_window_seconds,
        lockout_seconds=settings.login_lockout_seconds,
        max_per_account=settings.login_max_failures_per_account,
        max_per_ip=settings.login_max_failures_per_ip,
    )
    return LoginThrottle(store, policy)


def client_ip(request: Request, trusted_proxies: Sequence[str]) -> str:
    """The caller's address: the ASGI peer, or what a trusted proxy says in X-Forwarded-For."""
    peer = request.client.host if request.client else "unknown"
    networks = _networks(tuple(trusted_proxies))
    if not networks or not _is_trusted(peer, networks):
        return peer
    forwarded = [
        hop.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for hop in header.split(",")
        if hop.strip()
    ]
    # From the right: each trusted proxy appended its peer, and the first address no trusted
    # proxy could have added is the client. Anything left of it is the client's own claim.
    for hop in reversed(forwarded):
        if not _is_trusted(hop, networks):
            return hop[:_MAX_IP_LENGTH]
    return forwarded[0][:_MAX_IP_LENGTH] if forwarded else peer


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


async def login_throttle(request: Request) -> LoginThrottle:
    throttle: LoginThrottle = request.app.state.login_throttle
    return throttle


async def _client_ip(request: Request) -> str:
    return client_ip(request, get_settings().trusted_proxies)


async def _request_rate(request: Request) -> RequestRate:
    throttle: LoginThrottle = request.app.state.login_throttle
    return RequestRate(throttle.store, get_settings().client_requests_per_minute)


LoginThrottleDep = Annotated[LoginThrottle, Depends(login_throttle)]
RequestRateDep = Annotated[RequestRate, Depends(_request_rate)]
ClientIP = Annotated[str, Depends(_client_ip)]
