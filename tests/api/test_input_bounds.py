"""Every integer a client may send, in a body or a query, is bounded, so a value beyond its
column's range is a 422 from validation, never a database error. Generated from the served
contract, so a new field or parameter is covered."""

from __future__ import annotations

from typing import Any

from app.main import create_app


def _loose(where: str, schema: Any, schemas: dict[str, Any], seen: set[str]) -> list[str]:
    """The integer places under `schema` that lack a lower or an upper bound."""
    if not isinstance(schema, dict):
        return []
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
        return _loose(name, schemas[name], schemas, seen)
    found = []
    if schema.get("type") == "integer" and "enum" not in schema:
        low = "minimum" in schema or "exclusiveMinimum" in schema
        high = "maximum" in schema or "exclusiveMaximum" in schema
        if not (low and high):
            found.append(where)
    for name, child in schema.get("properties", {}).items():
        found += _loose(f"{where}.{name}", child, schemas, seen)
    for key in ("anyOf", "oneOf", "allOf"):
        for child in schema.get(key, []):
            found += _loose(where, child, schemas, seen)
    if "items" in schema:
        found += _loose(f"{where}[]", schema["items"], schemas, seen)
    return found


def test_every_integer_a_client_sends_is_bounded() -> None:
    spec = create_app().openapi()
    schemas = spec["components"]["schemas"]
    loose: list[str] = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                loose += _loose(
                    f"{where} ?{parameter['name']}", parameter["schema"], schemas, set()
                )
            body = operation.get("requestBody", {}).get("content", {})
            for media in body.values():
                loose += _loose(f"{where} body", media.get("schema", {}), schemas, set())
    assert not loose, "integers without bounds:\n" + "\n".join(sorted(set(loose)))
