"""The lean path of the hot reads: the GETs every pupil, parent and teacher opens on results
day, answered from the router's dispatch without FastAPI's dependency solving, the SQLAlchemy
session or response validation.

A hot read stays an ordinary FastAPI route: its OpenAPI entry, guards, errors and tests are the
route's. `@hot_read(answer)` gives it a second, shorter way to answer. When the dispatch
(`core/dispatch.py`) has matched such a route for a GET without a query string, it offers the
request to `serve`:

1. the bearer token is decoded by the service's codec, and the account and its login session
   are checked live by one prepared statement (`accounts/guards.py`, `live_principal`), on a
   connection of the hot pool: a fixed asyncpg pool, so no SQLAlchemy pool and no connection
   opened and closed per request under load;
2. the caller's role must be one that every role guard of the route lets through (the same
   `GUARD_ROLES` the guards and the authorization matrix read: `accounts/guards.py`,
   `hot_route_of`, makes each route's `HotRoute`), and the route has no duty guard;
3. `answer` reads with the prepared statements of the services the route itself calls (scope
   in SQL) and returns the payload, or an answer already rendered (a snapshot), or None.

Anything else goes to the FastAPI route, which answers exactly as before: no token or a bad
one, a dead session, another role, a query string, a problem raised by `answer` (the 404 of a
pupil out of scope, the 409 of no school year), an answer declined (no snapshot yet), or an
app whose dependencies are overridden. So the lean path only ever sends what the route would
have sent with a 200 or a 304, and everything unusual costs what it always cost.

Routes documented with a 304 (`core/caching.py`, `cached_read`) answer with an ETag and honour
If-None-Match as `conditional_json` does; others send plain JSON.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import asyncpg
from fastapi import FastAPI
from pydantic import BaseModel
from starlette.types import Scope, Send

from app.core.caching import PERSONAL, Tagged, already_held, json_bytes, tags_of, weak_etag
from app.core.db.runtime import connection_arguments
from app.core.roles import Role
from app.core.security.principal import Principal
from app.errors import ProblemError

Payload = BaseModel | Sequence[BaseModel]
Answer = Callable[["HotCall"], Awaitable[Payload | Tagged | None]]
# The caller an access token names, if their account and login session are live.
Authenticate = Callable[[Any, str], Awaitable[Principal | None]]
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])

_ANSWER = "__hot_read__"


def hot_read(answer: Answer) -> Callable[[Endpoint], Endpoint]:
    """Give a GET endpoint a lean path: `answer` computes what the endpoint returns when the
    caller is plainly allowed and nothing is asked but the default (see the module's doc)."""

    def mark(endpoint: Endpoint) -> Endpoint:
        setattr(endpoint, _ANSWER, answer)
        return endpoint

    return mark


class Lender(Protocol):
    """Where hot reads get a connection: the hot pool, or a test's own connection."""

    def acquire(self) -> AbstractAsyncContextManager[Any]: ...


@dataclass(frozen=True, slots=True)
class HotCall:
    """What an answer reads with: the live caller, a connection, the path's parameters, and
    the app's state (its reference cache)."""

    principal: Principal
    db: Any  # an asyncpg connection (`core/db/prepared.py`, ReadConnection)
    path: dict[str, Any]
    if_none_match: str
    state: Any

    def path_id(self, name: str) -> uuid.UUID:
        """The id in the path parameter `name` (a ValueError, so the route answers, if it is
        not one)."""
        return uuid.UUID(self.path[name])


@dataclass(frozen=True, slots=True)
class HotRoute:
    """A route's lean path: its answer, the roles its guards let through, whether it answers
    with an ETag, and how the caller is authenticated."""

    answer: Answer
    roles: frozenset[Role]
    conditional: bool
    authenticate: Authenticate

    async def serve(self, scope: Scope, send: Send, lender: Lender) -> bool:
        """Answer the request and say True; False (having sent nothing) when the route must."""
        token = _bearer_token(scope)
        if token is None:
            return False
        headers = dict(scope["headers"])
        async with lender.acquire() as db:
            principal = await self.authenticate(db, token)
            if principal is None or principal.role not in self.roles:
                return False
            call = HotCall(
                principal,
                db,
                scope.get("path_params", {}),
                headers.get(b"if-none-match", b"").decode("latin-1"),
                scope["app"].state,
            )
            try:
                payload = await self.answer(call)
            except (ProblemError, ValueError):
                # Refused or malformed: the route says so in its own words.
                return False
        if payload is None:
            return False
        # Named in the request's access line (`core/middleware.py`).
        scope.setdefault("state", {})["principal"] = principal
        await self._send(send, payload, call.if_none_match)
        return True

    async def _send(self, send: Send, payload: Payload | Tagged, if_none_match: str) -> None:
        if isinstance(payload, Tagged):
            body = payload.body.encode() if isinstance(payload.body, str) else payload.body
            etag: str | None = payload.etag
        else:
            body = json_bytes(payload)
            etag = weak_etag(body) if self.conditional else None
        headers: list[tuple[bytes, bytes]] = []
        if etag is not None:
            headers = [(b"etag", etag.encode()), (b"cache-control", PERSONAL.encode())]
            if already_held(etag, tags_of(if_none_match)):
                await _respond(send, 304, headers, b"")
                return
        headers += [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", b"application/json"),
        ]
        await _respond(send, 200, headers, body)


async def _respond(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes
) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _bearer_token(scope: Scope) -> str | None:
    """The bearer token of the Authorization header, as OAuth2PasswordBearer reads it."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token if scheme.lower() == "bearer" and token else None
    return None


def answer_of(endpoint: Callable[..., Any] | None) -> Answer | None:
    """The lean answer `hot_read` gave an endpoint, if any."""
    answer: Answer | None = getattr(endpoint, _ANSWER, None)
    return answer


def lender_of(app: FastAPI) -> Lender | None:
    """The app's hot pool, None when the lean path is off: no pool (an app whose lifespan has
    not run), or dependencies overridden (a test that replaces a guard)."""
    if app.dependency_overrides:
        return None
    lender: Lender | None = getattr(app.state, "hot_reads", None)
    return lender


class FairPool:
    """The hot pool, lent first come, first served.

    asyncpg's pool gives a returned connection to whichever task asks next; a waiter woken for
    it that finds it taken waits again at the back of the line (asyncio's queues work so), and
    under load a few reads wait many turns: the tail of the latencies. In front of it, a
    semaphore of the pool's size (asyncio's is first come, first served, and hands a freed place
    to the first waiter) lets in only as many readers as there are connections, so the pool
    always has one for the reader let in."""

    def __init__(self, pool: asyncpg.Pool, size: int) -> None:
        self.pool = pool
        self.turns = asyncio.Semaphore(size)

    def acquire(self) -> _Lent:
        return _Lent(self)


class _Lent:
    """A connection of a `FairPool` for the block's time, its turn taken first."""

    __slots__ = ("fair", "lent")

    def __init__(self, fair: FairPool) -> None:
        self.fair = fair

    async def __aenter__(self) -> Any:
        await self.fair.turns.acquire()
        try:
            self.lent = self.fair.pool.acquire()
            return await self.lent.__aenter__()
        except BaseException:
            self.fair.turns.release()
            raise

    async def __aexit__(self, *exc: object) -> None:
        try:
            await self.lent.__aexit__(*exc)
        finally:
            self.fair.turns.release()


