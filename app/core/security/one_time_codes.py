"""One-time codes a school hands to a family on paper: short, unambiguous, stored as an HMAC.

About 40 bits is enough against guessing online (attempts are throttled and codes expire),
not against a copy of the table: a plain hash of every possible code is an afternoon's work.
Keyed by a server secret that the database does not hold, the stored value is useless alone."""

from __future__ import annotations

import hashlib
import hmac
import secrets

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
