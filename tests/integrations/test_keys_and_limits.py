"""What integrators rely on besides the data: the public keys of RS256 tokens, the per-client
rate limit, and the trace each call leaves."""

from __future__ import annotations

import logging
import uuid

import httpx
import pytest
from jose import jwt
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security.tokens import TokenCodec
from app.integrations import routes as integration_routes
from app.integrations.scopes import ApiScope
from app.settings import Settings, get_settings
from tests.factories import World, create_api_client, rsa_pem

SCHOOLS = "/ims/oneroster/rostering/v1p2/schools"


def _rotating_codec() -> TokenCodec:
    retired = TokenCodec(
        Settings(jwt_algorithm="RS256", jwt_private_key=rsa_pem(), jwt_key_id="k1")
    )
    return TokenCodec(
        Settings(
            jwt_algorithm="RS256",
            jwt_private_key=rsa_pem(),
            jwt_key_id="k2",
            jwt_public_keys={"k1": retired._verifying_keys["k1"]},
        )
    )


def test_the_jwks_verifies_a_client_token() -> None:
    codec = _rotating_codec()
    keys = {key["kid"]: key for key in codec.public_jwks()}
    assert set(keys) == {"k1", "k2"}
    assert all(key["kty"] == "RSA" and key["alg"] == "RS256" for key in keys.values())
    token = codec.issue_client_token(uuid.uuid4(), frozenset({"roster.read"})).token
    claims = jwt.decode(
        token,
        keys[jwt.get_unverified_header(token)["kid"]],
        algorithms=["RS256"],
        audience=get_settings().jwt_audience,
    )
    assert claims["scope"] == "roster.read"


async def test_jwks_is_served_under_rs256(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    codec = _rotating_codec()
    monkeypatch.setattr(integration_routes, "get_token_codec", lambda: codec)
    answer = await client.get("/.well-known/jwks.json")
    assert answer.status_code == 200
    assert {key["kid"] for key in answer.json()["keys"]} == {"k1", "k2"}


async def test_each_client_is_rate_limited(
    client: httpx.AsyncClient,
    session: AsyncSession,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(get_settings(), "client_requests_per_minute", 2)
    busy = await create_api_client(session, world.users["central_staff"])
    calm = await create_api_client(session, world.users["central_staff"])
    await session.commit()
    answers = [(await client.get(SCHOOLS, headers=busy.headers)).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    refused = await client.get(SCHOOLS, headers=busy.headers)
    assert int(refused.headers["retry-after"]) > 0
    # Another client counts on its own.
    assert (await client.get(SCHOOLS, headers=calm.headers)).status_code == 200


async def test_each_call_names_its_client(
    client: httpx.AsyncClient,
    session: AsyncSession,
    world: World,
    caplog: pytest.LogCaptureFixture,
) -> None:
    integrator = await create_api_client(
        session, world.users["central_staff"], frozenset({ApiScope.ROSTER_READ})
    )
    await session.commit()
    with caplog.at_level(logging.INFO, logger="app.integrations.callers"):
        assert (await client.get(SCHOOLS, headers=integrator.headers)).status_code == 200
    assert f"client_id={integrator.client.id} GET {SCHOOLS}" in caplog.text
