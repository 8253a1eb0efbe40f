"""The OpenAPI document told the truth about errors, from what each route is made of.

FastAPI documents a route's success and the 422 of its parameters. Every other status a route
can answer comes from what the route is made of, the same for every domain, so it is declared
here once rather than on three hundred decorators:

| status | answered by | when the route |
|---|---|---|
| 400 | the body's parsers (JSON, multipart); a list's cursor | takes a body; takes `cursor` |
| 401 | `current_principal` | reads the caller |
| 403 | the role guards (and the duty guards, which declare their own) | has a role guard |
| 404 | the scoped reads: outside the scope is not found | names an object (path, query, body) |
| 409 | the database's constraints, the workflows | writes |
| 413 | the body limit | takes a body |
| 415 | the readers of uploaded files (a table, a certificate) | takes a file |
| 422 | parameter and body validation | takes either |
| 429 | the failed-attempt throttle | checks a password or a code |
| 503 | the database outage handler | is under `/api/` |

Every error is `application/problem+json` with the `Problem` schema; a route keeps what it
declared itself (the login's MFA problem, a duty's `title-not-allowed`), and gets the schema where
it named only the media type.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi._compat import ModelField
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, ConfigDict, Field, PydanticUserError, TypeAdapter

from app.accounts.guards import GUARD_ROLES, current_principal
from app.core.routing import dependency_calls
from app.core.security.throttle import login_throttle
from app.errors import PROBLEM_MEDIA_TYPE

PROBLEM_REF = "#/components/schemas/Problem"
FASTAPI_VALIDATION_REF = "#/components/schemas/HTTPValidationError"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class FieldProblem(BaseModel):
    field: str = Field(description="Where: `body.marks.3.mark`, `query.week`, `rows.12.code`.")
    message: str
    code: str


class Problem(BaseModel):
    """An RFC 9457 problem. Some carry extension members beside the standard ones (a
    workflow's `state`, a login's `challenge`)."""

    model_config = ConfigDict(extra="allow", title="Problem")

    type: str = Field(description="A URI naming the kind of problem; its last segment is stable.")
    title: str
    status: int
    detail: str
    instance: str
    request_id: str | None = None
    errors: list[FieldProblem] | None = Field(
        default=None, description="With a 422: one entry per faulty field or row."
    )


@dataclass(frozen=True, slots=True)
class RouteTraits:
    """What a route is made of, as far as its possible answers go."""

    path: str
    methods: frozenset[str]
    reads_principal: bool
    role_guarded: bool
    names_objects: bool
    json_body: bool
    file_body: bool
    pages: bool
    validates: bool
    throttled: bool


def query_parameters(dependant: Dependant) -> Iterator[Any]:
    yield from dependant.query_params
    for dependency in dependant.dependencies:
        yield from query_parameters(dependency)


def route_traits(routes: list[Any]) -> Iterator[tuple[APIRoute, RouteTraits]]:
    """Each documented route as included (full path), with its traits."""
    for context in iter_route_contexts(routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        dependant = context.dependant
        calls = set(dependency_calls(dependant))
        body = route.body_field
        media = getattr(body.field_info, "media_type", "") if body is not None else ""
        file_body = body is not None and media.startswith("multipart/")
        # A route may read its body by hand (the login): its `openapi_extra` declares it.
        by_hand = bool((route.openapi_extra or {}).get("requestBody"))
        queries = list(query_parameters(dependant))
        path = str(context.path)
        yield (
            route,
            RouteTraits(
                path=path,
                methods=frozenset(context.methods or ()),
                reads_principal=current_principal in calls,
                role_guarded=any(call in GUARD_ROLES for call in calls),
                names_objects="{" in path or _names_objects(body, queries),
                json_body=(body is not None and not file_body) or by_hand,
                file_body=file_body,
                pages=any(parameter.alias == "cursor" for parameter in queries),
                validates=body is not None or by_hand or bool(queries) or "{" in path,
                throttled=login_throttle in calls,
            ),
        )


def _names_objects(body: ModelField | None, queries: list[ModelField]) -> bool:
    """Whether a body or a query parameter carries an id (a UUID): one outside the caller's
    scope is not found, like a path's."""
    fields = [*queries, *([body] if body is not None else [])]
    return any('"format": "uuid"' in json.dumps(_schema_of(field)) for field in fields)


def _schema_of(field: ModelField) -> dict[str, Any]:
    annotation = field.field_info.annotation
    if annotation is None:
        return {}
    try:
        return TypeAdapter(annotation).json_schema()
    except PydanticUserError:  # a form of uploaded files: no ids in it
        return {}


# Each error status, when a route can answer it, and why (the table of the module's docstring).
_STATUSES: tuple[tuple[int, Callable[[RouteTraits, str], bool], str], ...] = (
    (
        400,
        lambda t, _: t.json_body or t.file_body or t.pages,
        "The body cannot be parsed, or the `cursor` is not one this list gave.",
    ),
    (
        401,
        lambda t, _: t.reads_principal,
        "No valid access token: missing, expired, or of a login that has ended.",
    ),
    (
        403,
        lambda t, _: t.role_guarded,
        "`role-not-allowed`: this operation is for other kinds of account.",
    ),
    (
        404,
        lambda t, _: t.names_objects,
        "Not found, or outside the caller's scope: the same answer for both.",
    ),
    (
        409,
        lambda _, method: method in WRITES,
        "Refused by what is stored: a duplicate, a state that does not allow it.",
    ),
    (
        413,
        lambda t, _: t.json_body or t.file_body,
        "The body is larger than the service accepts.",
    ),
    (415, lambda t, _: t.file_body, "The file is not of a kind this operation reads."),
    (
        422,
        lambda t, _: t.validates,
        "`validation`: the entries of `errors` say which fields and why.",
    ),
    (
        429,
        lambda t, _: t.throttled,
        "Too many failed attempts for this account or client; see `Retry-After`.",
    ),
    (
        503,
        lambda t, _: t.path.startswith("/api/"),
        "The database cannot be reached now; retry after `Retry-After` seconds.",
    ),
)


def statuses(traits: RouteTraits, method: str) -> dict[int, str]:
    """The error statuses a route can answer, with why."""
    return {status: why for status, answers, why in _STATUSES if answers(traits, method)}


def tell_the_truth(document: dict[str, Any], routes: list[Any]) -> None:
    """Declare every route's error statuses as problems."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(_schemas_of(Problem))
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for _, traits in route_traits(routes):
        for method in traits.methods:
            operation = document["paths"][traits.path][method.lower()]
            responses = operation.setdefault("responses", {})
            for status, why in statuses(traits, method).items():
                declared = responses.get(str(status))
                if declared is None or declared.get("description") == "Validation Error":
                    responses[str(status)] = {"description": why}
            for status, response in responses.items():
                if status[0] in "45":
                    _as_problem(response)


def _as_problem(response: dict[str, Any]) -> None:
    """An error response as problem+json with `Problem`, unless the route said otherwise. FastAPI's
    own 422 body (`HTTPValidationError`) is never sent; a JSON body a route declares itself is
    (the OAuth2 errors of RFC 6749), beside the problems its other failures answer."""
    content = response.setdefault("content", {})
    plain = content.get("application/json", {}).get("schema", {})
    if plain.get("$ref") == FASTAPI_VALIDATION_REF:
        del content["application/json"]
    content.setdefault(PROBLEM_MEDIA_TYPE, {}).setdefault("schema", {"$ref": PROBLEM_REF})


def _schemas_of(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    nested = schema.pop("$defs", {})
    return {model.__name__: schema, **nested}