async def _nothing_to_reset(_connection: asyncpg.Connection) -> None:
    """A hot connection only runs single reads outside any transaction (asyncpg still rolls
    back one left open): no SET, LISTEN, advisory lock or cursor to undo. asyncpg's default
    reset would send its RESET ALL and the rest with every release, a round trip per read."""


@asynccontextmanager
async def hot_pool(
    app: FastAPI, database_url: str, size: int, connect_timeout: float
) -> AsyncIterator[None]:
    """The hot reads' own connections while the app serves (`open_hot_pool`)."""
    fair = await open_hot_pool(database_url, size, connect_timeout)
    app.state.hot_reads = fair
    try:
        yield
    finally:
        del app.state.hot_reads
        await fair.pool.close()


async def open_hot_pool(database_url: str, size: int, connect_timeout: float) -> FairPool:
    """Connections opened as reads first need them (the app starts, and answers 503, while the
    database is down) and then kept, up to `size`, so a burst never opens and closes
    connections per request; lent first come, first served. A connection lost with the
    database raises what the error handlers answer with 503, and is replaced."""
    pool = await asyncpg.create_pool(
        **connection_arguments(database_url),
        timeout=connect_timeout,
        min_size=0,
        max_size=size,
        reset=_nothing_to_reset,
    )
    return FairPool(pool, size)
