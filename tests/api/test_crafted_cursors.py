"""Every list answers a cursor it did not make with 400 `bad-cursor`, never a 500 nor a quiet
first page: the cursors are read in one place. Generated from the route table."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from app.core.roles import Role
from tests.api.route_table import OPERATIONS, TOKEN_OF, Operation
from tests.factories import World


def _cursor(position: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")


CRAFTED = [
    "not base64 at all!",
    _cursor(["a", "list"]),
    _cursor({"k": ["x", "y", "z", "w", "v"]}),
    _cursor({"k": [None]}),
    _cursor({"k": [{"nested": 1}, 2]}),
    _cursor({"at": "yesterday", "id": "someone"}),
    _cursor({"at": "2026-01-01T00:00:00", "id": "not-a-uuid"}),
    _cursor({"k": [None, None]}),
    _cursor({"k": [True, ["x"]]}),
]

PAGED = [op for op in OPERATIONS if op.method == "GET" and op.pages]


@pytest.mark.parametrize("operation", PAGED, ids=[op.operation_id for op in PAGED])
async def test_a_crafted_cursor_is_a_bad_cursor(
    client: httpx.AsyncClient, world: World, operation: Operation
) -> None:
    role = min(operation.allowed) if operation.allowed else Role.STUDENT
    headers = world.auth(TOKEN_OF[role])
    for cursor in CRAFTED:
        answer = await client.get(operation.url(), params={"cursor": cursor}, headers=headers)
        # Refused, and for what it is: a list under an object that does not exist is 404, one
        # that needs a school year or a post answers so, before its cursor is read.
        assert 400 <= answer.status_code < 500, (operation.path, cursor, answer.text)
        if answer.status_code == 400:
            assert answer.json()["type"].endswith("/bad-cursor"), answer.text


def test_the_lists_are_seen() -> None:
    assert len(PAGED) > 40
