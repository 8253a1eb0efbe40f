"""The committed OpenAPI document is the one the service serves."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from app.cli import openapi_json
from app.main import create_app

COMMITTED = Path(__file__).resolve().parents[2] / "openapi" / "v1.json"


def test_committed_openapi_is_current() -> None:
    assert COMMITTED.read_text() == openapi_json(create_app()), "run `make openapi` and commit"


async def test_served_openapi_matches_the_committed_one(client: httpx.AsyncClient) -> None:
    served = (await client.get("/openapi.json")).json()
    assert served == json.loads(COMMITTED.read_text())


def test_operation_ids_follow_tag_and_name() -> None:
    document = json.loads(COMMITTED.read_text())
    for path, methods in document["paths"].items():
        for operation in methods.values():
            tag = operation["tags"][0]
            assert operation["operationId"].startswith(f"{tag}-"), path


def _references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _references(value)
    elif isinstance(node, list):
        for item in node:
            yield from _references(item)


def test_component_names_carry_no_module_path() -> None:
    # Pydantic qualifies a name with its module (`app__…__RefuseIn`) when two classes share it.
    components = create_app().openapi()["components"]["schemas"]
    assert [name for name in components if "__" in name] == []


def test_every_reference_names_a_component() -> None:
    document = create_app().openapi()
    components = document["components"]["schemas"]
    prefix = "#/components/schemas/"
    dangling = {
        ref
        for ref in _references(document)
        if not ref.startswith(prefix) or ref.removeprefix(prefix) not in components
    }
    assert dangling == set()


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_error_is_a_problem_with_its_schema() -> None:
    document = json.loads(COMMITTED.read_text())
    for path, _method, operation in _operations(document):
        for status, response in operation["responses"].items():
            if status[0] not in "45":
                continue
            media = set(response["content"])
            # The client-credentials grant answers its own errors as OAuth2 says (RFC 6749 §5.2).
            oauth = path == "/api/v1/auth/token" and status in ("400", "401")
            assert media == {"application/problem+json"} | (
                {"application/json"} if oauth else set()
            )
            assert response["content"]["application/problem+json"]["schema"], (path, status)


def test_the_statuses_every_route_can_answer_are_declared() -> None:
    document = json.loads(COMMITTED.read_text())
    for path, method, operation in _operations(document):
        statuses = operation["responses"].keys()
        if path.startswith("/api/v1/"):
            assert "503" in statuses, (method, path)  # the database can be away
        if "{" in path:
            assert "404" in statuses, (method, path)
        if method in ("post", "put", "patch", "delete"):
            assert "409" in statuses, (method, path)
        if operation.get("security") or "Authorization" in json.dumps(operation):
            assert "401" in statuses, (method, path)
    me = document["paths"]["/api/v1/me"]["get"]["responses"]
    assert {"401", "503"} <= me.keys()


def test_times_of_day_are_declared_as_sent() -> None:
    # RFC 3339's `time` format requires an offset, which school times never carry.
    assert '"format": "time"' not in COMMITTED.read_text()
