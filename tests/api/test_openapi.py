"""The committed OpenAPI document is the one the service serves."""

from __future__ import annotations

import json
from pathlib import Path

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
