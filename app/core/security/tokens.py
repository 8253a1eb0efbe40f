"""Access tokens (signed JWTs) and refresh tokens (opaque, stored hashed)."""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
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


@dataclass(frozen=True, slots=True)
class ClientClaims:
    """What a client-credentials token says: which API client, with which scopes."""

    client_id: uuid.UUID
    scopes: frozenset[str]


# The claim that tells an API client's token from a person's: without it a client's token
# could never pass for a login (it has no `sid` nor `role`), and with it a person's token is
# never taken for a client's.
CLIENT_TOKEN_USE = "client_credentials"  # noqa: S105 - a claim value, no secret


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
        }
        return self._signed(claims, now, lifetime)

    def issue_client_token(
        self, client_id: uuid.UUID, scopes: frozenset[str], now: datetime | None = None
    ) -> IssuedAccessToken:
        """A short-lived token of an API client (RFC 6749 §4.4): no session, no refresh."""
        now = now or datetime.now(UTC)
        lifetime = timedelta(minutes=self._settings.client_token_minutes)
        claims: dict[str, Any] = {
            "sub": str(client_id),
            "client_id": str(client_id),
            "token_use": CLIENT_TOKEN_USE,
            "scope": " ".join(sorted(scopes)),
        }
        return self._signed(claims, now, lifetime)

    def _signed(
        self, claims: dict[str, Any], now: datetime, lifetime: timedelta
    ) -> IssuedAccessToken:
        """The claims with their id, times, issuer and audience, signed with the current key."""
        claims |= {
            "jti": uuid.uuid4().hex,
            "iat": int(now.timestamp()),
            "exp": int((now + lifetime).timestamp()),
            "iss": self._settings.jwt_issuer,
            "aud": self._settings.jwt_audience,
        }
        headers = {"kid": self._settings.jwt_key_id} if self._algorithm == "RS256" else None
        token = jwt.encode(claims, self._signing_key, algorithm=self._algorithm, headers=headers)
        return IssuedAccessToken(token=token, expires_in=int(lifetime.total_seconds()))

    def decode_client_token(self, token: str) -> ClientClaims:
        """An API client's token, verified like any other; a person's token is refused."""
        claims = self._verified(token)
        try:
            if claims.get("token_use") != CLIENT_TOKEN_USE:
                raise InvalidToken("not a client's token")
            return ClientClaims(
                client_id=uuid.UUID(claims["client_id"]),
                scopes=frozenset(str(claims["scope"]).split()),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise InvalidToken(str(exc)) from exc

    def public_jwks(self) -> list[dict[str, str]]:
        """The verifying keys as JSON Web Keys (RFC 7517), by kid; none under HS256, whose key
        is a shared secret."""
        if self._algorithm != "RS256":
            return []
        return [_jwk(kid, pem) for kid, pem in sorted(self._verifying_keys.items())]

    def decode_access_token(self, token: str) -> AccessClaims:
        claims = self._verified(token)
        try:
            if "token_use" in claims:
                raise InvalidToken("an API client's token is no login")
            return AccessClaims(
                user_id=uuid.UUID(claims["sub"]),
                session_id=uuid.UUID(claims["sid"]),
                role=Role(claims["role"]),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise InvalidToken(str(exc)) from exc

    def _verified(self, token: str) -> dict[str, Any]:
        """The claims of a token signed by one of our keys, for us, and not expired."""
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
            return claims
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


def _jwk(kid: str, public_pem: str) -> dict[str, str]:
    key = serialization.load_pem_public_key(public_pem.encode())
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError(f"key {kid} is not an RSA key")
    numbers = key.public_numbers()
    return {
        "kty": "RSA",
        "use": "sig",
        "alg": "RS256",
        "kid": kid,
        "n": _base64url(numbers.n),
        "e": _base64url(numbers.e),
    }


def _base64url(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
