"""A minimal valid request body for any operation, generated from the served contract: what
the cross-tenant matrix sends so that a 422 cannot hide where a scope check is missing."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from app.main import create_app

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@cache
def _contract() -> dict[str, Any]:
    return create_app().openapi()


def request_of(
    method: str, path: str, known: dict[str, str], override: dict[str, Any]
) -> dict[str, Any]:
    """The httpx keyword arguments of this operation: its required query parameters and a
    minimal valid body, where every field named in `known` (at any depth) takes that value,
    and `override`'s fields on top."""
    operation = _contract()["paths"][path][method.lower()]
    request: dict[str, Any] = {
        "params": {
            p["name"]: known.get(p["name"], example(p["schema"]))
            for p in operation.get("parameters", [])
            if p["in"] == "query" and p.get("required")
        }
    }
    body = operation.get("requestBody")
    if body is None:
        return request
    [(media_type, content)] = body["content"].items()
    instance = _with_known(example(content["schema"]), known)
    if override:
        instance = (instance or {}) | override
    if media_type != "multipart/form-data":
        return request | {"json": instance}
    files = {k: (f"{k}.pdf", PDF, "application/pdf") for k, v in instance.items() if v is PDF}
    data = {k: v for k, v in instance.items() if k not in files}
    return request | {"data": data, "files": files}


def _with_known(instance: Any, known: dict[str, str]) -> Any:
    if isinstance(instance, list):
        return [_with_known(item, known) for item in instance]
    if isinstance(instance, dict):
        return {k: known.get(k, _with_known(v, known)) for k, v in instance.items()}
    return instance


def parameter_example(path: str, method: str, name: str) -> str:
    """A valid value of a path parameter that names no object (a verb, a day)."""
    for parameter in _contract()["paths"][path][method.lower()].get("parameters", []):
        if parameter["name"] == name and parameter["in"] == "path":
            return str(example(parameter["schema"]))
    raise LookupError(f"{method} {path} has no path parameter {name}")


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = _contract()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def example(schema: dict[str, Any]) -> Any:
    """The smallest instance the schema accepts: required properties only, the first choice of
    an enum or a union, the lower bound of a number, the shortest string."""
    schema = _resolve(schema)
    for union in ("anyOf", "oneOf", "allOf"):
        if union in schema:
            options = [s for s in schema[union] if _resolve(s).get("type") != "null"]
            return example(options[0])
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "examples" in schema:
        return schema["examples"][0]
    return _EXAMPLES[schema.get("type", "object")](schema)


def _object(schema: dict[str, Any]) -> dict[str, Any]:
    properties = schema.get("properties", {})
    return {name: example(properties[name]) for name in schema.get("required", [])}


def _array(schema: dict[str, Any]) -> list[Any]:
    return [example(schema["items"]) for _ in range(schema.get("minItems", 0))]


def _number(schema: dict[str, Any]) -> int | float:
    if "minimum" in schema:
        return schema["minimum"]  # type: ignore[no-any-return]
    if "exclusiveMinimum" in schema:
        return schema["exclusiveMinimum"] + 1  # type: ignore[no-any-return]
    return 1


_FORMATS: dict[str, Any] = {
    "uuid": lambda: str(uuid.uuid4()),
    "date": lambda: date.today().isoformat(),
    "date-time": lambda: datetime.now(UTC).isoformat(),
    "time": lambda: "08:00:00",
    "email": lambda: "someone@taalim.ma",
    "uri": lambda: "https://www.taalim.ma/",
    "binary": lambda: PDF,
}


def _string(schema: dict[str, Any]) -> Any:
    if "contentMediaType" in schema:  # an uploaded file
        return PDF
    if schema.get("format") in _FORMATS:
        return _FORMATS[schema["format"]]()
    return "x" * max(schema.get("minLength", 1), 1)


_EXAMPLES: dict[str, Any] = {
    "object": _object,
    "array": _array,
    "integer": _number,
    "number": _number,
    "string": _string,
    "boolean": lambda _: False,
}
