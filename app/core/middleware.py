"""Request context: the request id and the reader's language, for every request."""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.i18n import current_language, negotiate

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id is reused only when it is short and plain, so it cannot inject into logs.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

_request_id: ContextVar[str] = ContextVar("request_id", default="-")


def current_request_id() -> str:
    return _request_id.get()


class RequestContextMiddleware:
    """Sets the request id (the caller's if sane, else a new one) and the language.

    A plain ASGI middleware, so streaming responses are not buffered.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

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

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _request_id.reset(id_token)
            current_language.reset(language_token)


class RequestIdLogFilter(logging.Filter):
    """Stamps every log record with the id of the request being served ("-" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True
