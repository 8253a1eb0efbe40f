"""Deterministic ids and random streams: the same seed gives the same rows, whatever order or
batch size the tables are written in."""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Callable

# Version 4 in the high half, the RFC 4122 variant in the low half: valid random-looking UUIDs.
_VERSION_MASK = ~(0xF << 12) & 0xFFFF_FFFF_FFFF_FFFF
_VERSION_4 = 0x4 << 12
_VARIANT = 1 << 63

IdOf = Callable[[int], uuid.UUID]


def _digest(seed: int, name: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{seed}:{name}".encode(), digest_size=8).digest())


def id_space(seed: int, kind: str) -> IdOf:
    """The ids of one kind of row: the n-th row's id, computed, never stored.

    The high half is drawn from the seed and the kind, the low half counts: ids are unique
    within a kind and, with overwhelming odds, across kinds."""
    high = ((_digest(seed, kind) & _VERSION_MASK) | _VERSION_4) << 64

    def of(n: int) -> uuid.UUID:
        return uuid.UUID(int=high | _VARIANT | n)

    return of


def stream(seed: int, purpose: str) -> random.Random:
    """A random stream of its own for one purpose (a table, a class's pupils)."""
    return random.Random(_digest(seed, purpose))  # noqa: S311  (synthetic data, not a secret)
