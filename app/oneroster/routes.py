"""The OneRoster 1.2 read endpoints, at the standard's paths: rostering and gradebook, each
collection with its `/{sourcedId}` and the nested forms under a school or a class. Mounted
by the integrators' face, which keeps its guard; each route names the scope it needs."""

from __future__ import annotations

import keyword
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, create_model

from app.core.db.session import SessionDep
from app.errors import PROBLEM_MEDIA_TYPE
from app.integrations.callers import ApiCallerDep, scoped
from app.integrations.scopes import ApiScope
from app.oneroster import gradebook, rostering
from app.oneroster import schemas as shapes
from app.oneroster.collections import (
    Collection,
    Context,
    ListParams,
    Within,
    find_row,
    read_list,
    read_one,
)
from app.oneroster.query import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET


async def list_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    sort: Annotated[str | None, Query(max_length=64)] = None,
    order_by: Annotated[str | None, Query(alias="orderBy", pattern="^(asc|desc)$")] = None,
    filter: Annotated[
        str | None,
        Query(
            max_length=1000,
            description="`field op 'value'`, op one of = != > >= < <= ~, joined by AND / OR.",
            examples=["dateLastModified>'2026-09-01T00:00:00Z' AND status='active'"],
        ),
    ] = None,
    fields: Annotated[str | None, Query(max_length=500)] = None,
) -> ListParams:
    return ListParams(limit, offset, sort, order_by, filter, fields)


