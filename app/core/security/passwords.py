"""argon2id password hashing, in threads of its own, behind a gate that keeps a core for reads.

A login storm (results day) must not starve the reads every pupil, parent and teacher opens:
- hashing gets fewer threads than the machine has cores;
- those threads run at a lower scheduling priority (`MASSAR_PASSWORD_HASHING_NICE`), so when
  the cores are busy the reads, and the PostgreSQL backends serving them, run first, and
  hashing takes what they leave; on an idle machine it runs at full speed;
- a login beyond what the threads can take waits in a short queue (bounded in count and in
  time), then answers 503 `login-busy` with `Retry-After` rather than waiting without end.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import threading
import weakref
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import lru_cache, partial
from typing import Annotated, Any, TypeVar

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Depends

from app.errors import ProblemError
from app.settings import Settings, get_settings

T = TypeVar("T")
log = logging.getLogger(__name__)

# The OpenAPI answer of every operation that hashes a password (logins, activation, password
# changes, opening accounts).
HASHING_BUSY_RESPONSE: dict[int | str, dict[str, Any]] = {
    503: {
        "description": "Too many logins at this moment (`login-busy`): the password could not be "
        "checked in time. Nothing was changed; try again after `Retry-After` seconds."
    }
}


class HashingBusy(ProblemError):
    """503: every hashing thread is taken and the queue is full, or the wait ran out."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            503, "auth.login_busy", kind="login-busy", headers={"Retry-After": str(retry_after)}
        )


def usable_cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def hashing_capacity(cores: int, workers: int) -> int:
    """Hashes one worker process runs at once: the machine's cores but one, shared out among
    the workers (`MASSAR_WORKERS`), and at least one.

    A per-process share rather than a semaphore across processes: nothing is shared between
    workers, so it costs nothing and cannot be left held by a worker that died. The floor of
    one means that with as many workers as cores, hashing could take every core: run at most
    cores - 1 workers per machine to keep one for reads."""
    return max(1, (cores - 1) // workers)


def _lower_priority(nice: int) -> None:
    """Run the calling thread `nice` steps below the others (Linux keeps a nice value per
    thread). Raising one's own nice value needs no privilege; where the platform has no
    per-thread priority the thread simply keeps the process's."""
    if nice and hasattr(os, "setpriority"):
        with contextlib.suppress(OSError):
            tid = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + nice)


