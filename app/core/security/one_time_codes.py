"""One-time codes a school hands to a family on paper: short, unambiguous, stored as an HMAC.

About 40 bits is enough against guessing online (attempts are throttled and codes expire),
not against a copy of the table: a plain hash of every possible code is an afternoon's work.
Keyed by a server secret that the database does not hold, the stored value is useless alone."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.settings import get_settings

# No 0/O, 1/I/L: codes are read out and typed by hand.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def new_code() -> str:
    """Eight random characters (about 40 bits), shown as `XXXX-XXXX`."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def hash_code(code: str) -> bytes:
    """What is stored and looked up: dashes, spaces and case do not matter to the reader."""
    return keyed_hash(get_settings().code_hash_secret, code)


def keyed_hash(key: bytes, code: str) -> bytes:
    """HMAC-SHA-256 of the normalised code under `key`."""
    normalised = code.replace("-", "").replace(" ", "").upper()
    return hmac.new(key, normalised.encode(), hashlib.sha256).digest()


async def issue_code(
    session: AsyncSession,
    owner: InstrumentedAttribute[uuid.UUID],
    owner_id: uuid.UUID,
    lifetime: timedelta,
    **columns: Any,
) -> tuple[str, datetime]:
    """A fresh code for its owner (the `owner` column of a code table: an account, a pupil),
    stored hashed; the owner's earlier unused codes die. Returns the code, shown once, and
    when it expires."""
    table: Any = owner.class_
    await session.execute(delete(table).where(owner == owner_id, table.used_at.is_(None)))
    code = new_code()
    expires_at = datetime.now(UTC) + lifetime
    row = {owner.key: owner_id, "code_hash": hash_code(code), "expires_at": expires_at}
    session.add(table(**row, **columns))
    await session.flush()
    return code, expires_at
