"""Conditional GETs: an ETag on every read the apps repeat, and 304 when nothing changed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class Tagged:
    """An answer already rendered (JSON), with its version."""

    body: bytes | str
    etag: str


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
    return tags_of(request.headers.get("if-none-match", ""))


def tags_of(if_none_match: str) -> set[str]:
    """The ETags of an If-None-Match header's value."""
    return {tag.strip() for tag in if_none_match.split(",")}


def already_held(etag: str, candidates: set[str]) -> bool:
    """Whether the client's If-None-Match tags name this version (or any: `*`)."""
    return etag in candidates or "*" in candidates


def weak_etag(body: bytes) -> str:
    """The version of a computed answer: a digest of its bytes."""
    return f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def tagged(
    request: Request, body: bytes | str, etag: str, *, cache_control: str = PERSONAL
) -> Response:
    """`body` (JSON) under `etag`; a 304 with no body if the client already has it."""
    headers = {"ETag": etag, "Cache-Control": cache_control}
    if already_held(etag, entity_tags(request)):
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
    return tagged(request, body, weak_etag(body), cache_control=cache_control)
