"""Request context: the request id and the reader's language, for every request; and, when
operations ask for them, the request's metrics and its access line (`core/logs.py`)."""

from __future__ import annotations

import itertools
import os
import re
import secrets
import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.logs import Access, AccessLines, reset_request_id, set_request_id
from app.core.metrics import UNMATCHED, RequestSeries
from app.core.routing import matched_route
from app.i18n import current_language, negotiate

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id is reused only when it is short and plain, so it cannot inject into logs.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class _RequestIds:
    """New request ids: 32 hex digits, a random half drawn once per process and a count. They
    need to be unique, not secret, and a fresh random id cost a system call a request."""

    def __init__(self) -> None:
        self.renew()
        os.register_at_fork(after_in_child=self.renew)

    def renew(self) -> None:
        self._process = secrets.token_hex(8)
        self._count = itertools.count()

    def next(self) -> str:
        return f"{self._process}{next(self._count):016x}"


_new_request_id = _RequestIds()


class RequestContextMiddleware:
    """Sets the request id (the caller's if sane, else a new one) and the language.

    A plain ASGI middleware, so streaming responses are not buffered.
    """

    def __init__(
        self, app: ASGIApp, *, metrics: RequestSeries | None = None, log_access: bool = False
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.access_lines = AccessLines() if log_access else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming, accept_language = _context_headers(scope)
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else _new_request_id.next()
        language = negotiate(accept_language)
        # Also kept in the request state: the 500 handler runs outside this middleware.
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["language"] = language
        id_token = set_request_id(request_id)
        language_token = current_language.set(language)

        started = time.perf_counter()
        status = 500  # what the server answers when the app fails before starting a response

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if self.metrics is not None or self.access_lines is not None:
                self._record(scope, status, time.perf_counter() - started, request_id)
            reset_request_id(id_token)
            current_language.reset(language_token)

    def _record(self, scope: Scope, status: int, seconds: float, request_id: str) -> None:
        route = route_template(scope)
        method = scope["method"]
        if self.metrics is not None:
            self.metrics.observe(method, route, status, seconds)
        if self.access_lines is not None:
            principal = scope["state"].get("principal")
            self.access_lines.write(Access(method, route, status, seconds, principal, request_id))


def _context_headers(scope: Scope) -> tuple[str, str | None]:
    """The request's X-Request-ID ("" when absent) and Accept-Language, each its first."""
    incoming: bytes | None = None
    accept_language: bytes | None = None
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            incoming = value if incoming is None else incoming
        elif name == b"accept-language":
            accept_language = value if accept_language is None else accept_language
    return (
        incoming.decode("latin-1") if incoming is not None else "",
        accept_language.decode("latin-1") if accept_language is not None else None,
    )


def route_template(scope: Scope) -> str:
    """The path pattern of the route that answered (`/api/v1/teacher/tests/{test_id}`), as
    the app included it; `unmatched` when none did."""
    path = getattr(matched_route(scope), "path", None)
    return path if isinstance(path, str) else UNMATCHED
