"""One-time codes a school hands to a family on paper: short, unambiguous, stored hashed."""

from __future__ import annotations

import hashlib
import secrets

# No 0/O, 1/I/L: codes are read out and typed by hand.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def new_code() -> str:
    """Eight random characters (about 40 bits), shown as `XXXX-XXXX`."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def hash_code(code: str) -> bytes:
    """What is stored and looked up: dashes, spaces and case do not matter to the reader."""
    normalised = code.replace("-", "").replace(" ", "").upper()
    return hashlib.sha256(normalised.encode()).digest()
