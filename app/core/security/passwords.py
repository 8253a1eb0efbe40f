"""argon2id password hashing, always in a worker thread and at most one hash per core.

A login storm (results day) then queues for CPU instead of starving the event loop.
"""

from __future__ import annotations

import asyncio
import os
import weakref
from functools import lru_cache

import anyio.to_thread
from anyio import CapacityLimiter
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from app.settings import get_settings

# One limiter per event loop (the CLI and the server each run their own loop).
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


@lru_cache
def _hasher() -> PasswordHasher:
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
    return _hasher().hash("massar-no-such-account")


def _limiter() -> CapacityLimiter:
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = CapacityLimiter(os.cpu_count() or 1)
    return limiter


async def hash_password(password: str) -> str:
    """Hash a new password."""
    return await anyio.to_thread.run_sync(_hasher().hash, password, limiter=_limiter())


def _verify(stored_hash: str | None, password: str) -> tuple[bool, bool]:
    hasher = _hasher()
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
    """
    return await anyio.to_thread.run_sync(_verify, stored_hash, password, limiter=_limiter())
