"""Request context: the request id and the reader's language, for every request; and, when
operations ask for them, the request's metrics and its access log line (JSON or text)."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.metrics import UNMATCHED, RequestSeries
from app.core.routing import matched_route
from app.i18n import current_language, negotiate

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id is reused only when it is short and plain, so it cannot inject into logs.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

_request_id: ContextVar[str] = ContextVar("request_id", default="-")
# One line per request answered, at INFO: what the request was (its route template, never the
# raw path or query, which may carry ids or codes), who asked, how it ended, how long it took.
access_log = logging.getLogger("massar.access")
# The fields of an access line (method, route, status, duration_ms, principal_id, role) ride
# on its record as one attribute; the JSON formatter writes them as keys.
ACCESS = "access"


def current_request_id() -> str:
    return _request_id.get()


class RequestContextMiddleware:
    """Sets the request id (the caller's if sane, else a new one) and the language.

    A plain ASGI middleware, so streaming responses are not buffered.
    """

    def __init__(
        self, app: ASGIApp, *, metrics: RequestSeries | None = None, log_access: bool = False
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.log_access = log_access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        incoming = headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        language = negotiate(headers.get("accept-language"))
        # Also kept in the request state: the 500 handler runs outside this middleware.
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["language"] = language
        id_token = _request_id.set(request_id)
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
            if self.metrics is not None or self.log_access:
                self._record(scope, status, time.perf_counter() - started)
            _request_id.reset(id_token)
            current_language.reset(language_token)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        route = route_template(scope)
        if self.metrics is not None:
            self.metrics.observe(scope["method"], route, status, seconds)
        if self.log_access and access_log.isEnabledFor(logging.INFO):
            principal = scope["state"].get("principal")
            fields = {
                "method": scope["method"],
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
                "principal_id": str(principal.user_id) if principal else None,
                "role": principal.role.value if principal else None,
            }
            access_log.info(
                "%s %s %s %.1fms",
                scope["method"],
                route,
                status,
                seconds * 1000,
                extra={ACCESS: fields},
            )


def route_template(scope: Scope) -> str:
    """The path pattern of the route that answered (`/api/v1/teacher/tests/{test_id}`), as
    the app included it; `unmatched` when none did."""
    path = getattr(matched_route(scope), "path", None)
    return path if isinstance(path, str) else UNMATCHED


class RequestIdLogFilter(logging.Filter):
    """Stamps every log record with the id of the request being served ("-" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line (`MASSAR_LOG_FORMAT=json`): time, level, logger, message, the
    request id, and an access line's fields. Arguments are merged into the message as in text;
    what the app logs never carries a secret (tests/core/test_logs.py drives the secrets
    through the API and looks)."""

    def __init__(self) -> None:
        super().__init__()
        # The lines carry no thread, process or caller: records need not collect them (an
        # access line per request made that a third of its cost). Python's logging documents
        # these switches ("Optimization"); they are process-wide, and the text format, the
        # default, shows none of them either.
        logging.logThreads = False
        logging.logProcesses = False
        logging.logMultiprocessing = False
        logging._srcfile = None

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _request_id.get()),
        }
        fields = getattr(record, ACCESS, None)
        if fields is not None:
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
