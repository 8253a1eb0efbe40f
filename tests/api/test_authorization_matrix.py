"""The authorization matrix, generated from the route table: every operation is called with
the token of every role its guards turn away, and must answer 403 before anything else.

An operation with no role guard must be one of the few open to any caller (logins, the
public site, health) or to any logged-in caller (the caller's own account and inbox): a new
route that is neither fails here until it gets a guard or joins one of those lists."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from app.accounts.guards import GUARD_ROLES, current_principal
from app.core.roles import Role
from app.main import create_app
from tests.factories import World

# Open to anyone: logging in and the public site (and the probes, outside the API).
ANONYMOUS = {
    "auth-token",
    "auth-refresh",
    "auth-logout",
    "auth-activate",
    "auth-mfa",
    "auth-mfa-enrol",
    "health-alive",
    "health-ready",
}
ANONYMOUS_PREFIXES = ("public-",)

# The login's role picks the token: each role's account of the shared test world.
TOKEN_OF = {
    Role.STUDENT: "student",
    Role.PARENT: "parent",
    Role.TEACHER: "teacher",
    Role.SCHOOL_STAFF: "school_staff",
    Role.PROVINCE_STAFF: "province_staff",
    Role.ACADEMY_STAFF: "academy_staff",
    Role.CENTRAL_STAFF: "central_staff",
}


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    allowed: frozenset[Role] | None  # None: no role guard
    reads_principal: bool
    pages: bool  # takes a `cursor`

    def url(self) -> str:
        """The path with a fresh UUID (or a plausible value) in each parameter."""
        return re.sub(r"\{(\w+)\}", _placeholder, self.path)


def _placeholder(match: re.Match[str]) -> str:
    name = match.group(1)
    if name == "school_code":
        return "25001A"
    if name == "action":
        return "approve"
    if name == "day":
        return "2026-01-05"
    return str(uuid.uuid4())


def _calls(dependant: Dependant) -> Iterator[Callable[..., object]]:
    for dependency in dependant.dependencies:
        if dependency.call is not None:
            yield dependency.call
        yield from _calls(dependency)


def _query_params(dependant: Dependant) -> Iterator[Any]:
    yield from dependant.query_params
    for dependency in dependant.dependencies:
        yield from _query_params(dependency)


def operations() -> list[Operation]:
    """Every operation the app serves, with the roles its guards let through."""
    found = []
    for route in iter_route_contexts(create_app().routes):
        original = route.original_route
        if not isinstance(original, APIRoute) or not original.include_in_schema:
            continue
        calls = set(_calls(route.dependant))
        guards = [GUARD_ROLES[call] for call in calls if call in GUARD_ROLES]
        allowed = frozenset.intersection(*guards) if guards else None
        for method in sorted(route.methods or ()):
            found.append(
                Operation(
                    operation_id=str(original.operation_id or original.name),
                    method=method,
                    path=str(route.path),
                    allowed=allowed,
                    reads_principal=current_principal in calls,
                    pages=any(p.alias == "cursor" for p in _query_params(route.dependant)),
                )
            )
    return found


OPERATIONS = operations()


def test_every_operation_is_guarded_or_declared_open() -> None:
    loose = [
        f"{op.method} {op.path} ({op.operation_id})"
        for op in OPERATIONS
        if op.allowed is None
        and not op.reads_principal
        and op.operation_id not in ANONYMOUS
        and not op.operation_id.startswith(ANONYMOUS_PREFIXES)
    ]
    assert not loose, "operations without a role guard nor a login:\n" + "\n".join(loose)


def test_the_matrix_covers_the_published_contract() -> None:
    served = {op.operation_id for op in OPERATIONS}
    published = {
        operation["operationId"]
        for item in create_app().openapi()["paths"].values()
        for operation in item.values()
    }
    assert published <= served


GUARDED = [op for op in OPERATIONS if op.allowed is not None]


@pytest.mark.parametrize("operation", GUARDED, ids=[op.operation_id for op in GUARDED])
async def test_roles_outside_the_guard_get_403(
    client: httpx.AsyncClient, world: World, operation: Operation
) -> None:
    assert operation.allowed is not None
    for role in sorted(set(Role) - operation.allowed):
        answer = await client.request(
            operation.method, operation.url(), json={}, headers=world.auth(TOKEN_OF[role])
        )
        assert answer.status_code == 403, (
            f"{operation.method} {operation.path} as {role.value}: {answer.status_code}"
        )
        assert answer.headers["content-type"].startswith("application/problem+json")


def test_the_guards_are_seen() -> None:
    # A walk that saw no guard would make the matrix above empty, and pass.
    assert len(GUARDED) > 250
    assert {op.allowed for op in GUARDED} >= {
        frozenset({Role.TEACHER}),
        frozenset({Role.STUDENT}),
        frozenset({Role.PARENT}),
        frozenset({Role.SCHOOL_STAFF}),
    }
