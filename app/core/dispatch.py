"""Short route matching: a request is matched against the routes that share its path's first
segments (its face: `/api/v1/teacher/classes`, `/api/v1/me`, `/healthz`), never the whole table.

FastAPI keeps included routers as a tree and, for every request, walks it in order, testing
each route's pattern and recounting the tree's version at each level: with three hundred routes
that walk cost more than the rest of a short read. The routes of a face can only match paths
under the face's prefix, so the table is cut once into buckets by the first `DEPTH` path
segments, each bucket keeping the routes in the order FastAPI tries them. The first route of the
bucket that matches is the one FastAPI would have chosen; a path that the bucket's routes serve
with other methods answers 405 with all of them in `Allow`; a path of no bucket, or that
matches no route of its bucket, goes to FastAPI's own router, which answers 404 or the redirect
of a trailing slash exactly as before.

The routes are still FastAPI's (same dependencies, guards, overrides and OpenAPI document): only
the search for the right one is shortened. A matched route with a lean path (`hot_reads.py`)
is offered it first, and handled by FastAPI when the lean path declines. It leans on
FastAPI's route contexts (the routes as included, with their full paths), so the FastAPI
version is pinned (`docs/architecture.md`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from fastapi import FastAPI
from fastapi import routing as fastapi_routing
from fastapi.routing import APIRoute, iter_route_contexts
from starlette._utils import get_route_path
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.hot_reads import HotRoute, lender_of

# How many leading path segments name a bucket: `api`, `v1`, the face, and its first word.
DEPTH = 4

Key = tuple[str, ...]
# A route as FastAPI included it: its full path, its pattern, its dependencies.
RouteContext = fastapi_routing._EffectiveRouteContext
# A route's lean path, if it has one.
LeanPath = Callable[[RouteContext], HotRoute | None]


def path_key(path: str) -> Key:
    """The bucket of a request path: its first `DEPTH` segments."""
    return tuple(path.split("/", DEPTH + 1)[1 : DEPTH + 1])


def route_key(path: str) -> Key | None:
    """The bucket of a route, or None when a parameter sits within its first segments (such a
    route could match paths of any bucket)."""
    key = path_key(path)
    return None if any("{" in segment for segment in key) else key


@dataclass(slots=True)
class DispatchTable:
    """The routes by bucket; a bucket is None when it holds a route the table cannot run
    itself (a plain Starlette route: the OpenAPI document, the docs), so FastAPI matches it."""

    version: int
    buckets: dict[Key, list[RouteContext] | None] = field(default_factory=dict)
    # The lean paths of the routes that have one, by route.
    hot: dict[int, HotRoute] = field(default_factory=dict)


def build_table(
    routes: list[object], version: int, lean_path: LeanPath | None = None
) -> DispatchTable:
    """Cut the route table into buckets, each in FastAPI's matching order. Routes whose bucket
    cannot be told from their path go into every bucket, at their place in that order; note
    each route's lean path, if `lean_path` gives it one."""
    table = DispatchTable(version)
    ordered = list(_contexts(routes))
    for _, context in ordered:
        hot = lean_path(context) if lean_path and context else None
        if hot is not None:
            table.hot[id(context)] = hot
    keys = [route_key(path) for path, _ in ordered]
    for key in {key for key in keys if key is not None}:
        bucket: list[RouteContext] | None = []
        for route_key_, (_, context) in zip(keys, ordered, strict=True):
            if route_key_ not in (key, None):
                continue
            if context is None or bucket is None:
                bucket = None
            else:
                bucket.append(context)
        table.buckets[key] = bucket
    return table


def _contexts(routes: list[object]) -> Iterator[tuple[str, RouteContext | None]]:
    """Each route's full path, with its context when it is a FastAPI route the table can run."""
    for context in iter_route_contexts(routes):  # type: ignore[arg-type]
        route_context = context._route_context
        if route_context is not None and isinstance(route_context.original_route, APIRoute):
            yield route_context.path, route_context
        else:
            yield getattr(context.original_route, "path", "/{unknown}"), None


class PrefixDispatch:
    """The app's router entry: matches within the request's bucket, else defers to FastAPI."""

    def __init__(self, app: FastAPI, lean_path: LeanPath | None = None) -> None:
        self.app = app
        self.lean_path = lean_path
        self.fallback: ASGIApp = app.router.app
        self.table: DispatchTable | None = None

    def current_table(self) -> DispatchTable:
        # Built on the first request, when every router is included; again if the app's own
        # route list changes (a test adding a route), which costs one attribute read to see.
        version = self.app.router._routes_version
        if self.table is None or self.table.version != version:
            self.table = build_table(list(self.app.router.routes), version, self.lean_path)
        return self.table

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.fallback(scope, receive, send)
            return
        table = self.current_table()
        bucket = table.buckets.get(path_key(get_route_path(scope)))
        chosen = _first_match(bucket, scope) if bucket else None
        if chosen is None:
            await self.fallback(scope, receive, send)
            return
        context, child_scope = chosen
        scope.setdefault("router", self.app.router)
        fastapi_routing._update_scope(scope, child_scope)
        fastapi_routing._get_fastapi_scope(scope)[
            fastapi_routing._FASTAPI_EFFECTIVE_ROUTE_CONTEXT_KEY
        ] = context
        route = context.original_route
        scope["route"] = route
        hot = table.hot.get(id(context))
        if hot is not None and await _served_lean(hot, self.app, scope, send):
            return
        await route.handle(scope, receive, send)


async def _served_lean(hot: HotRoute, app: FastAPI, scope: Scope, send: Send) -> bool:
    """Whether the lean path answered: only plain GETs (no query string), when it is on."""
    lender = lender_of(app)
    if lender is None or scope["method"] != "GET" or scope["query_string"]:
        return False
    return await hot.serve(scope, send, lender)


def _first_match(bucket: list[RouteContext], scope: Scope) -> tuple[RouteContext, Scope] | None:
    """The first route that matches fully, as FastAPI chooses; None when no route matches the
    path. A path whose routes all want another method answers 405 with every method its path
    is documented with: FastAPI's `Allow` names only the first route's, and a path is often
    served by several routes (a GET route and a PATCH route). The path is the most literal of
    the templates matching it: `/projects/current` is not a value of `/projects/{id}`, and
    `/{year}/regional-calendar` is not one of `/{year}/{action}`."""
    allowed: dict[str, set[str]] = {}
    for context in bucket:
        match, child_scope = context.matches(scope)
        if match is Match.FULL:
            return context, child_scope
        if match is Match.PARTIAL:
            allowed.setdefault(context.path, set()).update(context.methods or ())
    if allowed:
        path = min(allowed, key=lambda template: template.count("{"))
        raise HTTPException(405, headers={"Allow": ", ".join(sorted(allowed[path]))})
    return None


def install_prefix_dispatch(app: FastAPI, lean_path: LeanPath | None = None) -> None:
    """Put the short matching in front of the app's router, with the lean paths `lean_path`
    gives the routes."""
    app.router.middleware_stack = PrefixDispatch(app, lean_path)


def prepare_dispatch(app: FastAPI) -> None:
    """Build the table now (at startup) rather than on the first request."""
    dispatch = app.router.middleware_stack
    if isinstance(dispatch, PrefixDispatch):
        dispatch.current_table()
