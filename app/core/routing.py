"""Routes written once and mounted by every face that serves them.

A domain or module groups its endpoints by idea: a route group is a function that adds its
routes to a router, with operation ids that begin with the face's name (`school-...`,
`steering-...`). It lists the groups each face serves, and each face mounts the router
`face_routes` builds under its own prefix and role guard."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter

RouteGroup = Callable[[APIRouter, str], None]


def face_routes(face: str, groups: Sequence[RouteGroup], **options: Any) -> APIRouter:
    """The routes of `groups` for one face, on a router made with `options` (a prefix, the
    dependencies every route of the face needs)."""
    router = APIRouter(**options)
    for add in groups:
        add(router, face)
    return router
