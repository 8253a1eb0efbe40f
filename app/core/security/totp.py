"""TOTP (RFC 6238) and recovery codes: the primitives, with no database in sight.

The TOTP secret is encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256) under a key
derived from `MASSAR_MFA_ENCRYPTION_KEY`; it leaves the service only in the enrolment answer.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp

from app.core.security.sealing import seal, unseal
from app.settings import get_settings

ISSUER = "Massar"
# One step either side: a phone clock a little off, or a code typed as it changed.
ALLOWED_DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# 10 characters of base32: 50 random bits each, far beyond guessing within the lockout.
_RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 10


def new_totp_secret() -> str:
    """A fresh base32 secret of 160 bits (RFC 4226's recommended length)."""
    return pyotp.random_base32(length=32)


def encrypt_secret(secret: str) -> bytes:
    """The secret as stored: a Fernet token."""
    return seal(secret, get_settings().mfa_secret_key)


def decrypt_secret(stored: bytes) -> str:
    """The secret back from its Fernet token."""
    return unseal(stored, get_settings().mfa_secret_key)


def provisioning_uri(secret: str, account_name: str) -> str:
    """The `otpauth://totp/...` URI an authenticator app reads from a QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=ISSUER)


def totp_at(secret: str, when: datetime) -> str:
    """The code an authenticator shows at `when` (tests and the CLI use it)."""
    return pyotp.TOTP(secret).at(when)


def matching_step(secret: str, code: str, now: datetime, last_used_step: int | None) -> int | None:
    """The time step whose code this is (±1 step), or None; steps already used never match."""
    code = code.strip()
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - ALLOWED_DRIFT_STEPS, current + ALLOWED_DRIFT_STEPS + 1):
        if last_used_step is not None and step <= last_used_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Fresh one-time codes, shown once as `xxxxx-xxxxx`."""
    return [_format_code(_random_code()) for _ in range(RECOVERY_CODE_COUNT)]


def hash_recovery_code(code: str) -> bytes:
    """SHA-256 of the normalised code: the codes are random, so a fast hash is enough."""
    return hashlib.sha256(normalise_recovery_code(code).encode()).digest()


def normalise_recovery_code(code: str) -> str:
    """Lower case, without the dash or spaces a person may type."""
    return "".join(ch for ch in code.lower() if ch.isalnum())


def looks_like_totp(code: str) -> bool:
    """Six digits: a TOTP code; anything else is tried as a recovery code."""
    code = code.strip()
    return len(code) == 6 and code.isdigit()


def _random_code() -> str:
    return "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))


def _format_code(code: str) -> str:
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"
