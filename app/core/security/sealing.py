"""Secrets the service must read back (a TOTP secret, a webhook's signing key), kept encrypted
at rest with Fernet (AES-128-CBC + HMAC-SHA256) under a key from the settings: a copy of the
database alone does not give them away. Secrets the service only checks are hashed instead."""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet


@lru_cache
def _fernet(key: str) -> Fernet:
    # The setting is a passphrase-like secret of any length: a hash makes it a Fernet key.
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest()))


def seal(secret: str, key: str) -> bytes:
    """The secret as stored: a Fernet token under `key`."""
    return _fernet(key).encrypt(secret.encode())


def unseal(stored: bytes, key: str) -> str:
    """The secret back from its Fernet token."""
    return _fernet(key).decrypt(stored).decode()
