"""Signing a delivery the Standard Webhooks way (standardwebhooks.com), so that receivers can
check it with that project's libraries or a few lines of their own:

- `webhook-id`: the event's id, the same on every retry (the receiver's idempotency key);
- `webhook-timestamp`: the send's Unix time in seconds (a receiver refuses one too far from
  its clock: a captured delivery cannot be replayed later);
- `webhook-signature`: `v1,` and the base64 of HMAC-SHA-256 over `{id}.{timestamp}.{body}`,
  keyed with the endpoint's secret (the bytes after `whsec_`, base64-decoded)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105 - the secrets' prefix, no secret


def new_secret() -> str:
    """A fresh signing secret: `whsec_` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value of a body sent at `timestamp`."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{event_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signed_headers(secret: str, event_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The headers of a delivery."""
    return {
        "content-type": "application/json",
        "webhook-id": event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, event_id, timestamp, body),
    }
