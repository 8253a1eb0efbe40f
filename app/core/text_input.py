"""Control characters are refused in every text a client sends (query, path, JSON or form
fields), in one place: PostgreSQL cannot store NUL in text, and the others have no business in
a name, a remark or a message. TAB, LF and CR stay allowed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi import Request

from app.errors import InvalidInput, field_error

# C0 controls but TAB, LF and CR; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


async def refuse_control_characters(request: Request) -> None:
    """422 naming each field whose text holds a control character."""
    if not (request.scope["query_string"] or request.path_params or _may_carry_text(request)):
        return  # a GET of a fixed path: nothing a client wrote to look at
    errors = [
        field_error(path, "control characters are not allowed", "control_character")
        for path, value in _texts(request, await _body(request))
        if _CONTROL.search(value)
    ]
    if errors:
        raise InvalidInput(errors)


def _may_carry_text(request: Request) -> bool:
    return request.headers.get("content-type", "").startswith(("application/json", *_FORMS))


async def _body(request: Request) -> Any:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            # The request's own parse, cached: the endpoint's body reads the same one.
            return await request.json()
        except ValueError:
            return None  # not JSON: the endpoint's own validation says so
    if content_type.startswith(_FORMS):
        form = await request.form()
        return {key: value for key, value in form.multi_items() if isinstance(value, str)}
    return None


def _texts(request: Request, body: Any) -> Iterator[tuple[str, str]]:
    for name, value in request.query_params.multi_items():
        yield f"query.{name}", value
    for name, value in request.path_params.items():
        if isinstance(value, str):
            yield f"path.{name}", value
    yield from _strings("body", body)


def _strings(path: str, value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(f"{path}.{key}", key)
            yield from _strings(f"{path}.{key}", item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(f"{path}.{index}", item)
