"""Before the ministry opens a school year, reads that need "this year" answer 409
`no-current-year`: every read that can must say so in the contract. Each read is called as
each role its guards let through, in a world where no year is open. (A read that names an
object in its path is called with an id of nothing, so it is covered only when it looks for
the year first; the others answer 404.)"""

from __future__ import annotations

import httpx
import pytest

from app.main import create_app
from tests.api.route_table import OPERATIONS, TOKEN_OF, Operation
from tests.factories import World

READS = [op for op in OPERATIONS if op.method == "GET" and op.allowed]


@pytest.fixture(scope="module")
def declared() -> set[str]:
    """The operations whose contract declares a 409."""
    return {
        operation["operationId"]
        for item in create_app().openapi()["paths"].values()
        for operation in item.values()
        if "409" in operation.get("responses", {})
    }


async def test_every_read_that_needs_the_year_says_so(
    client: httpx.AsyncClient, world: World, declared: set[str]
) -> None:
    undeclared: list[str] = []
    answering: list[Operation] = []
    for operation in READS:
        for role in sorted(operation.allowed or frozenset(), key=str):
            if role not in TOKEN_OF:
                continue
            answer = await client.get(operation.url(), headers=world.auth(TOKEN_OF[role]))
            if answer.status_code == 409 and answer.json()["type"].endswith("/no-current-year"):
                answering.append(operation)
                if operation.operation_id not in declared:
                    undeclared.append(f"{operation.operation_id} ({role})")
                break
    assert answering, "no read needs the current year: the world has one open?"
    assert not undeclared, "reads answering 409 no-current-year, undeclared:\n" + "\n".join(
        sorted(set(undeclared))
    )
