"""Conditional GETs: an ETag on every read the apps repeat, and 304 when nothing changed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

PERSONAL = "private, no-cache"

_HEADERS: dict[str, dict[str, Any]] = {
    "ETag": {
        "description": "The version of this answer: send it back in If-None-Match.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {"schema": {"type": "string"}},
}

NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    200: {"headers": _HEADERS},
    304: {"description": "Not modified since the ETag sent in If-None-Match.", "headers": _HEADERS},
}


def cached_read(
    router: APIRouter, path: str, operation_id: str, model: Any, **options: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a GET that answers with `conditional_json`: its body documented as `model`,
    its ETag, and the 304 it may give instead."""
    responses = {**NOT_MODIFIED, **options.pop("responses", {})}
    return router.get(
        path, operation_id=operation_id, response_model=model, responses=responses, **options
    )


def json_bytes(payload: BaseModel | Sequence[BaseModel]) -> bytes:
    """The payload as the JSON the API sends."""
    if isinstance(payload, BaseModel):
        return payload.model_dump_json().encode()
    return b"[" + b",".join(item.model_dump_json().encode() for item in payload) + b"]"


def entity_tags(request: Request) -> set[str]:
    """The ETags the client sent in If-None-Match."""
    return {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}


def tagged(
    request: Request, body: bytes | str, etag: str, *, cache_control: str = PERSONAL
) -> Response:
    """`body` (JSON) under `etag`; a 304 with no body if the client already has it."""
    headers = {"ETag": etag, "Cache-Control": cache_control}
    candidates = entity_tags(request)
    if etag in candidates or "*" in candidates:
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type="application/json", headers=headers)


def conditional_json(
    request: Request,
    payload: BaseModel | Sequence[BaseModel],
    *,
    cache_control: str = PERSONAL,
) -> Response:
    """The payload as JSON with a weak ETag of its bytes; 304 if the client already has it.

    `cache_control`: personal reads keep the default; public pages may let shared caches keep
    them a while."""
    body = json_bytes(payload)
    etag = f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'
    return tagged(request, body, etag, cache_control=cache_control)