class HashingGate:
    """At most `capacity` hashes at once; at most `queue_size` callers waiting for one, each
    for at most `queue_seconds`; anyone beyond gets `HashingBusy` at once.

    Logins are also admitted before they touch the database (`admit`): no more than the
    threads and the queue can take are let in, so a login that would be refused is refused
    at once, without waiting for a connection that reads need."""

    def __init__(self, capacity: int, queue_size: int, queue_seconds: float, nice: int = 0) -> None:
        self.capacity = capacity
        self.queue_size = queue_size
        self.queue_seconds = queue_seconds
        self.admitted = 0
        self.waiting = 0
        # The most callers ever seen waiting: what the queue's bound is checked against.
        self.peak_waiting = 0
        self._slots = asyncio.Semaphore(capacity)
        # Threads of their own, not the event loop's shared pool: their lower priority must
        # not reach other work run in threads. They stop once the gate is collected.
        self._threads = ThreadPoolExecutor(
            capacity, "password-hashing", initializer=_lower_priority, initargs=(nice,)
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> HashingGate:
        cores = usable_cores()
        capacity = settings.password_hashing_limit or hashing_capacity(cores, settings.workers)
        if capacity * settings.workers >= cores > 1:
            log.warning(
                "password hashing may take all %d cores (%d workers x %d threads): run fewer "
                "workers, or lower MASSAR_PASSWORD_HASHING_LIMIT, to keep a core for reads",
                cores,
                settings.workers,
                capacity,
            )
        return cls(
            capacity,
            settings.password_queue_size,
            settings.password_queue_seconds,
            settings.password_hashing_nice,
        )

    @property
    def retry_after(self) -> int:
        """Seconds a refused caller is told to wait: about what the queue takes to drain."""
        return max(1, math.ceil(self.queue_seconds))

    @asynccontextmanager
    async def admit(self) -> AsyncIterator[None]:
        """Let a request that will hash in, or refuse it at once when the threads and the queue
        are already spoken for."""
        if self.admitted >= self.capacity + self.queue_size:
            raise HashingBusy(self.retry_after)
        self.admitted += 1
        try:
            yield
        finally:
            self.admitted -= 1

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one hashing slot, waiting in the queue if need be."""
        await self._acquire()
        try:
            yield
        finally:
            self._slots.release()

    async def run(self, work: Callable[..., T], *args: object) -> T:
        """Run `work(*args)` in a hashing thread, in a slot."""
        async with self.slot():
            done = asyncio.get_running_loop().run_in_executor(self._threads, partial(work, *args))
            try:
                return await asyncio.shield(done)
            except asyncio.CancelledError:
                # A thread cannot be stopped: the slot stays taken until its hash is done.
                await asyncio.wait([done])
                raise

    async def _acquire(self) -> None:
        if not self._slots.locked():
            await self._slots.acquire()
            return
        if self.waiting >= self.queue_size:
            raise HashingBusy(self.retry_after)
        self.waiting += 1
        self.peak_waiting = max(self.peak_waiting, self.waiting)
        try:
            async with asyncio.timeout(self.queue_seconds):
                await self._slots.acquire()
        except TimeoutError:
            raise HashingBusy(self.retry_after) from None
        finally:
            self.waiting -= 1


# One gate per event loop (the CLI and the server each run their own loop).
_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, HashingGate] = (
    weakref.WeakKeyDictionary()
)


def hashing_gate() -> HashingGate:
    """This event loop's gate, made from the settings on first use."""
    loop = asyncio.get_running_loop()
    gate = _gates.get(loop)
    if gate is None:
        gate = _gates[loop] = HashingGate.from_settings(get_settings())
    return gate


def install_hashing_gate(gate: HashingGate) -> HashingGate:
    """Use `gate` in this event loop from now on (a test or a benchmark sizing its own);
    returns the one it replaces."""
    previous = hashing_gate()
    _gates[asyncio.get_running_loop()] = gate
    return previous


async def _admitted() -> AsyncIterator[None]:
    async with hashing_gate().admit():
        yield


# Declared before the session on a route that hashes for anyone who asks (a login, an
# activation): a request beyond the gate's capacity is refused before it takes a connection.
HashingAdmission = Annotated[None, Depends(_admitted)]


@lru_cache
def password_hasher() -> PasswordHasher:
    """argon2id at the configured cost."""
    settings = get_settings()
    return PasswordHasher(
        time_cost=settings.password_time_cost,
        memory_cost=settings.password_memory_kib,
        parallelism=settings.password_parallelism,
        type=Type.ID,
    )


@lru_cache
def _dummy_hash() -> str:
    """Checked against when the account does not exist, so timing does not reveal it."""
    return password_hasher().hash("massar-no-such-account")


async def hash_password(password: str) -> str:
    """Hash a new password; `HashingBusy` when the gate cannot take it in time."""
    return await hashing_gate().run(password_hasher().hash, password)


def _verify(stored_hash: str | None, password: str) -> tuple[bool, bool]:
    hasher = password_hasher()
    try:
        hasher.verify(stored_hash or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False, False
    if stored_hash is None:
        return False, False
    return True, hasher.check_needs_rehash(stored_hash)


async def verify_password(stored_hash: str | None, password: str) -> tuple[bool, bool]:
    """Whether the password matches, and whether the hash should be redone with today's cost.

    Pass `None` for an unknown account: the same work is done and the answer is no.
    `HashingBusy` when the gate cannot take it in time.
    """
    return await hashing_gate().run(_verify, stored_hash, password)
