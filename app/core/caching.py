"""Conditional GETs: an ETag on every read the apps repeat, and 304 when nothing changed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified since the ETag sent in If-None-Match."}
}


def cached_read(
    router: APIRouter, path: str, operation_id: str, model: Any, **options: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a GET that answers with `conditional_json`: its body documented as `model`,
    and the 304 it may give instead."""
    return router.get(
        path, operation_id=operation_id, response_model=model, responses=NOT_MODIFIED, **options
    )


def _json(payload: BaseModel | Sequence[BaseModel]) -> bytes:
    if isinstance(payload, BaseModel):
        return payload.model_dump_json().encode()
    return b"[" + b",".join(item.model_dump_json().encode() for item in payload) + b"]"


def conditional_json(
    request: Request,
    payload: BaseModel | Sequence[BaseModel],
    *,
    cache_control: str = "private, no-cache",
) -> Response:
    """The payload as JSON with a weak ETag of its bytes; 304 if the client already has it.

    `cache_control`: personal reads keep the default; public pages may let shared caches keep
    them a while."""
    body = _json(payload)
    etag = f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {"ETag": etag, "Cache-Control": cache_control}
    candidates = {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}
    if etag in candidates or "*" in candidates:
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type="application/json", headers=headers)
