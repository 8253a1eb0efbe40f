"""RFC 9457 problem details: the error type every endpoint raises, and the handlers."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.db.faults import RETRY_AFTER_SECONDS, bad_value, database_unreachable, refusal
from app.core.db.partitions import no_partition
from app.core.logs import current_request_id
from app.core.middleware import REQUEST_ID_HEADER
from app.i18n import translate

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://massar-api.men.gov.ma/problems/"


class ProblemError(Exception):
    """An error the client can act on; rendered as `application/problem+json`."""

    def __init__(
        self,
        status: int,
        detail_key: str,
        *,
        kind: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        extensions: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail_key)
        # RFC 9457 extension members, added to the body next to the standard ones.
        self.extensions = extensions
        self.status = status
        self.detail_key = detail_key
        self.kind = kind or detail_key.replace(".", "-").replace("_", "-")
        self.errors = errors
        self.headers = headers


class NotAuthenticated(ProblemError):
    def __init__(self, detail_key: str = "auth.invalid_token") -> None:
        super().__init__(401, detail_key, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(ProblemError):
    def __init__(self, detail_key: str = "auth.role_not_allowed") -> None:
        super().__init__(403, detail_key)


class NotFound(ProblemError):
    """Also what an object outside the caller's scope answers, so ids cannot be probed."""

    def __init__(self, detail_key: str = "error.not_found") -> None:
        super().__init__(404, detail_key, kind="not-found")


class Conflict(ProblemError):
    def __init__(self, detail_key: str = "error.conflict") -> None:
        super().__init__(409, detail_key)


class InvalidInput(ProblemError):
    """422 with one entry per faulty field (or row): `{"field", "message", "code"}`."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(422, "error.validation", kind="validation", errors=errors)


def field_error(field: str, message: str, code: str = "invalid") -> dict[str, Any]:
    return {"field": field, "message": message, "code": code}


def invalid(field: str, message: str, code: str = "invalid") -> InvalidInput:
    """A 422 about a single field."""
    return InvalidInput([field_error(field, message, code)])


def problem_response(
    request: Request,
    status: int,
    *,
    kind: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
) -> JSONResponse:
    request_id = getattr(request.state, "request_id", None) or current_request_id()
    language = getattr(request.state, "language", None)
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + kind,
        "title": translate(f"status.{status}", language),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": request_id,
    }
    if errors is not None:
        body["errors"] = errors
    if extensions:
        body.update({k: v for k, v in extensions.items() if k not in body})
    response_headers = {REQUEST_ID_HEADER: request_id, **(headers or {})}
    return JSONResponse(
        body, status_code=status, headers=response_headers, media_type=PROBLEM_MEDIA_TYPE
    )


async def _problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(
        request,
        exc.status,
        kind=exc.kind,
        detail=translate(exc.detail_key),
        errors=exc.errors,
        headers=exc.headers,
        extensions=exc.extensions,
    )


_HTTP_DETAIL_KEYS = {
    404: "error.route_not_found",
    405: "error.method_not_allowed",
    401: "auth.missing_token",
    413: "error.request_too_large",
}


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    key = _HTTP_DETAIL_KEYS.get(exc.status_code)
    detail = translate(key) if key else str(exc.detail)
    return problem_response(
        request,
        exc.status_code,
        kind=f"http-{exc.status_code}",
        detail=detail,
        headers=dict(exc.headers) if exc.headers else None,
    )


def field_errors(errors: Sequence[Any], prefix: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Pydantic's errors as our `{"field", "message", "code"}` entries (`body.marks.3.mark`)."""
    return [
        field_error(".".join(map(str, (*prefix, *e["loc"]))), e["msg"], e["type"]) for e in errors
    ]


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = field_errors(exc.errors())
    return problem_response(
        request, 422, kind="validation", detail=translate("error.validation"), errors=errors
    )


async def _integrity(request: Request, exc: Exception) -> JSONResponse:
    named = refusal(exc)
    if named is not None:  # a rule the database keeps: a closed year, a closed school
        kind, key = named
        return problem_response(request, 409, kind=kind, detail=translate(key))
    if no_partition(exc):  # a planned year whose partitions the owner has not created yet
        log.warning("write refused on %s: its school year has no partition", request.url.path)
        return problem_response(
            request, 409, kind="school-year-not-ready", detail=translate("years.no_partition")
        )
    # A race that the service's own checks could not see (two writers, one unique key).
    log.info("integrity error turned into 409: %s", type(getattr(exc, "orig", exc)).__name__)
    return problem_response(request, 409, kind="conflict", detail=translate("error.conflict"))


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    """503 when the database cannot be reached, so clients back off and retry; 422 when it
    refuses a value a client sent (a field without the bound its column has); else a 500."""
    state = bad_value(exc)
    if state is not None:
        log.warning("value refused by the database on %s: SQLSTATE %s", request.url.path, state)
        return problem_response(
            request, 422, kind="invalid-value", detail=translate("error.invalid_value")
        )
    if not database_unreachable(exc):
        return await _unexpected(request, exc)
    log.warning(
        "database unreachable on %s %s: %s", request.method, request.url.path, type(exc).__name__
    )
    return problem_response(
        request,
        503,
        kind="database-unavailable",
        detail=translate("error.database_unavailable"),
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    language = getattr(request.state, "language", None)
    return problem_response(
        request, 500, kind="internal", detail=translate("error.internal", language)
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _problem)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(IntegrityError, _integrity)
    # The errors a lost database raises, handled here rather than by the catch-all (which
    # would log a trace for what is an outage, not a bug).
    for error in (DBAPIError, OSError, TimeoutError, PoolTimeout, asyncpg.PostgresError):
        app.add_exception_handler(error, _database_error)
    app.add_exception_handler(Exception, _unexpected)