ListQuery = Annotated[ListParams, Depends(list_params)]
FieldsQuery = Annotated[str | None, Query(max_length=500)]


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON schema with its `$defs` written in place, for a response described inline."""
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(definitions[node["$ref"].rsplit("/", 1)[1]])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


_BAD_QUERY: dict[int | str, dict[str, Any]] = {
    400: {
        "description": "A filter, sort or field the collection does not have: the standard's"
        " status payload (`imsx_codeMajor` failure) inside the problem.",
        "content": {
            PROBLEM_MEDIA_TYPE: {"schema": _inlined(shapes.ImsxStatusProblem.model_json_schema())}
        },
    },
    401: {"description": "No API client's token, or one no longer valid."},
    429: {"description": "Too many calls of this client in the minute; see Retry-After."},
}
_STALE_DELTA: dict[int | str, dict[str, Any]] = {
    410: {
        "description": "A `dateLastModified` lower bound older than the sync window: deletions"
        " since then may be forgotten, so the delta cannot be answered truthfully; read the"
        " collection in full. The standard's status payload, `imsx_CodeMinor` `invaliddata`.",
        # The 400's shape under a title of its own: a generated client names the models of an
        # inline schema after its title, and two alike would collide.
        "content": {
            PROBLEM_MEDIA_TYPE: {
                "schema": _inlined(shapes.ImsxStatusProblem.model_json_schema())
                | {"title": "ImsxGoneProblem"}
            }
        },
    }
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "Nothing of this sourcedId in the client's part of the tree."}
}


def _context(request: Request, caller: Any) -> Context:
    return Context(caller=caller, base_url=str(request.base_url).rstrip("/"))


_WRAPPERS: dict[tuple[str, bool], type[BaseModel]] = {}


def _wrapper(key: str, model: type[BaseModel], many: bool) -> type[BaseModel]:
    """The standard's answer: `{"orgs": [...]}` for a list, `{"org": {...}}` for one (one
    model per wrapper, shared by the routes that answer it)."""
    if (key, many) not in _WRAPPERS:
        name = key + "_" if keyword.iskeyword(key) else key
        inner: Any = list[model] if many else model  # type: ignore[valid-type]
        title = f"OneRoster{key[0].upper()}{key[1:]}{'List' if many else 'Answer'}"
        _WRAPPERS[key, many] = create_model(title, **{name: (inner, Field(alias=key))})  # type: ignore[call-overload]
    return _WRAPPERS[key, many]


def _paging_headers(request: Request, params: ListParams, total: int) -> dict[str, str]:
    """`X-Total-Count`, and the `Link`s of the first, previous, next and last pages."""

    def page_url(offset: int) -> str:
        query = dict(request.query_params) | {"limit": str(params.limit), "offset": str(offset)}
        return f"{str(request.url).split('?')[0]}?{urlencode(query)}"

    last = max(0, (total - 1) // params.limit * params.limit)
    links = [(0, "first"), (last, "last")]
    if params.offset + params.limit < total:
        links.append((params.offset + params.limit, "next"))
    if params.offset > 0:
        links.append((max(0, params.offset - params.limit), "prev"))
    return {
        "X-Total-Count": str(total),
        "Link": ", ".join(f'<{page_url(offset)}>; rel="{rel}"' for offset, rel in links),
    }


Parent = Callable[[Any, uuid.UUID], Awaitable[None]]


def _add_list(
    router: APIRouter,
    path: str,
    operation: str,
    collection: Collection,
    model: type[BaseModel],
    scope: ApiScope,
    summary: str,
    nested: tuple[Collection, Callable[[uuid.UUID], Within]] | None = None,
) -> None:
    options = scoped(scope)
    responses = {
        **options["responses"],
        **_BAD_QUERY,
        **_STALE_DELTA,
        **(_NOT_FOUND if nested else {}),
    }

    async def read_all(
        request: Request, caller: ApiCallerDep, session: SessionDep, params: ListQuery
    ) -> JSONResponse:
        return await _page(request, caller, session, params, None)

    async def read_nested(
        request: Request,
        sourcedId: str,  # noqa: N803 - the standard's name
        caller: ApiCallerDep,
        session: SessionDep,
        params: ListQuery,
    ) -> JSONResponse:
        assert nested is not None
        parent, condition = nested
        row = await find_row(session, parent, caller, sourcedId)  # 404 outside the scope
        return await _page(request, caller, session, params, condition(row["_id"]))

    async def _page(
        request: Request, caller: Any, session: Any, params: ListParams, within: Within | None
    ) -> JSONResponse:
        listing = await read_list(session, collection, _context(request, caller), params, within)
        return JSONResponse(
            {collection.plural: listing.items},
            headers=_paging_headers(request, params, listing.total),
        )

    read = read_all if nested is None else read_nested

    router.add_api_route(
        path,
        read,
        methods=["GET"],
        operation_id=f"oneroster-{operation}",
        summary=summary,
        response_model=_wrapper(collection.plural, model, True),
        responses=responses,
        dependencies=options["dependencies"],
    )


def _add_one(
    router: APIRouter,
    path: str,
    operation: str,
    collection: Collection,
    model: type[BaseModel],
    scope: ApiScope,
    summary: str,
) -> None:
    options = scoped(scope)

    async def read(
        request: Request,
        sourcedId: str,  # noqa: N803 - the standard's name
        caller: ApiCallerDep,
        session: SessionDep,
        fields: FieldsQuery = None,
    ) -> JSONResponse:
        item = await read_one(session, collection, _context(request, caller), sourcedId, fields)
        return JSONResponse({collection.singular: item})

    router.add_api_route(
        path,
        read,
        methods=["GET"],
        operation_id=f"oneroster-{operation}",
        summary=summary,
        response_model=_wrapper(collection.singular, model, False),
        responses={**options["responses"], **_BAD_QUERY, **_NOT_FOUND},
        dependencies=options["dependencies"],
    )


rostering_router = APIRouter(prefix="/rostering/v1p2")
gradebook_router = APIRouter(prefix="/gradebook/v1p2")

# A collection: its path, its operation's name, what it reads, its shape and the words for it.
Entry = tuple[str, str, Collection, type[BaseModel], str]
# A nested list: its path, its operation's name, the parent and how the rows depend on it.
Nested = tuple[str, str, Collection, Collection, type[BaseModel], Callable[[uuid.UUID], Within]]

_ROSTERING: list[Entry] = [
    ("orgs", "orgs", rostering.ORGS, shapes.OneRosterOrg, "the units of my part of the tree"),
    ("schools", "schools", rostering.SCHOOLS, shapes.OneRosterOrg, "the schools"),
    (
        "academicSessions",
        "academic-sessions",
        rostering.ACADEMIC_SESSIONS,
        shapes.OneRosterAcademicSession,
        "the school years and semesters",
    ),
    ("classes", "classes", rostering.CLASSES, shapes.OneRosterClass, "the classes × subjects"),
    ("courses", "courses", rostering.COURSES, shapes.OneRosterCourse, "the levels × subjects"),
    ("users", "users", rostering.USERS, shapes.OneRosterUser, "the pupils and teachers"),
    ("students", "students", rostering.STUDENTS, shapes.OneRosterUser, "the pupils"),
    ("teachers", "teachers", rostering.TEACHERS, shapes.OneRosterUser, "the teachers"),
    (
        "enrollments",
        "enrollments",
        rostering.ENROLLMENTS,
        shapes.OneRosterEnrollment,
        "pupils and teachers in classes",
    ),
]
_GRADEBOOK: list[Entry] = [
    (
        "categories",
        "categories",
        gradebook.CATEGORIES,
        shapes.OneRosterCategory,
        "the kinds of test",
    ),
    (
        "lineItems",
        "line-items",
        gradebook.LINE_ITEMS,
        shapes.OneRosterLineItem,
        "the published tests",
    ),
    (
        "results",
        "results",
        gradebook.RESULTS,
        shapes.OneRosterResult,
        "the marks of published tests",
    ),
]
_SCHOOL, _CLASS = rostering.SCHOOLS, rostering.CLASSES
_NESTED_ROSTERING: list[Nested] = [
    (
        "schools/{sourcedId}/classes",
        "get-classes-for-school",
        _SCHOOL,
        rostering.CLASSES,
        shapes.OneRosterClass,
        rostering.of_school,
    ),
    (
        "schools/{sourcedId}/students",
        "get-students-for-school",
        _SCHOOL,
        rostering.STUDENTS,
        shapes.OneRosterUser,
        rostering.of_school,
    ),
    (
        "schools/{sourcedId}/teachers",
        "get-teachers-for-school",
        _SCHOOL,
        rostering.TEACHERS,
        shapes.OneRosterUser,
        rostering.of_school,
    ),
    (
        "schools/{sourcedId}/enrollments",
        "get-enrollments-for-school",
        _SCHOOL,
        rostering.ENROLLMENTS,
        shapes.OneRosterEnrollment,
        rostering.of_school,
    ),
    (
        "classes/{sourcedId}/students",
        "get-students-for-class",
        _CLASS,
        rostering.STUDENTS,
        shapes.OneRosterUser,
        rostering.of_class_pupils,
    ),
    (
        "classes/{sourcedId}/teachers",
        "get-teachers-for-class",
        _CLASS,
        rostering.TEACHERS,
        shapes.OneRosterUser,
        rostering.of_class_teacher,
    ),
]
_NESTED_GRADEBOOK: list[Nested] = [
    (
        "classes/{sourcedId}/lineItems",
        "get-line-items-for-class",
        _CLASS,
        gradebook.LINE_ITEMS,
        shapes.OneRosterLineItem,
        rostering.of_class,
    ),
    (
        "classes/{sourcedId}/results",
        "get-results-for-class",
        _CLASS,
        gradebook.RESULTS,
        shapes.OneRosterResult,
        rostering.of_class,
    ),
]


def _mount(router: APIRouter, scope: ApiScope, entries: list[Entry], nested: list[Nested]) -> None:
    """Each collection's list and `/{sourcedId}`, then the lists nested under an object."""
    for path, operation, collection, model, what in entries:
        _add_list(
            router, f"/{path}", f"get-all-{operation}", collection, model, scope, f"All {what}"
        )
        _add_one(
            router,
            f"/{path}/{{sourcedId}}",
            f"get-{operation}-one",
            collection,
            model,
            scope,
            f"One of {what}",
        )
    for path, operation, parent, collection, model, condition in nested:
        summary = f"The {collection.plural} of one of the {path.split('/')[0]}"
        _add_list(
            router, f"/{path}", operation, collection, model, scope, summary, (parent, condition)
        )


_mount(rostering_router, ApiScope.ROSTER_READ, _ROSTERING, _NESTED_ROSTERING)
_mount(gradebook_router, ApiScope.RESULTS_READ, _GRADEBOOK, _NESTED_GRADEBOOK)
