"""The authorization matrix, generated from the route table: every operation is called with
the token of every role its guards turn away, and must answer 403 before anything else.

An operation with no role guard must be one of the few open to any caller (logins, the
public site, health) or to any logged-in caller (the caller's own account and inbox): a new
route that is neither fails here until it gets a guard or joins one of those lists."""

from __future__ import annotations

import httpx
import pytest

from app.core.roles import Role
from app.main import create_app
from tests.api.route_table import OPERATIONS, TOKEN_OF, Operation
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
