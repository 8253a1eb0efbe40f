"""The async engine and the one-session-per-request dependency."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from app.core.db.audit_context import Actor, act_as
from app.core.db.faults import database_unreachable
from app.settings import Settings

if TYPE_CHECKING:
    from app.core.db.replicas import ReadRouting


def create_engine(settings: Settings, url: str, *, pre_ping: bool = False) -> AsyncEngine:
    """The engine of one server. `pre_ping`: each connection taken from the pool is tried first
    (one round trip), and replaced if the server closed it."""
    return create_async_engine(
        url,
        pool_pre_ping=pre_ping,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout_seconds,
        pool_recycle=1800,
        connect_args={"timeout": settings.db_connect_timeout_seconds},
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request; committed after the endpoint returns, before the response.

    Declared with `scope="function"` below, so a failed commit turns into an error response
    instead of following a 200 that was already sent.

    With replicas configured, a read of a lag-tolerant route gets a session on a replica, and
    a write marks its caller as a recent writer (`replicas.py`).
    """
    routing: ReadRouting | None = request.app.state.read_routing
    session = None
    replica = await routing.replica_for(request) if routing is not None else None
    if routing is not None and replica is not None:
        session = await routing.open(replica)
        replica = replica if session is not None else None
    if session is None:
        factory: async_sessionmaker[AsyncSession] = request.app.state.session_factory
        session = factory()
    async with session:
        # Written by nobody logged in, whatever bearer header the request carries, until the
        # principal (if the route reads it) names the caller.
        act_as(session.sync_session, Actor(request))
        try:
            yield session
            await session.commit()
        except Exception as error:
            if routing is not None and replica is not None and database_unreachable(error):
                routing.replicas.lost(replica, error)
            raise
        if routing is not None:
            await routing.wrote(request, session)


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
