"""Liveness and readiness probes (outside the versioned API)."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.db.replicas import ReadRouting
from app.errors import problem_response
from app.i18n import translate

router = APIRouter(tags=["health"])

READY_TIMEOUT_SECONDS = 2.0


@router.get("/healthz", operation_id="health-alive")
async def alive() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


class ReplicaState(BaseModel):
    """A streaming replica as its last check found it (`core/db/replicas.py`)."""

    name: str
    status: Literal["ok", "unusable"]
    lag_bytes: int | None = Field(description="WAL bytes still to replay; null: unknown.")
    lag_seconds: float | None = Field(
        description="At most this far behind the primary; null: unknown."
    )
    problem: str | None = Field(
        description="Why it is not read from: unreachable, lagging, not a standby, not checked yet."
    )


class Readiness(BaseModel):
    status: Literal["ok"]
    replicas: list[ReplicaState] = Field(
        description="Each configured replica; an unusable one leaves its reads to the primary, "
        "so the service stays ready."
    )


@router.get("/readyz", operation_id="health-ready", response_model=Readiness)
async def ready(request: Request) -> JSONResponse | dict[str, Any]:
    """The primary database answers; 503 otherwise, so a load balancer stops sending traffic.
    The replicas are reported, and do not decide readiness."""
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
    routing: ReadRouting | None = request.app.state.read_routing
    return {"status": "ok", "replicas": routing.replicas.report() if routing else []}
