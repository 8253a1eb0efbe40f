"""Routes written once and mounted by every face that serves them.

A domain or module groups its endpoints by idea: a route group is a function that adds its
routes to a router, with operation ids that begin with the face's name (`school-...`,
`steering-...`). It lists the groups each face serves, and each face mounts the router
`face_routes` builds under its own prefix and role guard."""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any

from fastapi import APIRouter
from fastapi import routing as fastapi_routing
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts
from starlette.types import Scope

RouteGroup = Callable[[APIRouter, str], None]


def face_routes(face: str, groups: Sequence[RouteGroup], **options: Any) -> APIRouter:
    """The routes of `groups` for one face, on a router made with `options` (a prefix, the
    dependencies every route of the face needs)."""
    router = APIRouter(**options)
    for add in groups:
        add(router, face)
    return router


# A dependency that answers the id of the record a route is about (a path parameter, the
# caller's own pupil, a parent's verified child): views written once take one.
IdResolver = Callable[..., Awaitable[uuid.UUID]]


def path_id(name: str) -> IdResolver:
    """A dependency that reads the id in the path parameter `name`, for a route written once
    for several kinds of record, each naming its id its own way (`{news_id}`, `{event_id}`)."""

    async def read(**path: uuid.UUID) -> uuid.UUID:
        return path[name]

    # FastAPI reads a dependency's parameters from its signature: this one has just `name`.
    read.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=uuid.UUID)]
    )
    return read


def dependency_calls(dependant: Dependant) -> Iterator[Callable[..., object]]:
    """Every dependency a route calls, however deep."""
    for dependency in dependant.dependencies:
        if dependency.call is not None:
            yield dependency.call
        yield from dependency_calls(dependency)


def matched_route(scope: Scope) -> object | None:
    """The route that answers the request, as the app included it (its full path, and its
    routers' dependencies with its own); the bare route when FastAPI kept no such context."""
    context = scope.get(fastapi_routing._FASTAPI_SCOPE_KEY, {}).get(
        fastapi_routing._FASTAPI_EFFECTIVE_ROUTE_CONTEXT_KEY
    )
    return context if context is not None else scope.get("route")


def included_routes(routes: list[object]) -> Iterator[object]:
    """Every route as the app included it (see `matched_route`)."""
    for context in iter_route_contexts(routes):  # type: ignore[arg-type]
        yield context._route_context or context.original_route
