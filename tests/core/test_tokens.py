"""Access-token attacks: every one answers 401 problem+json and reveals nothing."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from jose import jwt
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.roles import Role
from app.core.security.tokens import InvalidToken, TokenCodec, TokenSubject, get_token_codec
from app.settings import DEV_JWT_SECRET, Settings, get_settings
from tests.factories import World, rsa_pem


def _claims(world: World, who: str = "teacher", **overrides: Any) -> dict[str, Any]:
    token = world.tokens[who]
    claims = jwt.get_unverified_claims(token)
    claims.update(overrides)
    return claims


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


async def _me(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def _assert_401(response: httpx.Response) -> None:
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert body["status"] == 401
    assert "id" not in body


async def test_valid_token_passes(client: httpx.AsyncClient, world: World) -> None:
    assert (await _me(client, world.tokens["teacher"])).status_code == 200


async def test_bad_signature(client: httpx.AsyncClient, world: World) -> None:
    forged = jwt.encode(
        _claims(world), "another-secret-of-the-same-length-0123456", algorithm="HS256"
    )
    _assert_401(await _me(client, forged))


async def test_tampered_payload(client: httpx.AsyncClient, world: World) -> None:
    header, _, signature = world.tokens["student"].split(".")
    payload = _b64(_claims(world, "student", role="central_staff"))
    _assert_401(await _me(client, f"{header}.{payload}.{signature}"))


async def test_alg_none(client: httpx.AsyncClient, world: World) -> None:
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(world))}."
    _assert_401(await _me(client, unsigned))


@pytest.mark.parametrize("algorithm", ["HS384", "HS512"])
async def test_other_hmac_algorithms(
    client: httpx.AsyncClient, world: World, algorithm: str
) -> None:
    token = jwt.encode(_claims(world), DEV_JWT_SECRET, algorithm=algorithm)
    _assert_401(await _me(client, token))


async def test_rs256_token_against_an_hs256_service(
    client: httpx.AsyncClient, world: World
) -> None:
    _assert_401(await _me(client, jwt.encode(_claims(world), rsa_pem(), algorithm="RS256")))


async def test_expired(client: httpx.AsyncClient, world: World) -> None:
    past = datetime.now(UTC) - timedelta(hours=1)
    claims = _claims(
        world, iat=int(past.timestamp()), exp=int((past + timedelta(minutes=15)).timestamp())
    )
    _assert_401(await _me(client, jwt.encode(claims, DEV_JWT_SECRET, algorithm="HS256")))


@pytest.mark.parametrize(("claim", "value"), [("iss", "someone-else"), ("aud", "other-app")])
async def test_wrong_issuer_or_audience(
    client: httpx.AsyncClient, world: World, claim: str, value: str
) -> None:
    token = jwt.encode(_claims(world, **{claim: value}), DEV_JWT_SECRET, algorithm="HS256")
    _assert_401(await _me(client, token))


@pytest.mark.parametrize("claim", ["exp", "iss", "aud", "sub", "jti", "sid"])
async def test_missing_claim(client: httpx.AsyncClient, world: World, claim: str) -> None:
    claims = _claims(world)
    del claims[claim]
    _assert_401(await _me(client, jwt.encode(claims, DEV_JWT_SECRET, algorithm="HS256")))


async def test_unknown_user(client: httpx.AsyncClient, world: World) -> None:
    claims = _claims(world, sub=str(uuid.uuid4()))
    _assert_401(await _me(client, jwt.encode(claims, DEV_JWT_SECRET, algorithm="HS256")))


async def test_disabled_user(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    world.users["teacher"].is_active = False
    await session.commit()
    _assert_401(await _me(client, world.tokens["teacher"]))


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer not.a.jwt"]
)
async def test_missing_or_malformed_header(client: httpx.AsyncClient, header: str) -> None:
    response = await client.get("/api/v1/me", headers={"Authorization": header} if header else {})
    _assert_401(response)


async def test_access_token_carries_the_design_claims(world: World) -> None:
    claims = jwt.get_unverified_claims(world.tokens["school_staff"])
    user = world.users["school_staff"]
    assert claims["sub"] == str(user.id)
    assert claims["role"] == "school_staff"
    assert claims["level"] == "school"
    assert claims["school_id"] == str(user.school_id)
    assert claims["province_id"] == str(user.province_id)
    assert claims["academy_id"] == str(user.academy_id)
    assert {"jti", "iat", "exp", "iss", "aud", "sid"} <= claims.keys()
    assert claims["exp"] - claims["iat"] == get_settings().access_token_minutes * 60


def test_rs256_with_key_rotation() -> None:
    subject = TokenSubject(uuid.uuid4(), Role.TEACHER, None, None, None)
    old_pem, new_pem = rsa_pem(), rsa_pem()
    old = TokenCodec(Settings(jwt_algorithm="RS256", jwt_private_key=old_pem, jwt_key_id="k1"))
    old_token = old.issue_access_token(subject, uuid.uuid4()).token
    assert jwt.get_unverified_header(old_token)["kid"] == "k1"

    old_public = old._verifying_keys["k1"]
    rotated = TokenCodec(
        Settings(
            jwt_algorithm="RS256",
            jwt_private_key=new_pem,
            jwt_key_id="k2",
            jwt_public_keys={"k1": old_public},
        )
    )
    assert rotated.decode_access_token(old_token).user_id == subject.user_id
    assert rotated.decode_access_token(rotated.issue_access_token(subject, uuid.uuid4()).token)

    retired = TokenCodec(Settings(jwt_algorithm="RS256", jwt_private_key=new_pem, jwt_key_id="k2"))
    with pytest.raises(InvalidToken, match="unknown key id"):
        retired.decode_access_token(old_token)


def test_default_codec_is_hs256() -> None:
    subject = TokenSubject(uuid.uuid4(), Role.PARENT, None, None, None)
    token = get_token_codec().issue_access_token(subject, uuid.uuid4()).token
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
