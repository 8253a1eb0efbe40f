"""Liveness and readiness probes (outside the versioned API)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.errors import problem_response
from app.i18n import translate

router = APIRouter(tags=["health"])

READY_TIMEOUT_SECONDS = 2.0


@router.get("/healthz", operation_id="health-alive")
async def alive() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz", operation_id="health-ready", response_model=dict[str, str])
async def ready(request: Request) -> JSONResponse | dict[str, str]:
    """The database answers; 503 otherwise, so a load balancer stops sending traffic."""
    engine: AsyncEngine = request.app.state.engine
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS), engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception:  # whatever the cause, the service is not ready
        return problem_response(
            request,
            503,
            kind="database-unavailable",
            detail=translate("error.database_unavailable"),
        )
    return {"status": "ok"}
