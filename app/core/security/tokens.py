"""Access tokens (signed JWTs) and refresh tokens (opaque, stored hashed)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import serialization
from jose import JWTError, jwt

from app.core.roles import ROLE_LEVEL, Role
from app.settings import Settings, get_settings

CLOCK_LEEWAY_SECONDS = 5


class InvalidToken(Exception):
    """Bad signature, wrong algorithm, expired, wrong issuer or audience, or malformed."""


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    role: Role


@dataclass(frozen=True, slots=True)
class IssuedAccessToken:
    token: str
    expires_in: int


@dataclass(frozen=True, slots=True)
class TokenSubject:
    """What an access token says about its holder (the scope columns of the account)."""

    user_id: uuid.UUID
    role: Role
    school_id: uuid.UUID | None
    province_id: uuid.UUID | None
    academy_id: uuid.UUID | None


class TokenCodec:
    """Signs and verifies access tokens with the configured algorithm and keys."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._algorithm = settings.jwt_algorithm
        if self._algorithm == "HS256":
            self._signing_key: str = settings.signing_secret
            # HS256 has one key, under no key id.
            self._verifying_keys: dict[str, str] = {"": settings.signing_secret}
        else:
            assert settings.jwt_private_key is not None
            self._signing_key = settings.jwt_private_key
            # Keys still accepted during a rotation, by kid, plus the current one.
            self._verifying_keys = dict(settings.jwt_public_keys)
            self._verifying_keys[settings.jwt_key_id] = _public_pem(settings.jwt_private_key)

    def issue_access_token(
        self, subject: TokenSubject, session_id: uuid.UUID, now: datetime | None = None
    ) -> IssuedAccessToken:
        now = now or datetime.now(UTC)
        lifetime = timedelta(minutes=self._settings.access_token_minutes)
        claims: dict[str, Any] = {
            "sub": str(subject.user_id),
            "role": subject.role.value,
            "level": ROLE_LEVEL[subject.role].value,
            "school_id": _str_or_none(subject.school_id),
            "province_id": _str_or_none(subject.province_id),
            "academy_id": _str_or_none(subject.academy_id),
            "sid": str(session_id),
            "jti": uuid.uuid4().hex,
            "iat": int(now.timestamp()),
            "exp": int((now + lifetime).timestamp()),
            "iss": self._settings.jwt_issuer,
            "aud": self._settings.jwt_audience,
        }
        headers = {"kid": self._settings.jwt_key_id} if self._algorithm == "RS256" else None
        token = jwt.encode(claims, self._signing_key, algorithm=self._algorithm, headers=headers)
        return IssuedAccessToken(token=token, expires_in=int(lifetime.total_seconds()))

    def decode_access_token(self, token: str) -> AccessClaims:
        try:
            header = jwt.get_unverified_header(token)
            # Only the configured algorithm, never the one the token asks for.
            if header.get("alg") != self._algorithm:
                raise InvalidToken("unexpected algorithm")
            kid = str(header.get("kid", "")) if self._algorithm == "RS256" else ""
            key = self._verifying_keys.get(kid)
            if key is None:
                raise InvalidToken("unknown key id")
            claims = jwt.decode(
                token,
                key,
                algorithms=[self._algorithm],
                audience=self._settings.jwt_audience,
                issuer=self._settings.jwt_issuer,
                options={
                    "require_exp": True,
                    "require_iat": True,
                    "require_sub": True,
                    "require_jti": True,
                    "require_aud": True,
                    "require_iss": True,
                    "leeway": CLOCK_LEEWAY_SECONDS,
                },
            )
            return AccessClaims(
                user_id=uuid.UUID(claims["sub"]),
                session_id=uuid.UUID(claims["sid"]),
                role=Role(claims["role"]),
            )
        except (JWTError, KeyError, ValueError, TypeError) as exc:
            raise InvalidToken(str(exc)) from exc


@lru_cache
def get_token_codec() -> TokenCodec:
    return TokenCodec(get_settings())


def new_refresh_token() -> str:
    """256 random bits, URL-safe: what the app keeps and sends back once."""
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> bytes:
    # A fast hash is right here: the token is random, so there is nothing to brute-force.
    return hashlib.sha256(token.encode()).digest()


def _str_or_none(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None


def _public_pem(private_pem: str) -> str:
    private_key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
