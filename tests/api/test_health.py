"""Liveness and readiness."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import create_async_engine


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_when_the_database_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    # No replica configured: every read is the primary's, and none is reported.
    assert response.json() == {"status": "ok", "replicas": []}


async def test_readyz_is_503_when_the_database_does_not_answer(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    # A port on loopback where nothing listens.
    dead = create_async_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none")
    app.state.engine = dead
    try:
        response = await client.get("/readyz")
    finally:
        await dead.dispose()
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
